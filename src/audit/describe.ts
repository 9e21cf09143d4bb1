import * as path from "node:path";
import { Dataset, subjectIds } from "../data/dataset";
import { agreement, agreementCI, DEFAULT_TAUS, tauSweep } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { backendInfo } from "../model/backend";
import { argmaxRows } from "../util/arrays";
import { provenance } from "../util/provenance";
import { DecodedRationale } from "../verbalizer/decode";
import { HeadChoice } from "./choose-head";
import { AuditRows, AuditSettings } from "./load";
import { AUDIT_DECODE, gateActivations, LM_TEMPLATE_IDS, rationaleVerbalizer, verbalize } from "./rationale";
import { AuditFrame, AuditOptions, AuditReport, AuScaleInfo, InvokedAu } from "./types";

// From the head's scores to the report: predictions and fidelity to G, the gated rationales, and the
// per-frame, per-AU and data descriptions with their notes and caveats.

const FIXTURES_DIR = path.resolve(__dirname, "..", "..", "data", "fixtures");

/** Predictions and their fidelity to G. */
export interface Fidelity {
  /** Predicted class index per frame (the most probable). */
  predicted: Int32Array;
  /** Subjects (the bootstrap unit). */
  S: number;
  fidelity: AuditReport["fidelity"];
  /** Labelled frames predicted as labelled. */
  correct: number;
  metricSeconds: number;
}

/** Predictions, the metric over frames, its subject-bootstrap CI (with ≥ 2 subjects) and the τ sweep. */
export function measureFidelity(head: HeadChoice, G: CausalGraph, rows: AuditRows, settings: AuditSettings): Fidelity {
  const { N, subjects, y } = rows;
  const { tau, resamples, seed } = settings;
  const { probs, effects } = head;
  const K = G.aus.length;
  const C = G.classes.length;
  const tm = performance.now();
  const predicted = argmaxRows(probs, C);
  const eff = { data: effects, shape: [N, K, C] as const };
  const S = subjectIds({ subjects }).length;
  const frames = agreement(eff, predicted, G, { tau });
  const ci = S >= 2 ? agreementCI(eff, predicted, G, subjects, { tau, resamples, seed }) : null;
  const ciNote =
    S >= 2
      ? `95% percentile bootstrap over ${S} subjects (${resamples} resamples): each resample draws subjects with replacement and pools their frames`
      : "no CI: a subject-bootstrap CI needs at least 2 subjects, and this data has 1. The estimate is over frames of one person, which are not independent: read it as a description of this file, not as an estimate for a population";
  const sweep = tauSweep(eff, predicted, G, DEFAULT_TAUS);
  let correct = 0;
  for (let i = 0; i < N; i++) if (y[i] >= 0 && y[i] === predicted[i]) correct++;
  const metricSeconds = (performance.now() - tm) / 1000;
  return { predicted, S, fidelity: { frames, ci, ciNote, tauSweep: sweep }, correct, metricSeconds };
}

/** The gated rationale of every frame (rationale.ts). */
export function writeRationales(head: HeadChoice, G: CausalGraph, predicted: Int32Array, settings: AuditSettings): { decoded: DecodedRationale[]; rationaleSeconds: number } {
  const tr = performance.now();
  const verb = rationaleVerbalizer(G);
  const decoded = verbalize(verb, G, predicted, gateActivations(head.z, head.effects, predicted, G.aus.length, G.classes.length, settings.tau, settings.gate));
  const rationaleSeconds = (performance.now() - tr) / 1000;
  return { decoded, rationaleSeconds };
}

/** What the report is made of. */
export interface AuditRun {
  opts: AuditOptions;
  settings: AuditSettings;
  G: CausalGraph;
  spec: string;
  datasets: Dataset[];
  rows: AuditRows;
  /** The AU scale used and its warnings (load.ts detectAuScale). */
  scale: { info: AuScaleInfo; warnings: string[] };
  head: HeadChoice;
  fit: Fidelity;
  decoded: DecodedRationale[];
  /** performance.now() and the date when the audit started. */
  t0: number;
  started: Date;
  durations: { loadSeconds: number; rationaleSeconds: number };
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

/** The report: per frame, per AU, the data, the notes and caveats, and the numbers. */
export function describeAudit(run: AuditRun): AuditReport {
  const { opts, G, spec, datasets, head, fit, decoded } = run;
  const { N, sequences, labelled, nanAuValues, geometryFailed, missing, landmarks } = run.rows;
  const { tau, gate } = run.settings;
  const { info: reasonerInfo, trainSeconds, scoreSeconds } = head;
  const { predicted, S, correct, metricSeconds } = fit;
  const { loadSeconds, rationaleSeconds } = run.durations;
  const { frames, perAu } = describeFrames(run);
  const data = describeData(opts, datasets, run.rows);

  const caveats = [
    "Fidelity to G measures agreement with the SUPPLIED structure G, not rediscovery of it; the AUs are the data's own AU values, so the audit inherits the AU detector's errors.",
  ];
  if (data.fixture) caveats.push("FIXTURE DATA: the project's own fixtures hold invented values in the real file formats; no number here says anything about real faces.");
  if (data.synthetic) caveats.push("SYNTHETIC data with a known structure.");
  if (reasonerInfo.head === "default") caveats.push(`The reasoner's head was trained on facr's SYNTHETIC data (${String(reasonerInfo.training.data)}), not on this data: it is a stand-in; audit your own model with --model, or label your data.`);
  if (!fit.fidelity.ci) caveats.push("Single subject: no confidence interval (a subject bootstrap needs at least 2 subjects); the fidelity is a frames-level description of this file.");

  const predictedCounts = Object.fromEntries(G.classes.map((c, j) => [c, predicted.reduce((s, p) => s + (p === j ? 1 : 0), 0)]));
  const warnings = auditWarnings(run, predictedCounts);

  const totalSeconds = (performance.now() - run.t0) / 1000;
  const deterministic = run.opts.deterministic === true;
  const durations = { totalSeconds, loadSeconds, trainSeconds, scoreSeconds, rationaleSeconds, metricSeconds };
  if (deterministic) for (const k of Object.keys(durations) as (keyof typeof durations)[]) durations[k] = 0;
  const started = deterministic ? run.opts.sourceDate ?? new Date(0) : run.started;
  return {
    format: "facr-audit/1",
    caveats,
    warnings,
    data: {
      path: opts.data,
      format: opts.format,
      fixture: data.fixture,
      synthetic: data.synthetic,
      files: datasets.map((d) => ({ name: d.name, source: d.source, frames: d.size, subjects: new Set(d.subjects).size, skipped: { ...d.skipped } })),
      frames: N,
      subjects: S,
      sequences: new Set(sequences).size,
      skipped: data.skipped,
      successZero: data.successZero,
      nanAuValues,
      auScale: run.scale.info,
      missingAus: [...missing],
      landmarks,
      geometryFailed,
      labelled,
      notes: data.notes,
    },
    notes: [...data.auditNotes, ...head.notes],
    graph: { aus: [...G.aus], classes: [...G.classes], polarity: G.polarity.map((row) => [...row]), provenance: G.provenance, spec },
    reasoner: reasonerInfo,
    verbalizer: {
      kind: "gated decoding (decodeRationales, greedy) with a grammar language model: no training, no download, deterministic",
      gate,
      templates: [...LM_TEMPLATE_IDS],
      beta: AUDIT_DECODE.beta,
      theta: AUDIT_DECODE.theta,
      thetaGate: AUDIT_DECODE.thetaGate,
    },
    tau,
    fidelity: fit.fidelity,
    accuracy: labelled ? { labelled, accuracy: correct / labelled } : null,
    predictedCounts,
    perAu,
    rationales: { accepted: decoded.filter((d) => d.accepted).length, withAu: decoded.filter((d) => d.aus.length > 0).length },
    frames,
    provenance: provenance(started, backendInfo()?.name ?? "none"),
    durations,
    framesPerSecond: deterministic ? 0 : N / (loadSeconds + scoreSeconds + rationaleSeconds + metricSeconds),
    deterministic,
  };
}

/** Share of frames in one predicted class from which the fidelity is flagged as measured on almost one class. */
export const ONE_CLASS_SHARE = 0.95;
/** Fewer labelled frames, or labelled subjects, than these: the label-trained head's accuracy and κ are flagged as resting on few frames. */
export const FEW_LABELLED_FRAMES = 50;
export const FEW_LABELLED_SUBJECTS = 5;

const pct = (share: number) => {
  const p = Math.round(share * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
};

/** The report's warnings: the AU scale, one predicted class, a tiny labelled set, a κ built into the head. */
function auditWarnings(run: AuditRun, predictedCounts: Record<string, number>): string[] {
  const { N, labelled, labelledSubjects } = run.rows;
  const warnings = [...run.scale.warnings];
  const [top, n] = Object.entries(predictedCounts).reduce((a, b) => (b[1] > a[1] ? b : a));
  if (N > 0 && n / N >= ONE_CLASS_SHARE) {
    warnings.push(`${pct(n / N)} of frames are predicted ${top}: fidelity is measured almost only on one class and can look perfect for that reason${run.scale.info.used === "0-5" && run.scale.info.max !== null && run.scale.info.max <= 1 ? " (every AU value is ≤ 1: if the AUs are already on 0–1, pass --au-scale 0-1)" : ""}`);
  }
  const head = run.head.info.head;
  if (head === "labels" && (labelled < FEW_LABELLED_FRAMES || labelledSubjects.length < FEW_LABELLED_SUBJECTS)) {
    warnings.push(`the head was trained on the data's labels, and only ${labelled} labelled frame(s) of ${labelledSubjects.length} subject(s) (fewer than ${FEW_LABELLED_FRAMES} frames or ${FEW_LABELLED_SUBJECTS} subjects): the accuracy and κ rest on ${labelled} frames; read them as a small-sample description, not an estimate`);
  } else if (head !== "labels" && labelled > 0 && labelled < FEW_LABELLED_FRAMES) {
    warnings.push(`the accuracy against the data's labels rests on ${labelled} labelled frame(s) of ${labelledSubjects.length} subject(s)`);
  }
  warnings.push(...run.head.warnings);
  return warnings;
}

/** Per frame: the prediction, invoked AUs (|Δ| ≥ τ, largest first), Δ, z and rationale; per AU: the means over frames. */
function describeFrames(run: AuditRun): { frames: AuditFrame[]; perAu: AuditReport["perAu"] } {
  const { G, decoded } = run;
  const { N, subjects, sequences, frameNo, y } = run.rows;
  const { probs, effects, z: zUsed } = run.head;
  const { predicted } = run.fit;
  const { tau } = run.settings;
  const K = G.aus.length;
  const C = G.classes.length;
  const frameRows: AuditFrame[] = new Array(N);
  const perAuAbs = new Float64Array(K);
  const perAuInv = new Float64Array(K);
  const perAuCausal = new Float64Array(K);
  const perAuZ = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const c = predicted[i];
    const delta: number[] = new Array(K);
    const invoked: InvokedAu[] = [];
    for (let k = 0; k < K; k++) {
      const d = effects[(i * K + k) * C + c];
      delta[k] = round(d);
      perAuAbs[k] += Math.abs(d);
      perAuZ[k] += zUsed[i * K + k];
      if (G.polarity[k][c] !== 0) perAuCausal[k]++;
      if (Math.abs(d) >= tau) {
        perAuInv[k]++;
        invoked.push({ au: G.aus[k], delta: round(d, 3), polarity: G.polarity[k][c] });
      }
    }
    invoked.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
    frameRows[i] = {
      subject: subjects[i],
      sequence: sequences[i],
      frame: frameNo[i],
      predicted: G.classes[c],
      probability: round(probs[i * C + c]),
      label: y[i] >= 0 ? G.classes[y[i]] : null,
      invoked,
      delta,
      z: Array.from(zUsed.subarray(i * K, (i + 1) * K), (v) => round(v)),
      rationale: decoded[i].text,
      rationaleAus: decoded[i].aus,
      rationaleAccepted: decoded[i].accepted,
    };
  }
  const perAu = G.aus.map((au, k) => ({ au, meanAbsEffect: perAuAbs[k] / N, invokedRate: perAuInv[k] / N, causalShare: perAuCausal[k] / N, meanZ: perAuZ[k] / N }));
  return { frames: frameRows, perAu };
}

/** The loaders' counts and notes over every file, whether it is the project's fixtures or synthetic, and the audit's own notes on the rows. */
function describeData(opts: AuditOptions, datasets: Dataset[], rows: AuditRows) {
  const { nanAuValues, geometryFailed, missing, multiFace } = rows;
  const skipped: Record<string, number> = {};
  let successZero: number | null = null;
  for (const d of datasets) {
    for (const [k, v] of Object.entries(d.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
    if ("success = 0" in d.skipped) successZero = (successZero ?? 0) + d.skipped["success = 0"];
  }
  const fixture = path.resolve(opts.data).startsWith(FIXTURES_DIR + path.sep) || path.resolve(opts.data) === FIXTURES_DIR;
  const synthetic = datasets.every((d) => d.source === "synthetic");
  const dataNotes: string[] = [];
  for (const d of datasets) for (const n of d.meta.notes ?? []) if (!dataNotes.includes(n)) dataNotes.push(n);
  const auditNotes: string[] = [];
  if (multiFace.length) auditNotes.push(`${multiFace.join(", ")}: several faces (face_id); each face is taken as its own subject`);
  if (missing.size) auditNotes.push(`G's ${[...missing].join(", ")} ${missing.size === 1 ? "has" : "have"} no column in ${datasets.length > 1 ? "some of " : ""}the data: z = 0 there (an AU the detector does not estimate can never be invoked)`);
  if (nanAuValues) auditNotes.push(`${nanAuValues} AU value(s) were NaN (not coded) and entered z as 0`);
  if (geometryFailed) auditNotes.push(`${geometryFailed} frame(s) had landmarks that could not be aligned: h = 0 (the training mean)`);
  return { skipped, successZero, fixture, synthetic, notes: dataNotes, auditNotes };
}
