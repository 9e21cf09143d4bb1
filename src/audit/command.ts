import * as fs from "node:fs";
import * as path from "node:path";
import { FacrInputError } from "../util/errors";
import { runAudit } from "./audit";
import { GATE_SOURCES, GateSource } from "./rationale";
import { formatAuditText, reportKindOf, writeAuditReport } from "./report";
import { AU_SCALES, AuScale, AUDIT_FORMATS, AuditFormat, AuditReport, HEAD_POLICIES, HeadPolicy } from "./types";

/**
 * The `facr audit` command line (src/cli.ts dispatches here):
 *
 *   facr audit --data <file or dir> --format openface|unbc|ckplus --graph pspi|emotion|<graph.json>
 *              [--model <dir>] [--out report.json|report.csv|report.html]
 *              [--head auto|default|labels] [--tau 0.5] [--resamples 1000] [--seed 0]
 *              [--gate invoked|z] [--limit N] [--save-model <dir>] [--au-scale auto|0-5|0-1]
 *              [--deterministic]
 */
export const AUDIT_USAGE = `usage: facr audit --data <file or dir> --format openface|unbc|ckplus --graph pspi|emotion|<graph.json>
                  [--model <dir>] [--out report.json|report.csv|report.html]
                  [--head auto|default|labels] [--tau 0.5] [--resamples 1000] [--seed 0]
                  [--gate invoked|z] [--limit N] [--save-model <dir>] [--au-scale auto|0-5|0-1]
                  [--deterministic]

  --data        an OpenFace 2.x CSV (or a folder of them, one subject per file), a UNBC-McMaster root, a CK+ root
  --format      the data's format
  --graph       G: the PSPI graph, the FACS emotion prototypes, or a graph JSON file
  --model       a saved reasoner (an audit head saved with --save-model, or a facr Reasoner); default: an
                external-AU reasoner on the data's AU values, its head trained on the data's labels when they
                name G's classes (subject cross-fitting), else on facr's synthetic data
  --out         also write the report (atomically) as JSON, CSV (one row per frame) or self-contained HTML
  --head        which head without --model (default auto: labels when possible, else default)
  --tau         invocation threshold τ, nats of log-odds (default 0.5)
  --resamples   subject-bootstrap resamples of the fidelity CI (default 1000)
  --gate        what opens the verbalizer's gate: invoked (z of AUs that push the prediction by ≥ τ; default) or z
  --limit       print only the first N frames (the report file holds all)
  --save-model  save the external-AU reasoner's head here (reuse it with --model)
  --au-scale    the scale of the data's AU values: 0-5 (OpenFace AU*_r, FACS intensities; z = value / 5),
                0-1 (already scaled, e.g. AU*_r / 5 in post-processing; z = value), or auto (default:
                OpenFace data is 0-1 when every AU_r value is ≤ 1 and some is > 0, else 0-5; UNBC and CK+
                FACS codes are 0-5); the report says what was used and why
  --deterministic  a byte-reproducible report: start time 1970-01-01 (or SOURCE_DATE_EPOCH, which also turns
                this on) and timings written as 0; same data, options and backend → the same bytes

Warnings (printed as WARNING lines, in the JSON's "warnings" and in a box at the top of the HTML): AU values
that contradict --au-scale; ≥ 95% of frames predicted as one class; a label-trained head on fewer than 50
labelled frames or 5 subjects; a saved head trained with L_cf on the same G it is scored against.

Exit codes: 0 ok, 2 bad input (the message names file, line and field).`;

const FLAGS = ["--data", "--format", "--graph", "--model", "--out", "--head", "--tau", "--resamples", "--seed", "--gate", "--limit", "--save-model", "--au-scale", "--deterministic"] as const;
/** Flags that take no value. */
const SWITCHES = ["--deterministic"] as const;
type Flag = (typeof FLAGS)[number];

/** Parse `audit` arguments strictly: every flag known and given once, with a value. */
export function parseAuditArgs(args: readonly string[]): Partial<Record<Flag, string>> {
  const out: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (!(FLAGS as readonly string[]).includes(name)) {
      throw new FacrInputError(a.startsWith("-") ? `unknown option (known: ${FLAGS.join(", ")})` : `unexpected argument ${JSON.stringify(a)} (options are --name value)`, { field: name });
    }
    if ((SWITCHES as readonly string[]).includes(name)) {
      if (inline !== undefined) throw new FacrInputError(`takes no value, got ${JSON.stringify(inline)}`, { field: name });
      if (out[name as Flag] !== undefined) throw new FacrInputError("given twice", { field: name });
      out[name as Flag] = "true";
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new FacrInputError("needs a value", { field: name });
    if (out[name as Flag] !== undefined) throw new FacrInputError("given twice", { field: name });
    out[name as Flag] = value;
  }
  return out;
}

function numberFlag(v: string | undefined, name: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new FacrInputError(`must be ${integer ? "an integer" : "a number"}, got ${JSON.stringify(v)}`, { field: name });
  return n;
}

function choiceFlag<T extends string>(v: string | undefined, choices: readonly T[], name: string): T | undefined {
  if (v === undefined) return undefined;
  if (!choices.includes(v as T)) throw new FacrInputError(`must be one of ${choices.join(", ")}, got ${JSON.stringify(v)}`, { field: name });
  return v as T;
}

/**
 * --deterministic, or SOURCE_DATE_EPOCH (seconds since 1970, the
 * reproducible-builds convention) in the environment: a byte-reproducible
 * report whose start time is that epoch (or 0) and whose timings are 0.
 */
export function reproducibility(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { deterministic?: boolean; sourceDate?: Date } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d+$/.test(epoch.trim())) throw new FacrInputError(`must be a whole number of seconds since 1970, got ${JSON.stringify(epoch)}`, { field: "SOURCE_DATE_EPOCH" });
    return { deterministic: true, sourceDate: new Date(Number(epoch.trim()) * 1000) };
  }
  return flag === undefined ? {} : { deterministic: true };
}

/**
 * Can `target` be written (a file, or with `folder` a directory), checked before
 * the audit's work rather than after it: it must not be an existing thing of the
 * other kind, and its nearest existing ancestor must be a writable folder (the
 * missing ones are created).
 */
export function checkOutputTarget(target: string, field: string, folder = false): void {
  const abs = path.resolve(target);
  if (fs.existsSync(abs)) {
    const isDir = fs.statSync(abs).isDirectory();
    if (isDir !== folder) throw new FacrInputError(`${target} is ${isDir ? "a folder" : "a file"}; expected ${folder ? "a folder" : "a file name"}`, { field });
  }
  let parent = path.dirname(abs);
  while (!fs.existsSync(parent)) parent = path.dirname(parent);
  if (!fs.statSync(parent).isDirectory()) throw new FacrInputError(`cannot write ${target}: ${parent} is a file, not a folder`, { field });
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    throw new FacrInputError(`cannot write ${target}: the folder ${parent} is not writable`, { field });
  }
}

/** Run `facr audit` with these arguments: print the report, write --out; returns the exit code. */
export async function auditCommand(args: readonly string[], print: (text: string) => void = (t) => console.log(t)): Promise<{ code: number; report?: AuditReport }> {
  if (args.includes("--help") || args.includes("-h")) {
    print(AUDIT_USAGE);
    return { code: 0 };
  }
  const a = parseAuditArgs(args);
  for (const required of ["--data", "--format", "--graph"] as const) {
    if (a[required] === undefined) throw new FacrInputError(`is required\n\n${AUDIT_USAGE}`, { field: required });
  }
  const format = choiceFlag<AuditFormat>(a["--format"], AUDIT_FORMATS, "--format")!;
  const head = choiceFlag<HeadPolicy>(a["--head"], HEAD_POLICIES, "--head");
  const gate = choiceFlag<GateSource>(a["--gate"], GATE_SOURCES, "--gate");
  const auScale = choiceFlag<AuScale>(a["--au-scale"], AU_SCALES, "--au-scale");
  const limit = numberFlag(a["--limit"], "--limit", true);
  if (limit !== undefined && limit < 0) throw new FacrInputError(`must be ≥ 0, got ${limit}`, { field: "--limit" });
  // fail on a bad extension or an unwritable place before any work
  if (a["--out"] !== undefined) {
    reportKindOf(a["--out"]);
    checkOutputTarget(a["--out"], "--out");
  }
  if (a["--save-model"] !== undefined) checkOutputTarget(a["--save-model"], "--save-model", true);
  const report = await runAudit({
    data: a["--data"]!,
    format,
    graph: a["--graph"]!,
    model: a["--model"],
    head,
    tau: numberFlag(a["--tau"], "--tau", false),
    resamples: numberFlag(a["--resamples"], "--resamples", true),
    seed: numberFlag(a["--seed"], "--seed", true),
    gate,
    auScale,
    saveModel: a["--save-model"],
    ...reproducibility(a["--deterministic"]),
    log: (line) => print(line),
  });
  print(formatAuditText(report, { limit }));
  if (a["--out"] !== undefined) {
    const kind = writeAuditReport(report, a["--out"]);
    print(`wrote ${a["--out"]} (${kind})`);
  }
  return { code: 0, report };
}
