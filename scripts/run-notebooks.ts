/**
 * Run the notebooks headless, in order, each in a fresh tslab kernel started in
 * the project root, and write executed copies (the committed ones stay clean).
 *
 *   tsx scripts/run-notebooks.ts [--profile smoke|quick|paper] [--out DIR] [--timeout S] [--all] [--only NAME] [NAME …]
 *
 *   --profile   FACR_PROFILE for the notebooks (default: $FACR_PROFILE, else paper)
 *   --out       where executed copies go (default: notebooks/executed/ for paper,
 *               build/<profile>/notebooks/ otherwise)
 *   --timeout   seconds per cell (default 3600: paper cells train for minutes)
 *   NAME        run only these notebooks (e.g. 01 or 03-pspi-faithfulness); default all notebooks/NN-*.ipynb
 *               except the opt-in ones below; `--only NAME` is the same as NAME
 *   --all       also run the opt-in notebooks at quick and paper
 *
 * Opt-in notebooks (OPT_IN) are long sweeps with their own make target: at the
 * quick and paper profiles they run only when named (`--only 09`) or with
 * `--all`, and the runner prints that it skipped them and why; at the smoke
 * profile (`make test`) they run like every other notebook. Notebook 09 (the
 * regime map) trains for about 25 minutes at paper: `make sensitivity` runs
 * the sweep and then `--only 09`, so `make reproduce` / `make notebooks` stay
 * as long as before.
 *
 * The notebooks see FACR_PROFILE, FACR_RESULTS_DIR and FACR_FIGURES_DIR (from
 * src/report/paths.ts: results/ and figures/ for paper, build/<profile>/… otherwise;
 * set them to override) and JUPYTER_PATH=jupyter/ (the project-local kernel).
 * Stops at the first failing notebook and prints the failing cell's source, its
 * error text and the kernel's stderr. Needs the Debian packages of
 * scripts/setup-debian.sh (`make notebooks` installs them).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { figuresDir, resultsDir } from "../src/report/paths";
import { checkProfile, Profile } from "../src/util/config";
import { cellSource, JUPYTER_DIR, listNotebooks, Notebook, NOTEBOOKS_DIR, PROJECT_ROOT } from "./notebook-files";

const PYTHON = process.env.FACR_PYTHON ?? (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
const HELPER = path.join(PROJECT_ROOT, "scripts", "execute-notebook.py");
const KERNEL_LOG_TAIL = 40;

interface Args {
  profile: Profile;
  out: string | null;
  timeout: number;
  names: string[];
  all: boolean;
}

/** Notebooks run by default only at the smoke profile (see the module comment), with the reason printed when skipped. */
const OPT_IN: Readonly<Record<string, string>> = {
  "09-sensitivity": "the regime-map sweep trains for about 25 minutes at paper; `make sensitivity` runs it (or pass --only 09 / --all)",
};

interface HelperResult {
  ok: boolean;
  failedCell: number | null;
  error: string | null;
  kernel: string | null;
  seconds: number;
  slowest?: { cell: number; seconds: number; source: string }[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { profile: checkProfile(process.env.FACR_PROFILE ?? "paper", "FACR_PROFILE"), out: null, timeout: 3600, names: [], all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--profile") args.profile = checkProfile(value(), "--profile");
    else if (a === "--out") args.out = value();
    else if (a === "--only") args.names.push(value());
    else if (a === "--all") args.all = true;
    else if (a === "--timeout") {
      args.timeout = Number(value());
      if (!Number.isInteger(args.timeout) || args.timeout <= 0) throw new Error(`--timeout must be a positive whole number of seconds`);
    } else if (a === "-h" || a === "--help") {
      console.log(fs.readFileSync(__filename, "utf8").split("*/")[0].replace(/^\/\*\*?|^ \* ?/gm, ""));
      process.exit(0);
    } else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else args.names.push(a);
  }
  return args;
}

/** The notebooks to run, and the opt-in ones left out (with why). */
function selectNotebooks(names: string[], opts: { profile: Profile; all: boolean }): { run: string[]; skipped: string[] } {
  const all = listNotebooks();
  if (!all.length) throw new Error(`no notebooks matching NN-*.ipynb in ${path.relative(PROJECT_ROOT, NOTEBOOKS_DIR)}/`);
  if (!names.length) {
    if (opts.all || opts.profile === "smoke") return { run: all, skipped: [] };
    const optIn = (f: string) => OPT_IN[path.basename(f, ".ipynb")];
    return { run: all.filter((f) => !optIn(f)), skipped: all.filter(optIn).map((f) => `${path.basename(f)}: ${optIn(f)}`) };
  }
  return { run: pickNotebooks(all, names), skipped: [] };
}

function pickNotebooks(all: string[], names: string[]): string[] {
  return names.map((n) => {
    const base = path.basename(n).replace(/\.ipynb$/, "");
    const hits = all.filter((f) => path.basename(f, ".ipynb") === base || path.basename(f).startsWith(base + "-"));
    if (hits.length !== 1) throw new Error(`notebook "${n}" matches ${hits.length ? hits.map((h) => path.basename(h)).join(", ") : "none of"} ${hits.length ? "" : all.map((h) => path.basename(h)).join(", ")}`);
    return hits[0];
  });
}

function checkSetup(): void {
  if (!fs.existsSync(path.join(PROJECT_ROOT, "node_modules", "tslab", "dist", "main.js"))) {
    throw new Error("node_modules/tslab is missing: run `make install` (npm ci)");
  }
  const probe = spawnSync(PYTHON, ["-c", "import nbclient, nbformat, jupyter_client"], { encoding: "utf8" });
  if (probe.status !== 0) {
    throw new Error(`${PYTHON} cannot import nbclient/nbformat/jupyter_client (${(probe.stderr || String(probe.error ?? "")).trim().split("\n").pop()}). Install the Debian packages: scripts/setup-debian.sh (make notebooks does it).`);
  }
}

const rel = (p: string) => path.relative(PROJECT_ROOT, p) || ".";
const secs = (s: number) => (s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`);
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");

/** Runs the helper on one notebook; forwards its progress lines, keeps the kernel's stderr. */
function execute(src: string, dst: string, timeout: number, env: NodeJS.ProcessEnv): Promise<{ result: HelperResult | null; stderr: string[]; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [HELPER, src, dst, "--cwd", PROJECT_ROOT, "--timeout", String(timeout)], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let result: HelperResult | null = null;
    const stderr: string[] = [];
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("@@facr-result ")) result = JSON.parse(line.slice("@@facr-result ".length)) as HelperResult;
      else console.log(line);
    });
    readline.createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
    child.on("close", (code) => resolve({ result, stderr, code }));
  });
}

/** Text of a cell's outputs as a person would read them (streams, errors, text/plain). */
function outputText(outputs: unknown[]): string {
  const parts: string[] = [];
  for (const o of outputs as Record<string, unknown>[]) {
    const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
    if (o.output_type === "stream") parts.push(`[${String(o.name)}] ${text(o.text)}`);
    else if (o.output_type === "error") {
      const tb = Array.isArray(o.traceback) ? (o.traceback as string[]).join("\n") : "";
      parts.push(`[error] ${String(o.ename)}: ${String(o.evalue)}${tb ? `\n${tb}` : ""}`);
    } else {
      const data = (o.data ?? {}) as Record<string, unknown>;
      if (data["text/plain"] !== undefined) parts.push(`[${String(o.output_type)}] ${text(data["text/plain"])}`);
    }
  }
  return stripAnsi(parts.join("\n")).trimEnd();
}

function reportFailure(name: string, dst: string, res: { result: HelperResult | null; stderr: string[]; code: number | null }): void {
  const line = "-".repeat(78);
  console.error(`\n[notebooks] FAILED: ${name}`);
  let shown = false;
  if (res.result?.failedCell !== null && res.result?.failedCell !== undefined && fs.existsSync(dst)) {
    const nb = JSON.parse(fs.readFileSync(dst, "utf8")) as Notebook;
    const i = res.result.failedCell;
    const cell = nb.cells[i];
    if (cell) {
      const codeIndex = nb.cells.slice(0, i + 1).filter((c) => c.cell_type === "code").length;
      console.error(`${line}\ncell ${i + 1} (code cell ${codeIndex}) source:\n${line}`);
      console.error(cellSource(cell).split("\n").map((l, k) => `${String(k + 1).padStart(4)} | ${l}`).join("\n"));
      const text = outputText(cell.outputs ?? []);
      console.error(`${line}\nits output:\n${line}\n${text || "(none)"}`);
      shown = true;
    }
  }
  const err = res.result?.error;
  if (err && (!shown || !/CellExecutionError|An error occurred while executing/.test(err))) console.error(`${line}\nexecution error:\n${line}\n${stripAnsi(err).trim()}`);
  if (!res.result) console.error(`the notebook runner (${PYTHON} ${rel(HELPER)}) exited with status ${res.code} and no result`);
  const tail = res.stderr.filter((l) => l.trim()).slice(-KERNEL_LOG_TAIL);
  if (tail.length) console.error(`${line}\nkernel / runner stderr (last ${tail.length} lines):\n${line}\n${stripAnsi(tail.join("\n"))}`);
  if (fs.existsSync(dst)) console.error(`${line}\nexecuted copy (outputs up to the failure): ${rel(dst)}`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  process.env.FACR_PROFILE = args.profile;
  const results = path.resolve(PROJECT_ROOT, resultsDir(args.profile));
  const figures = path.resolve(PROJECT_ROOT, figuresDir(args.profile));
  const out = path.resolve(PROJECT_ROOT, args.out ?? (args.profile === "paper" ? path.join("notebooks", "executed") : path.join("build", args.profile, "notebooks")));
  const { run: notebooks, skipped } = selectNotebooks(args.names, args);
  checkSetup();
  for (const d of [results, figures, out]) fs.mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FACR_PROFILE: args.profile,
    FACR_RESULTS_DIR: results,
    FACR_FIGURES_DIR: figures,
    JUPYTER_PATH: [JUPYTER_DIR, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    PYTHONUNBUFFERED: "1",
  };
  for (const s of skipped) console.log(`[notebooks] skipped (opt-in at profile ${args.profile}) ${s}`);
  console.log(`[notebooks] profile ${args.profile}: ${notebooks.length} notebook(s); results → ${rel(results)}/, figures → ${rel(figures)}/, executed copies → ${rel(out)}/`);
  const t0 = performance.now();
  const timings: { notebook: string; seconds: number; slowestCells: HelperResult["slowest"] }[] = [];
  for (const [j, src] of notebooks.entries()) {
    const name = path.basename(src);
    const dst = path.join(out, name);
    console.log(`[notebooks] ${j + 1}/${notebooks.length} ${name} …`);
    const ts = performance.now();
    const res = await execute(src, dst, args.timeout, env);
    const seconds = (performance.now() - ts) / 1000;
    const expected = path.join(JUPYTER_DIR, "kernels");
    if (res.result?.ok && res.result.kernel && !path.resolve(res.result.kernel).startsWith(expected + path.sep)) {
      res.result.ok = false;
      res.result.error = `ran in kernelspec ${res.result.kernel}, not the project's (${rel(expected)}/): another kernelspec of that name shadows it`;
    }
    if (!res.result?.ok) {
      reportFailure(name, dst, res);
      console.error(`[notebooks] stopped after ${secs((performance.now() - t0) / 1000)}; ${notebooks.length - j - 1} notebook(s) not run`);
      return 1;
    }
    timings.push({ notebook: name, seconds: Math.round(seconds * 10) / 10, slowestCells: res.result.slowest ?? [] });
    const slow = (res.result.slowest ?? []).map((c) => `cell ${c.cell} ${secs(c.seconds)}`).join(", ");
    console.log(`[notebooks] ${j + 1}/${notebooks.length} ${name} ok in ${secs(seconds)}${slow ? ` (slowest: ${slow})` : ""} → ${rel(dst)}`);
  }
  const total = (performance.now() - t0) / 1000;
  const timingsFile = path.join(out, "timings.json");
  // a partial run (NAME / --only, e.g. make sensitivity's `--only 09`) keeps the other notebooks' timings of the same profile
  let kept: typeof timings = [];
  if (args.names.length && fs.existsSync(timingsFile)) {
    try {
      const prev = JSON.parse(fs.readFileSync(timingsFile, "utf8")) as { profile?: string; notebooks?: typeof timings };
      if (prev.profile === args.profile) kept = (prev.notebooks ?? []).filter((t) => !timings.some((n) => n.notebook === t.notebook));
    } catch {
      kept = [];
    }
  }
  const allTimings = [...kept, ...timings].sort((a, b) => a.notebook.localeCompare(b.notebook));
  const totalAll = kept.length ? allTimings.reduce((s, t) => s + t.seconds, 0) : total;
  fs.writeFileSync(timingsFile, JSON.stringify({ profile: args.profile, totalSeconds: Math.round(totalAll * 10) / 10, notebooks: allTimings, finished: new Date().toISOString() }, null, 2) + "\n");
  console.log(`[notebooks] all ${notebooks.length} ok in ${secs(total)} (${timings.map((t) => `${t.notebook.replace(/\.ipynb$/, "")} ${secs(t.seconds)}`).join(", ")})`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`[notebooks] ${(e as Error).message ?? String(e)}`);
    process.exitCode = 2;
  },
);
