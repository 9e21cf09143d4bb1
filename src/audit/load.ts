import * as fs from "node:fs";
import * as path from "node:path";
import { Dataset } from "../data/dataset";
import { remapEmotionLabels } from "../data/from-env";
import { loadCkPlus, loadOpenFace, loadUnbc } from "../data/loaders";
import { isFolder, listFolder, requirePath } from "../data/loaders/text-files";
import { DEFAULT_TAU } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { readGraph } from "../graph/io";
import { emotionPrototypeGraph, pspiGraph } from "../graph/known";
import { FacrInputError } from "../util/errors";
import { checkNumber } from "../util/options";
import { externalActivations, faceGeometry, GEOMETRY_FEATURES } from "./external-reasoner";
import { zScaleText } from "./external-inputs";
import { GATE_SOURCES, GateSource } from "./rationale";
import { AU_SCALES, AuScale, AuScaleInfo, AUDIT_FORMATS, AuditFormat, AuditOptions, HEAD_POLICIES, HeadPolicy } from "./types";

// The audit's inputs, read and checked: its options, G, the datasets, and their frames as rows.

/** The audit's numeric and choice options with their defaults, checked. */
export interface AuditSettings {
  tau: number;
  resamples: number;
  seed: number;
  /** Frames per batched head call. */
  chunk: number;
  policy: HeadPolicy;
  gate: GateSource;
  auScale: AuScale;
}

/** Check the options (in this order: the first bad one is the error) and fill in the defaults. */
export function auditSettings(opts: AuditOptions): AuditSettings {
  const tau = checkNumber(opts.tau ?? DEFAULT_TAU, "--tau", { min: 0 });
  const resamples = checkNumber(opts.resamples ?? 1000, "--resamples", { min: 1, integer: true });
  const seed = checkNumber(opts.seed ?? 0, "--seed", { integer: true });
  const chunk = checkNumber(opts.chunkSize ?? 2048, "chunkSize", { min: 1, integer: true });
  const policy = opts.head ?? "auto";
  if (!HEAD_POLICIES.includes(policy)) throw new FacrInputError(`must be one of ${HEAD_POLICIES.join(", ")}, got ${JSON.stringify(policy)}`, { field: "--head" });
  const gate = opts.gate ?? "invoked";
  if (!GATE_SOURCES.includes(gate)) throw new FacrInputError(`must be one of ${GATE_SOURCES.join(", ")}, got ${JSON.stringify(gate)}`, { field: "--gate" });
  const auScale = opts.auScale ?? "auto";
  if (!AU_SCALES.includes(auScale)) throw new FacrInputError(`must be one of ${AU_SCALES.join(", ")}, got ${JSON.stringify(auScale)}`, { field: "--au-scale" });
  if (opts.model !== undefined && opts.head !== undefined && opts.head !== "auto") throw new FacrInputError("give either --model or --head, not both", { field: "--head" });
  return { tau, resamples, seed, chunk, policy, gate, auScale };
}

/** "pspi" | "emotion" | a graph JSON file → G. */
export function resolveGraph(spec: string | CausalGraph): { graph: CausalGraph; spec: string } {
  if (typeof spec !== "string") return { graph: spec, spec: "(graph object)" };
  if (spec === "pspi") return { graph: pspiGraph(), spec };
  if (spec === "emotion") return { graph: emotionPrototypeGraph(), spec };
  if (!fs.existsSync(spec)) throw new FacrInputError(`must be "pspi", "emotion" or a graph JSON file; no such file`, { file: spec, field: "--graph" });
  return { graph: readGraph(spec), spec };
}

/** Load the audit's data as one or more datasets (several for a folder of OpenFace CSVs). */
export function loadAuditData(dataPath: string, format: AuditFormat): Dataset[] {
  if (!AUDIT_FORMATS.includes(format)) throw new FacrInputError(`must be one of ${AUDIT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`, { field: "--format" });
  if (typeof dataPath !== "string" || dataPath === "") throw new FacrInputError("needs a file or folder", { field: "--data" });
  if (!fs.existsSync(dataPath)) throw new FacrInputError("not found (expected a file or folder)", { file: dataPath, field: "--data" });
  if (format === "openface") {
    if (!isFolder(dataPath)) return [loadOpenFace(dataPath)];
    const files = listFolder(dataPath, "file", "folder of OpenFace CSV files").filter((n) => /\.csv$/i.test(n));
    if (files.length === 0) throw new FacrInputError("holds no .csv file (expected OpenFace CSV files, one per video)", { file: dataPath, field: "--data" });
    return files.map((f) => loadOpenFace(path.join(dataPath, f)));
  }
  requirePath(dataPath, "folder", format === "unbc" ? "UNBC-McMaster root folder" : "CK+ root folder");
  if (format === "unbc") return [loadUnbc(dataPath, { sequenceLabels: isFolder(path.join(dataPath, "Sequence_Labels")) })];
  return [remapEmotionLabels(loadCkPlus(dataPath), { dropUnlabelled: false })];
}

/** A dataset's labels as G class indices (-1: none or a class G lacks). */
function labelsFor(ds: Dataset, G: CausalGraph): Int32Array {
  const y = new Int32Array(ds.size).fill(-1);
  if (!ds.labels) return y;
  const map = ds.labels.classes.map((n) => G.classes.indexOf(n));
  for (let i = 0; i < ds.size; i++) {
    const l = ds.labels.y[i];
    if (l >= 0) y[i] = map[l];
  }
  return y;
}

/** The parts end to end. */
export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}


const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * The scale of the data's AU intensity values (every AU column of every file, NaN left out), and the
 * warnings it calls for. "auto" on OpenFace: every value ≤ 1 with some > 0 → already 0–1 (a common post-processing
 * of OpenFace's 0–5 AU*_r), read as z directly; else 0–5. "auto" on FACS codes (UNBC, CK+): 0–5, their
 * definition. An explicit scale is used as given, with a
 * warning when the values contradict it. Dividing 0–1 values by 5 again makes every face near-neutral,
 * and the emotion graph's neutral class then scores a perfect κ: this is what the detection prevents.
 */
export function detectAuScale(datasets: readonly Dataset[], requested: AuScale): { info: AuScaleInfo; warnings: string[] } {
  let max = -Infinity;
  let values = 0;
  let aboveOne = 0;
  let frames = 0;
  for (const d of datasets) {
    frames += d.size;
    for (const v of d.intensities) {
      if (!Number.isFinite(v)) continue;
      values++;
      if (v > max) max = v;
      if (v > 1) aboveOne++;
    }
  }
  const openface = datasets.every((d) => d.source === "openface");
  const what = openface ? "AU_r value" : "AU intensity value";
  const maxText = values ? `max ${fmt(max)} over ${frames} frames` : `no finite value over ${frames} frames`;
  const allLow = values > 0 && max <= 1 && max > 0;
  const warnings: string[] = [];
  let used: "0-5" | "0-1";
  let reason: string;
  if (requested === "auto") {
    if (!openface) {
      // FACS codes (UNBC, CK+): intensities A–E are 1–5 by definition; a subset coded only 0/A is not 0–1 data
      used = "0-5";
      reason = `FACS intensity codes (${[...new Set(datasets.map((d) => d.source))].join(", ")}) are 0–5 by definition (${maxText}): reading them as 0–5; pass --au-scale 0-1 to override`;
    } else if (allLow) {
      used = "0-1";
      reason = `every ${what} is ≤ 1.0 (${maxText}): reading them as 0–1; pass --au-scale 0-5 to override`;
    } else if (values === 0 || max <= 0) {
      used = "0-5";
      reason = `no ${what} is above 0 (${maxText}): the scale cannot be told from the data; reading them as 0–5 (z = 0 either way)`;
    } else {
      used = "0-5";
      reason = `${aboveOne} ${what}(s) are > 1.0 (${maxText}): reading them as 0–5; pass --au-scale 0-1 to override`;
    }
  } else {
    used = requested;
    reason = `given as --au-scale ${requested}; ${maxText}`;
    if (requested === "0-5" && allLow) warnings.push(`every AU value is ≤ 1 under --au-scale 0-5 (${maxText}): the AUs may already be scaled to 0–1, and dividing them by 5 again makes every face look near-neutral; check, or drop --au-scale to detect the scale`);
    if (requested === "0-1" && aboveOne > 0) warnings.push(`${aboveOne} AU value(s) are > 1 under --au-scale 0-1 (${maxText}): they were clipped to z = 1; the AUs look like 0–5 values`);
  }
  return { info: { requested, used, reason, max: values ? max : null, values, frames }, warnings };
}

/** The audited frames: every dataset's rows, end to end, with what the audit needs of each. */
export interface AuditRows {
  N: number;
  /** Per frame; a face of an OpenFace file that tracks several faces (face_id) is its own subject. */
  subjects: string[];
  sequences: string[];
  frameNo: number[];
  /** z: the data's own AU values, N × K in G's AU order. */
  z: Float32Array;
  /** Face geometry, N × GEOMETRY_FEATURES.length (NaN for a file without landmarks); null when no file has landmarks. */
  geometry: Float32Array | null;
  landmarks: "all" | "some" | "none";
  /** G class index per frame (-1: no label, or a class G lacks). */
  y: Int32Array;
  labelled: number;
  labelledSubjects: string[];
  nanAuValues: number;
  geometryFailed: number;
  /** AUs of G without a column in (some of) the data. */
  missing: Set<string>;
  /** Files that track several faces. */
  multiFace: string[];
  /** How z was made from the AU values, in words. */
  zScale: string;
}

/** The rows: identities, z, geometry, labels. `dataPath` names the data in errors. */
export function auditRows(datasets: Dataset[], G: CausalGraph, dataPath: string, auScale: "0-5" | "0-1" = "0-5"): AuditRows {
  const K = G.aus.length;
  const N = datasets.reduce((s, d) => s + d.size, 0);
  if (N === 0) throw new FacrInputError("no frames left to audit (every frame was skipped; see the loader's counts)", { file: dataPath, field: "frames" });
  const subjects: string[] = [];
  const sequences: string[] = [];
  const frameNo: number[] = [];
  const zParts: Float32Array[] = [];
  const geoParts: (Float32Array | null)[] = [];
  const yParts: Int32Array[] = [];
  let nanAuValues = 0;
  let geometryFailed = 0;
  const missing = new Set<string>();
  const multiFace: string[] = [];
  for (const d of datasets) {
    // OpenFace tracks several faces per video by face_id: different faces are different people
    const faces = d.meta.faces;
    if (d.source === "openface" && faces && faces.length > 1) {
      multiFace.push(d.name);
      subjects.push(...d.sequences);
    } else subjects.push(...d.subjects);
    sequences.push(...d.sequences);
    frameNo.push(...d.frames);
    const a = externalActivations(d, G.aus, { unitScale: auScale === "0-1" });
    zParts.push(a.z);
    nanAuValues += a.nanValues;
    a.missingAus.forEach((m) => missing.add(m));
    const g = faceGeometry(d);
    geoParts.push(g ? g.h : null);
    if (g) geometryFailed += g.failed;
    yParts.push(labelsFor(d, G));
  }
  if (missing.size === K) {
    throw new FacrInputError(`has none of G's AUs (${G.aus.join(", ")}); its AU columns are ${[...new Set(datasets.flatMap((d) => d.aus))].join(", ") || "none"}`, { file: dataPath, field: "aus" });
  }
  const z = concat(zParts);
  const D = GEOMETRY_FEATURES.length;
  const withLm = geoParts.filter((g) => g !== null).length;
  const landmarks: AuditRows["landmarks"] = withLm === datasets.length ? "all" : withLm === 0 ? "none" : "some";
  const geometry = landmarks === "none" ? null : concat(geoParts.map((g, j) => g ?? new Float32Array(datasets[j].size * D).fill(NaN)));
  const y = Int32Array.from(yParts.flatMap((p) => Array.from(p)));
  const labelled = y.reduce((s, v) => s + (v >= 0 ? 1 : 0), 0);
  const labelledSubjects = [...new Set(subjects.filter((_, i) => y[i] >= 0))];
  const zScale = zScaleText(datasets[0].source === "openface", auScale === "0-1");
  return { N, subjects, sequences, frameNo, z, geometry, landmarks, y, labelled, labelledSubjects, nanAuValues, geometryFailed, missing, multiFace, zScale };
}
