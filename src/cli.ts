/**
 * facr's command line: a thin layer over src/ for the Makefile and for users.
 *
 *   tsx src/cli.ts graphs            write data/graphs/*.json from the known structures
 *   tsx src/cli.ts backend           print the tfjs backend this machine selects
 *   tsx src/cli.ts pspi [--profile p] [--out file]      the PSPI experiment (C1–C3)
 *   tsx src/cli.ts emotion [--profile p] [--out file]   the emotion-transfer experiment (C4)
 *   tsx src/cli.ts dose-response [--profile p] [--out file]   λ_cf and margin sweeps on the PSPI protocol (beyond the paper)
 *   tsx src/cli.ts audit --data F --format openface|unbc|ckplus --graph pspi|emotion|G.json [--model DIR] [--out report.json|.csv|.html]
 *
 * pspi and emotion run on FACR_UNBC_DIR / FACR_CKPLUS_DIR when set (src/data/from-env.ts), else on synthetic data.
 * `npx facr …` runs this file through bin/facr.js.
 *
 * Exit codes: 0 ok, 1 failure, 2 bad input (the message names file, line, field).
 */
import * as path from "node:path";
import { auditCommand } from "./audit/command";
import { describeDataFromEnv, emotionDomainsFromEnv, pspiDatasetFromEnv } from "./data/from-env";
import { graphToDot } from "./graph/dot";
import { writeGraph } from "./graph/io";
import { emotionPrototypeGraph, pspiGraph } from "./graph/known";
import { runDoseResponse } from "./experiments/dose-response";
import { runEmotionTransfer } from "./experiments/emotion-transfer";
import { runPspiExperiment } from "./experiments/pspi";
import { CLEAN_REGIME, CLEAN_ROW_SET_ARMS } from "./experiments/regimes";
import { runSensitivity } from "./experiments/sensitivity";
import { runVerbalizerExperiment } from "./experiments/verbalizer";
import { buildFigures } from "./figures/build";
import { initBackend } from "./model/backend";
import { claimsMarkdown, claimsTable } from "./report/claims";
import { buildPaper } from "./report/paper";
import { paperToHtmlAndPdf } from "./report/pdf";
import { figuresDir, profileFromEnv, resultPath, resultsDir } from "./report/paths";
import { checkProfile, PROFILES } from "./util/config";
import { FlagSpec, parseFlags } from "./util/flags";
import { writeFileAtomic } from "./util/atomic";
import { FacrInputError } from "./util/errors";

/** The flags of the four experiments (parsed strictly: a misspelt flag is exit code 2, never a silent paper run). */
const EXPERIMENT_FLAGS: Record<string, FlagSpec> = { "--profile": { type: "string", choices: PROFILES }, "--out": { type: "string" } };

/** A command returns its exit code (default 0). */
const COMMANDS: Record<string, { help: string; run: (args: string[]) => Promise<number | void> }> = {
  graphs: {
    help: "write the known graphs G (PSPI, FACS prototypes) to data/graphs/ as JSON and DOT",
    run: async (args) => {
      const dir = parseFlags(args, {}, 1).positionals[0] ?? path.join("data", "graphs");
      for (const [name, g] of [["pspi", pspiGraph()], ["emotion-prototypes", emotionPrototypeGraph()]] as const) {
        writeGraph(path.join(dir, `${name}.json`), g);
        writeFileAtomic(path.join(dir, `${name}.dot`), graphToDot(g, name));
        console.log(`wrote ${path.join(dir, name)}.{json,dot}`);
      }
    },
  },
  pspi: {
    help: "run the PSPI experiment (C1–C3): pspi [--profile smoke|quick|paper] [--regime preregistered|clean] [--out file] (default: <results dir>/pspi.json, pspi-clean.json for the clean regime)",
    run: async (args) => {
      const f = parseFlags(args, { ...EXPERIMENT_FLAGS, "--regime": { type: "string", choices: ["preregistered", "clean"] } });
      const profile = checkProfile(f.values["--profile"] ?? "paper", "--profile");
      console.log(`[pspi] data: ${describeDataFromEnv().pspi}`);
      const regime = f.values["--regime"] ?? "preregistered";
      const dataset = pspiDatasetFromEnv() ?? undefined;
      if (dataset && regime === "clean") throw new FacrInputError("the clean regime is a SynPain setting; FACR_UNBC_DIR is set, so the data are real", { field: "--regime" });
      const file = regime === "clean" ? "pspi-clean.json" : "pspi.json";
      await runPspiExperiment({ profile, dataset, overrides: regime === "clean" ? { regime: { ...CLEAN_REGIME }, arms: [...CLEAN_ROW_SET_ARMS] } : undefined, out: f.values["--out"] ?? resultPath(file, profile) });
    },
  },
  emotion: {
    help: "run the emotion-transfer experiment (C4): emotion [--profile smoke|quick|paper] [--out file] (default: <results dir>/emotion-transfer.json)",
    run: async (args) => {
      const f = parseFlags(args, EXPERIMENT_FLAGS);
      const profile = checkProfile(f.values["--profile"] ?? "paper", "--profile");
      console.log(`[emotion] data: ${describeDataFromEnv().emotion}`);
      await runEmotionTransfer({ profile, domains: (cfg) => emotionDomainsFromEnv(cfg.data.seed), out: f.values["--out"] ?? resultPath("emotion-transfer.json", profile) });
    },
  },
  "dose-response": {
    help: "sweep λ_cf and the margin m on the PSPI protocol (FACR arm alone; spec §10): dose-response [--profile smoke|quick|paper] [--out file] (default: <results dir>/dose-response.json)",
    run: async (args) => {
      const f = parseFlags(args, EXPERIMENT_FLAGS);
      const profile = checkProfile(f.values["--profile"] ?? "paper", "--profile");
      console.log(`[dose-response] data: ${describeDataFromEnv().pspi}`);
      await runDoseResponse({ profile, dataset: pspiDatasetFromEnv() ?? undefined, out: f.values["--out"] ?? resultPath("dose-response.json", profile) });
    },
  },
  sensitivity: {
    help: "the regime map (PSPI-AU visibility × shortcut strength, FACR and competitors) and the bypass sweep (width of h) on SynPain: sensitivity [--profile smoke|quick|paper] [--out file] (default: <results dir>/sensitivity.json)",
    run: async (args) => {
      const f = parseFlags(args, EXPERIMENT_FLAGS);
      const profile = checkProfile(f.values["--profile"] ?? "paper", "--profile");
      await runSensitivity({ profile, out: f.values["--out"] ?? resultPath("sensitivity.json", profile) });
    },
  },
  audit: {
    help: "audit a reasoner on your AU data: audit --data F --format openface|unbc|ckplus --graph pspi|emotion|G.json [--model DIR] [--out report.json|.csv|.html] (audit --help)",
    run: async (args) => (await auditCommand(args)).code,
  },
  verbalizer: {
    help: "run the verbalizer audit (C5–C7): verbalizer [--profile smoke|quick|paper] [--out file] (default: <results dir>/verbalizer.json)",
    run: async (args) => {
      const f = parseFlags(args, EXPERIMENT_FLAGS);
      const profile = checkProfile(f.values["--profile"] ?? "paper", "--profile");
      await runVerbalizerExperiment({ profile, out: f.values["--out"] ?? resultPath("verbalizer.json", profile) });
    },
  },
  figures: {
    help: "rebuild every figure from the results dir (no training): figures [--no-png]",
    run: async (args) => {
      const f = parseFlags(args, { "--no-png": { type: "boolean" } });
      const profile = profileFromEnv();
      const r = await buildFigures({ resultsDir: resultsDir(profile), figuresDir: figuresDir(profile), png: !f.switches.has("--no-png") });
      console.log(`wrote ${r.written.length} files to ${figuresDir(profile)}`);
      if (r.missing.length) console.log(`results not found (their figures skipped): ${r.missing.join(", ")}`);
      if (r.skipped.length) console.log(`skipped: ${r.skipped.join("; ")}`);
    },
  },
  verify: {
    help: "print the claims table C1–C7 from the results dir (--dir DIR); exit 1 if a result is missing or a criterion fails",
    run: async (args) => {
      const dir = parseFlags(args, { "--dir": { type: "string" } }).values["--dir"] ?? resultsDir(profileFromEnv());
      const rows = claimsTable(dir);
      const text = `Claims (results in ${dir}; all data SYNTHETIC unless a row says otherwise)\n\n${claimsMarkdown(rows)}\n`;
      console.log(text);
      writeFileAtomic(path.join(dir, "claims.md"), text);
      const failed = rows.filter((r) => r.verdict !== "reproduced");
      const stale = rows.filter((r) => r.stale);
      if (stale.length) console.log(`\n${stale.length} row(s) come from a result produced by other code (see STALE).`);
      if (failed.length) {
        console.log(`\n${failed.length} of ${rows.length} claims not verified: ${failed.map((r) => `${r.id} (${r.verdict})`).join(", ")}`);
        return 1;
      }
      console.log(`\nall ${rows.length} claims verified.`);
    },
  },
  paper: {
    help: "fill paper/paper.template.md from the results dir → paper/paper.md (paper profile) or build/PROFILE/paper/paper.md",
    run: async (args) => {
      const f = parseFlags(args, { "--out": { type: "string" }, "--no-pdf": { type: "boolean" } });
      const profile = profileFromEnv();
      const out = f.values["--out"] ?? (profile === "paper" ? path.join("paper", "paper.md") : path.join("build", profile, "paper", "paper.md"));
      const r = buildPaper({ resultsDir: resultsDir(profile), figuresDir: figuresDir(profile), template: path.join("paper", "paper.template.md"), out });
      console.log(`wrote ${r.out} (${r.placeholders} generated values${r.missing.length ? `; results missing: ${r.missing.join(", ")}` : ""})`);
      if (!f.switches.has("--no-pdf")) {
        const p = await paperToHtmlAndPdf(r.out);
        console.log(`wrote ${p.html}${p.pdf ? ` and ${p.pdf}` : ` (no PDF: ${p.reason})`}`);
      }
    },
  },
  backend: {
    help: "select and print the tfjs backend (FACR_BACKEND=node-gpu|wasm|cpu to force)",
    run: async (args) => {
      parseFlags(args, {});
      const info = await initBackend(undefined, { quiet: true });
      console.log(`${info.name}${info.skipped.length ? ` (skipped ${info.skipped.join("; ")})` : ""}`);
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === "help" || cmd === "--help" || !COMMANDS[cmd]) {
    if (cmd && !["help", "--help"].includes(cmd)) console.error(`unknown command "${cmd}"\n`);
    console.log("usage: facr <command> [args]\n");
    for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(10)} ${c.help}`);
    return cmd && !["help", "--help"].includes(cmd) ? 2 : 0;
  }
  // `facr <command> --help` prints that command's usage (audit has its own, longer help)
  if (cmd !== "audit" && (args.includes("--help") || args.includes("-h"))) {
    console.log(`facr ${cmd}: ${COMMANDS[cmd].help}`);
    return 0;
  }
  try {
    return (await COMMANDS[cmd].run(args)) ?? 0;
  } catch (err) {
    if (err instanceof FacrInputError) {
      console.error(`facr ${cmd}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
