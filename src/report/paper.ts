import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../util/atomic";
import { FacrInputError } from "../util/errors";
import { PSPI_DEFAULTS } from "../experiments/pspi";
import { CLEAN_REGIME, PREREGISTERED_REGIME } from "../experiments/regimes";
import { SENSITIVITY_DEFAULTS } from "../experiments/sensitivity";
import { claimsMarkdown, claimsTable, readResult } from "./claims";

/**
 * The paper with every number generated: `paper/paper.template.md` holds the
 * text; placeholders are filled from `results/*.json` (never typed by hand):
 *
 *   {{pspi.arms.facr.agreement.G.kappa}}   an interval → "0.999 [0.998, 1.000]"
 *   {{pspi.arms.facr.agreement.G.kappa.estimate}}   a number → "0.999"
 *   {{pspi.data.summary.frames}}           an integer → "47420"
 *   {{claims.C1.verdict}}                  a claims-table cell
 *   {{protocol.preregistered.auVisibility}} the committed protocol (regimes, PSPI and sensitivity
 *                                          defaults of src/experiments/), result-free
 *   {{?pspi.config.regime.name}}           optional: "n/a (not in this result)" when an older result lacks it
 *   {{table:claims}} {{table:pspi}} {{table:pspi-clean}} {{table:emotion}} {{table:verbalizer}}
 *   {{table:dose-response}} {{table:sensitivity}}
 *   {{figure:pspi-agreement|caption}}      an image of figures/pspi-agreement.svg; everything after
 *                                          the first "|" is the caption, which may itself contain "|"
 *
 * A result that is missing renders as "not run" with the make target that
 * produces it (values, tables and figures alike), so the paper builds from any
 * subset of results, e.g. without the 25-minute sensitivity sweep.
 *
 * Keys of a value path may contain "|" too (pspi.differences.facr-baseline.agreement|G|kappa):
 * a value path is split on dots only, a table name not at all. No directive may contain "}".
 *
 * An unknown placeholder is an error naming the template line, so a typo cannot
 * silently print nothing.
 */
export interface PaperInputs {
  resultsDir: string;
  figuresDir: string;
  template: string;
  out: string;
}

type Json = unknown;

export function buildPaper(p: PaperInputs): { out: string; placeholders: number; missing: string[] } {
  const results: Record<string, Json> = {
    pspi: readResult(p.resultsDir, "pspi.json"),
    emotion: readResult(p.resultsDir, "emotion-transfer.json"),
    verbalizer: readResult(p.resultsDir, "verbalizer.json"),
    doseResponse: readResult(p.resultsDir, "dose-response.json"),
    pspiClean: readResult(p.resultsDir, "pspi-clean.json"),
    sensitivity: readResult(p.resultsDir, "sensitivity.json"),
  };
  const rows = claimsTable(p.resultsDir);
  results.claims = Object.fromEntries(rows.map((r) => [r.id, r]));
  const missing = Object.entries(results).filter(([, v]) => v === null).map(([k]) => k);
  // the committed protocol, for the text that describes it without a result
  results.protocol = {
    preregistered: PREREGISTERED_REGIME,
    clean: CLEAN_REGIME,
    pspi: { interventionPercentile: Math.round(PSPI_DEFAULTS.interventionQuantile * 100), lambdaCf: PSPI_DEFAULTS.lambdaCf, lambdaRrr: PSPI_DEFAULTS.lambdaRrr, seeds: PSPI_DEFAULTS.seeds.length },
    sensitivity: SENSITIVITY_DEFAULTS,
  };
  const text = fs.readFileSync(p.template, "utf8");
  let count = 0;
  const outDir = path.dirname(p.out);
  const filled = text.split("\n").map((line, i) =>
    line.replace(/\{\{([^}]+)\}\}/g, (_m, body: string) => {
      count++;
      const where = { file: p.template, line: i + 1, field: body };
      const [kind, rest] = body.includes(":") ? [body.slice(0, body.indexOf(":")), body.slice(body.indexOf(":") + 1)] : ["value", body];
      if (kind === "table") return table(rest.trim(), results, rows, where);
      if (kind === "figure") {
        // only the first "|" separates the name from the caption: captions may contain "|" (e.g. "Mean |Δ| per AU")
        const bar = rest.indexOf("|");
        const figure = (bar < 0 ? rest : rest.slice(0, bar)).trim();
        const caption = bar < 0 ? "" : rest.slice(bar + 1).trim();
        const file = path.join(p.figuresDir, `${figure}.svg`);
        const source = figureSource(figure);
        if (!fs.existsSync(file) && source && results[source] === null) return `*(figure ${figure}: not run: \`${RESULT_MAKE[source]}\`)*`;
        if (!fs.existsSync(file)) return `*(figure ${figure} not built: run \`make figures\`${source ? `; a ${RESULT_FILE[source]} from before this figure existed has no data for it: rerun \`${RESULT_MAKE[source]}\`` : ""})*`;
        return `![${escapeAlt(caption || figure)}](${path.relative(outDir, file)})`;
      }
      if (kind !== "value") throw new FacrInputError(`unknown placeholder kind "${kind}" (value, table, figure)`, where);
      const key = rest.trim();
      if (key.startsWith("?")) return optional(results, key.slice(1), where);
      return format(lookup(results, key, where));
    }),
  );
  writeFileAtomic(p.out, filled.join("\n"));
  return { out: p.out, placeholders: count, missing };
}

/** The result behind each key of `results`, and the make target that produces it. */
const RESULT_FILE: Record<string, string> = { pspi: "pspi.json", emotion: "emotion-transfer.json", verbalizer: "verbalizer.json", doseResponse: "dose-response.json", pspiClean: "pspi-clean.json", sensitivity: "sensitivity.json" };
const RESULT_MAKE: Record<string, string> = { pspi: "make pspi", emotion: "make emotion", verbalizer: "make verbalizer", doseResponse: "make dose-response", pspiClean: "make pspi", sensitivity: "make sensitivity" };

/** The result a figure is drawn from, by its name (src/figures/build.ts names them so). */
function figureSource(name: string): string | null {
  if (name.startsWith("pspi-clean-")) return "pspiClean";
  if (name.startsWith("pspi-")) return "pspi";
  if (name.startsWith("sensitivity-")) return "sensitivity";
  if (name.startsWith("emotion-")) return "emotion";
  if (name.startsWith("verbalizer-")) return "verbalizer";
  if (name.startsWith("dose-response-")) return "doseResponse";
  return null;
}

/** `{{?path}}`: the value, "not run: make …" without the result, "n/a (not in this result)" when an older result lacks the key. */
function optional(root: Record<string, Json>, dotted: string, where: { file: string; line: number; field: string }): string {
  const head = dotted.split(".")[0];
  if (!(head in root)) throw new FacrInputError(`no result "${head}" (${Object.keys(root).join(", ")})`, where);
  try {
    return format(lookup(root, dotted, where));
  } catch (err) {
    if (err instanceof FacrInputError) return "n/a (not in this result)";
    throw err;
  }
}

/** Brackets and backslashes would end or alter a Markdown image description; "|" needs no escape outside a table row. */
function escapeAlt(caption: string): string {
  return caption.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function lookup(root: Record<string, Json>, dotted: string, where: { file: string; line: number; field: string }): Json {
  // keys may contain dots' neighbors like "G'"; split on dots only
  const parts = dotted.split(".");
  let cur: Json = root;
  for (const [j, key] of parts.entries()) {
    if (cur === null || cur === undefined) {
      return j === 1 ? (RESULT_MAKE[parts[0]] ? `(not run: \`${RESULT_MAKE[parts[0]]}\`)` : `(${parts[0]} result missing)`) : fail();
    }
    if (typeof cur !== "object" || !(key in (cur as object))) return fail();
    cur = (cur as Record<string, Json>)[key];
  }
  return cur;
  function fail(): never {
    throw new FacrInputError(`no value at "${dotted}" in the results`, where);
  }
}

function isInterval(x: Json): x is { estimate: number; lo: number; hi: number } {
  return !!x && typeof x === "object" && "estimate" in (x as object) && "lo" in (x as object) && "hi" in (x as object);
}

/** Numbers: integers as is, others with 3 decimals; intervals as "est [lo, hi]"; null (NaN in JSON) as "–". */
export function format(x: Json): string {
  if (x === null) return "–";
  if (typeof x === "number") return Number.isInteger(x) ? String(x) : x.toFixed(3);
  if (typeof x === "string") return x;
  if (typeof x === "boolean") return x ? "yes" : "no";
  if (isInterval(x)) return [x.estimate, x.lo, x.hi].every((v) => typeof v === "number") ? `${x.estimate.toFixed(3)} [${x.lo.toFixed(3)}, ${x.hi.toFixed(3)}]` : "–";
  if (Array.isArray(x) && x.every((v) => typeof v !== "object")) return x.map(format).join(", ");
  throw new Error(`cannot print ${JSON.stringify(x).slice(0, 60)} in the paper: point at a number, string or interval`);
}

type AnyArms = Record<string, { agreement: Record<string, Record<string, Json>>; detection: Record<string, Json> }>;

function table(name: string, results: Record<string, Json>, rows: ReturnType<typeof claimsTable>, where: { file: string; line: number; field: string }): string {
  if (name === "claims") return claimsMarkdown(rows);
  if (name === "pspi" || name === "emotion" || name === "pspi-clean") {
    const key = name === "pspi-clean" ? "pspiClean" : name;
    const r = results[key] as { arms: AnyArms } | null;
    if (!r) return `*(${name} result: not run: \`${RESULT_MAKE[key]}\`)*`;
    const graphKeys = Object.keys(Object.values(r.arms)[0].agreement);
    const det = name === "pspi" ? ["auc", "f1"] : ["accuracy", "macroF1"];
    const head = ["arm", ...graphKeys.map((g) => `κ with ${g === "G" ? (name === "emotion" ? "G (induced)" : "G (PSPI)") : g === "Gtrain" ? "own graph" : g}`), "recall (G)", "precision (G)", "polarity acc. (G)", ...det];
    const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
    for (const [arm, s] of Object.entries(r.arms)) {
      lines.push(
        `| ${arm} | ${graphKeys.map((g) => format(s.agreement[g].kappa)).join(" | ")} | ${format(s.agreement.G.recall)} | ${format(s.agreement.G.precision)} | ${format(s.agreement.G.polarityAccuracy)} | ${det.map((k) => format(s.detection[k])).join(" | ")} |`,
      );
    }
    return lines.join("\n");
  }
  if (name === "verbalizer") {
    const r = results.verbalizer as { audit: { task: string; backbone: string; mode: string; measures: Record<string, Json> }[] } | null;
    if (!r) return "*(verbalizer result missing)*";
    const metrics = ["removal", "stability", "resampleRemoval", "kappaActive", "perplexity", "acceptance"].filter((k) => r.audit.some((a) => k in a.measures));
    const lines = [`| task | backend | mode | ${metrics.join(" | ")} |`, `|---|---|---|${metrics.map(() => "---").join("|")}|`];
    for (const a of r.audit) lines.push(`| ${a.task} | ${a.backbone} | ${a.mode} | ${metrics.map((k) => (k in a.measures ? format(a.measures[k]) : "–")).join(" | ")} |`);
    return lines.join("\n");
  }
  if (name === "dose-response") {
    type Point = { lambdaCf: number; margin: number } & Record<"kappa" | "polarityAccuracy" | "auc" | "f1", Json>;
    const r = results.doseResponse as { lambdaSweep: Point[]; marginSweep: Point[] } | null;
    if (!r) return "*(dose-response result missing)*";
    const lines = ["| sweep | λ_cf | m | κ with G | polarity acc. (G) | AUC | F1 |", "|---|---|---|---|---|---|---|"];
    for (const [sweep, pts] of [["λ_cf", r.lambdaSweep], ["margin", r.marginSweep]] as const) {
      for (const q of pts) lines.push(`| ${sweep} | ${q.lambdaCf} | ${q.margin} | ${format(q.kappa)} | ${format(q.polarityAccuracy)} | ${format(q.auc)} | ${format(q.f1)} |`);
    }
    return lines.join("\n");
  }
  if (name === "sensitivity") {
    type Cell = { auVisibility: number; shortcutStrength: number; arms: Record<string, Record<"kappaGain" | "aucChange" | "aucHFixed", Json>> };
    const r = results.sensitivity as { cells: Cell[] } | null;
    if (!r) return "*(regime map: not run: `make sensitivity`)*";
    const lines = ["| PSPI-AU visibility | shortcut strength | arm | κ with G − baseline | AUC − baseline | AUC, h fixed |", "|---|---|---|---|---|---|"];
    for (const c of r.cells) {
      for (const [arm, m] of Object.entries(c.arms)) {
        if (arm === "baseline") continue;
        const pre = c.auVisibility === PREREGISTERED_REGIME.auVisibility && c.shortcutStrength === PREREGISTERED_REGIME.shortcutStrength ? " (pre-registered)" : "";
        lines.push(`| ${c.auVisibility}${pre} | ${c.shortcutStrength} | ${arm} | ${format(m.kappaGain)} | ${format(m.aucChange)} | ${format(m.aucHFixed)} |`);
      }
    }
    return lines.join("\n");
  }
  throw new FacrInputError(`unknown table "${name}" (claims, pspi, pspi-clean, emotion, verbalizer, dose-response, sensitivity)`, where);
}
