import * as path from "node:path";
import { subjectIds } from "../data/dataset";
import { agreement, agreementCI, DEFAULT_TAUS, tauSweep } from "../faithfulness/metric";
import { initBackend } from "../model/backend";
import { provenance } from "../report/provenance";
import { FacrInputError } from "../util/errors";
import { chooseHead } from "./choose-head";
import { auditRows, auditSettings, loadAuditData, resolveGraph } from "./load";
import { AUDIT_DECODE, gateActivations, LM_TEMPLATE_IDS, rationaleVerbalizer, verbalize } from "./rationale";
import { AuditFrame, AuditOptions, AuditReport, InvokedAu } from "./types";

/**
 * `facr audit` (spec §5 and §8 on your own data): load AU data (OpenFace CSV,
 * UNBC-McMaster or CK+ folders), run a reasoner — a saved one, or an
 * external-AU reasoner over the data's own AU values (external-reasoner.ts) —
 * and report per frame the predicted class, the invoked AUs (|Δ| ≥ τ) and a
 * gated rationale, and over the file the fidelity to G (κ and the other §5
 * measures) with a subject-bootstrap CI.
 *
 * Which reasoner (`head`):
 *   a saved model (`model`)   facr-external-reasoner/1 (a head saved by an
 *                             earlier audit, `saveModel`) or facr-reasoner/1 (a
 *                             full facr Reasoner: z and h from its encoder on
 *                             the landmarks, standardised with the
 *                             `extra.standardizer` {mean, sd} saved with it, or
 *                             on the audited data when it has none; the data's
 *                             AU values are not used)
 *   "labels"                  the data's labels, when they name G's classes and
 *                             span ≥ 2 subjects: subject-grouped cross-fitting
 *                             (k = min(5, labelled subjects) folds; every frame
 *                             is scored by a head trained on *other* subjects, as
 *                             the metric must be computed on held-out subjects)
 *   "default"                 a head trained on facr's synthetic data
 *                             (default-reasoner.ts)
 *   "auto" (default)          "labels" when possible, else "default"
 *
 * Subjects: UNBC and CK+ subject folders; one per OpenFace file (its name), or
 * one per face when a file tracks several faces (face_id).
 */

const FIXTURES_DIR = path.resolve(__dirname, "..", "..", "data", "fixtures");

/** Run the audit (see the module comment). Bad input is a FacrInputError naming file, line and field. */
export async function runAudit(opts: AuditOptions): Promise<AuditReport> {
  const t0 = performance.now();
  const started = new Date();
  const log = opts.log ?? (() => {});
  const settings = auditSettings(opts);
  const { tau, resamples, seed, gate } = settings;
  const { graph: G, spec } = resolveGraph(opts.graph);
  const datasets = loadAuditData(opts.data, opts.format);
  await initBackend(undefined, { quiet: true });
  const K = G.aus.length;
  const C = G.classes.length;
  const rows = auditRows(datasets, G, opts.data);
  const { N, subjects, sequences, frameNo, landmarks, y, labelled, nanAuValues, geometryFailed, missing, multiFace } = rows;
  const loadSeconds = (performance.now() - t0) / 1000;
  log(`[audit] ${N} frames of ${new Set(subjects).size} subject(s) from ${opts.data} (${opts.format}); G: ${spec} (${K} AUs × ${C} classes)`);

  // ---- the reasoner, and per-row probabilities and effects
  const head = chooseHead(opts, settings, G, datasets, rows, log);
  const { probs, effects, z: zUsed, info: reasonerInfo, notes, trainSeconds, scoreSeconds, toSave, toDispose } = head;

  // ---- predictions, metric
  const tm = performance.now();
  const predicted = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let c = 0;
    for (let j = 1; j < C; j++) if (probs[i * C + j] > probs[i * C + c]) c = j;
    predicted[i] = c;
  }
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

  // ---- rationales
  const tr = performance.now();
  const verb = rationaleVerbalizer(G);
  const decoded = verbalize(verb, G, predicted, gateActivations(zUsed, effects, predicted, K, C, tau, gate));
  const rationaleSeconds = (performance.now() - tr) / 1000;

  // ---- per frame, per AU
  const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
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

  // ---- data description
  const skipped: Record<string, number> = {};
  let successZero: number | null = null;
  for (const d of datasets) {
    for (const [k, v] of Object.entries(d.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
    if ("success = 0" in d.skipped) successZero = (successZero ?? 0) + d.skipped["success = 0"];
  }
  const fixture = path.resolve(opts.data).startsWith(FIXTURES_DIR + path.sep) || path.resolve(opts.data) === FIXTURES_DIR;
  const synthetic = datasets.every((d) => d.source === "synthetic");
  const dataNotes: string[] = [];
  for (const d of datasets) for (const n of ((d.meta as { notes?: unknown }).notes as string[] | undefined) ?? []) if (!dataNotes.includes(n)) dataNotes.push(n);
  const auditNotes: string[] = [];
  if (multiFace.length) auditNotes.push(`${multiFace.join(", ")}: several faces (face_id); each face is taken as its own subject`);
  if (missing.size) auditNotes.push(`G's ${[...missing].join(", ")} ${missing.size === 1 ? "has" : "have"} no column in ${datasets.length > 1 ? "some of " : ""}the data: z = 0 there (an AU the detector does not estimate can never be invoked)`);
  if (nanAuValues) auditNotes.push(`${nanAuValues} AU value(s) were NaN (not coded) and entered z as 0`);
  if (geometryFailed) auditNotes.push(`${geometryFailed} frame(s) had landmarks that could not be aligned: h = 0 (the training mean)`);

  const caveats = [
    "Fidelity to G measures agreement with the SUPPLIED structure G, not rediscovery of it; the AUs are the data's own AU values, so the audit inherits the AU detector's errors.",
  ];
  if (fixture) caveats.push("FIXTURE DATA: the project's own fixtures hold invented values in the real file formats; no number here says anything about real faces.");
  if (synthetic) caveats.push("SYNTHETIC data with a known structure.");
  if (reasonerInfo.head === "default") caveats.push(`The reasoner's head was trained on facr's SYNTHETIC data (${String(reasonerInfo.training.data)}), not on this data: it is a stand-in; audit your own model with --model, or label your data.`);
  if (!ci) caveats.push("Single subject: no confidence interval (a subject bootstrap needs at least 2 subjects); the fidelity is a frames-level description of this file.");

  const totalSeconds = (performance.now() - t0) / 1000;
  const report: AuditReport = {
    format: "facr-audit/1",
    caveats,
    data: {
      path: opts.data,
      format: opts.format,
      fixture,
      synthetic,
      files: datasets.map((d) => ({ name: d.name, source: d.source, frames: d.size, subjects: new Set(d.subjects).size, skipped: { ...d.skipped } })),
      frames: N,
      subjects: S,
      sequences: new Set(sequences).size,
      skipped,
      successZero,
      nanAuValues,
      missingAus: [...missing],
      landmarks,
      geometryFailed,
      labelled,
      notes: dataNotes,
    },
    notes: [...auditNotes, ...notes],
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
    fidelity: { frames, ci, ciNote, tauSweep: sweep },
    accuracy: labelled ? { labelled, accuracy: correct / labelled } : null,
    predictedCounts: Object.fromEntries(G.classes.map((c, j) => [c, predicted.reduce((s, p) => s + (p === j ? 1 : 0), 0)])),
    perAu: G.aus.map((au, k) => ({ au, meanAbsEffect: perAuAbs[k] / N, invokedRate: perAuInv[k] / N, causalShare: perAuCausal[k] / N, meanZ: perAuZ[k] / N })),
    rationales: { accepted: decoded.filter((d) => d.accepted).length, withAu: decoded.filter((d) => d.aus.length > 0).length },
    frames: frameRows,
    provenance: provenance(started),
    durations: { totalSeconds, loadSeconds, trainSeconds, scoreSeconds, rationaleSeconds, metricSeconds },
    framesPerSecond: N / (loadSeconds + scoreSeconds + rationaleSeconds + metricSeconds),
  };

  try {
    if (opts.saveModel) {
      if (!toSave) throw new FacrInputError("--save-model applies to the external-AU reasoner (not to a saved full reasoner)", { field: "--save-model" });
      await toSave.save(opts.saveModel, G);
      log(`[audit] saved the head to ${opts.saveModel}`);
    }
  } finally {
    for (const r of toDispose) r.dispose();
  }
  return report;
}
