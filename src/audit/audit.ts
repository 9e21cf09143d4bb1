import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Dataset, subjectIds } from "../data/dataset";
import { isFolder } from "../data/loaders/text-files";
import { subjectFolds } from "../data/splits";
import { Head, interventionEffects } from "../faithfulness/effects";
import { agreement, agreementCI, DEFAULT_TAUS, tauSweep } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { initBackend } from "../model/backend";
import { extractFeatures } from "../model/features";
import { Reasoner } from "../model/reasoner";
import { provenance } from "../report/provenance";
import { FacrInputError } from "../util/errors";
import { parseJson } from "../util/json";
import { defaultExternalReasoner } from "./default-reasoner";
import { EXTERNAL_FORMAT, ExternalReasoner, GEOMETRY_FEATURES, standardizeH, trainExternalReasoner } from "./external-reasoner";
import { auditRows, auditSettings, concat, loadAuditData, resolveGraph } from "./load";
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

/** Probabilities and Δ of `head` on rows `rows`, written into the full arrays, in chunks. */
function scoreRows(head: Head, z: Float32Array, h: Float32Array, hWidth: number, rows: Int32Array | null, N: number, G: CausalGraph, chunk: number, probs: Float32Array, effects: Float32Array): void {
  const K = G.aus.length;
  const C = G.classes.length;
  const idx = rows ?? Int32Array.from({ length: N }, (_, i) => i);
  for (let start = 0; start < idx.length; start += chunk) {
    const n = Math.min(chunk, idx.length - start);
    const zb = new Float32Array(n * K);
    const hb = new Float32Array(n * hWidth);
    for (let r = 0; r < n; r++) {
      const i = idx[start + r];
      zb.set(z.subarray(i * K, (i + 1) * K), r * K);
      hb.set(h.subarray(i * hWidth, (i + 1) * hWidth), r * hWidth);
    }
    const [p, e] = tf.tidy(() => {
      const zt = tf.tensor2d(zb, [n, K]);
      const ht = tf.tensor2d(hb, [n, hWidth]);
      return [tf.softmax(head(zt, ht)).dataSync() as Float32Array, interventionEffects(head, zt, ht, G).dataSync() as Float32Array];
    });
    for (let r = 0; r < n; r++) {
      const i = idx[start + r];
      probs.set(p.subarray(r * C, (r + 1) * C), i * C);
      effects.set(e.subarray(r * K * C, (r + 1) * K * C), i * K * C);
    }
  }
}

/** Run the audit (see the module comment). Bad input is a FacrInputError naming file, line and field. */
export async function runAudit(opts: AuditOptions): Promise<AuditReport> {
  const t0 = performance.now();
  const started = new Date();
  const log = opts.log ?? (() => {});
  const { tau, resamples, seed, chunk, policy, gate } = auditSettings(opts);
  const { graph: G, spec } = resolveGraph(opts.graph);
  const datasets = loadAuditData(opts.data, opts.format);
  await initBackend(undefined, { quiet: true });
  const K = G.aus.length;
  const C = G.classes.length;
  const rows = auditRows(datasets, G, opts.data);
  const { N, subjects, sequences, frameNo, z: zData, geometry, landmarks, y, labelled, labelledSubjects, nanAuValues, geometryFailed, missing, multiFace } = rows;
  const D = GEOMETRY_FEATURES.length;
  const loadSeconds = (performance.now() - t0) / 1000;
  log(`[audit] ${N} frames of ${new Set(subjects).size} subject(s) from ${opts.data} (${opts.format}); G: ${spec} (${K} AUs × ${C} classes)`);

  // ---- the reasoner, and per-row probabilities and effects
  const tt = performance.now();
  const probs = new Float32Array(N * C);
  const effects = new Float32Array(N * K * C);
  let zUsed = zData;
  let reasonerInfo: AuditReport["reasoner"];
  const notes: string[] = [];
  const zText = `${datasets[0].source === "openface" ? "OpenFace AU*_r / 5" : "AU intensity / the AU's maximum"} (the data's own AU values: an external AU detector's output or FACS codes)`;
  const hText = geometry ? `face geometry from the Procrustes-normalised landmarks (${GEOMETRY_FEATURES.join(", ")})` : "none: the data has no landmarks, the head reads z only";
  let trainSeconds = 0;
  let scoreSeconds = 0;
  const toDispose: ExternalReasoner[] = [];
  let toSave: ExternalReasoner | null = null;
  const scoreExternal = (r: ExternalReasoner, rows: Int32Array | null) => {
    const ts = performance.now();
    let h: Float32Array;
    if (r.config.hDim === 0) h = new Float32Array(N);
    else if (geometry) h = standardizeH(geometry, r.hStats!);
    else {
      h = new Float32Array(N * r.config.hDim);
      notes.push("the saved head reads face geometry but the data has no landmarks: h = 0 (the training mean) for every frame");
    }
    scoreRows(r.head, zData, h, r.hWidth, rows, N, G, chunk, probs, effects);
    scoreSeconds += (performance.now() - ts) / 1000;
  };

  if (opts.model !== undefined) {
    const kind = savedModelFormat(opts.model);
    if (kind === EXTERNAL_FORMAT) {
      const { reasoner, graph } = ExternalReasoner.load(opts.model);
      toDispose.push(reasoner);
      checkSameGraph(reasoner.config.aus, reasoner.config.classes, G, path.join(opts.model, "reasoner.json"));
      if (graph && graph.polarity.join("|") !== G.polarity.join("|")) notes.push(`the saved head was trained with another graph (${graph.provenance.source}) than the one audited against (${G.provenance.source})`);
      scoreExternal(reasoner, null);
      reasonerInfo = { kind: "external-au", head: "saved", z: zText, h: reasoner.config.hDim ? hText : "none (the saved head reads z only)", training: { ...reasoner.training, loadedFrom: opts.model } };
      toSave = reasoner;
    } else {
      const out = runSavedReasoner(opts.model, datasets, G, chunk, probs, effects);
      zUsed = out.z;
      scoreSeconds += out.seconds;
      reasonerInfo = { kind: "saved-reasoner", head: "saved", z: "the saved reasoner's encoder on the landmarks (the data's AU values are not used)", h: "the saved reasoner's encoder", training: { loadedFrom: opts.model, ...out.info } };
      notes.push(...out.notes);
    }
  } else {
    const canUseLabels = labelled > 0 && labelledSubjects.length >= 2;
    if (policy === "labels" && !canUseLabels) {
      const why = labelled === 0 ? `no frame has a label among G's classes (${G.classes.join(", ")})` : `the labelled frames come from ${labelledSubjects.length} subject; held-out scoring needs at least 2`;
      throw new FacrInputError(`cannot train the head on the data's labels: ${why}`, { file: opts.data, field: "--head" });
    }
    if (policy === "labels" || (policy === "auto" && canUseLabels)) {
      const k = Math.min(5, labelledSubjects.length);
      const labelledRows = Int32Array.from({ length: N }, (_, i) => i).filter((i) => y[i] >= 0);
      const folds = subjectFolds({ subjects: Array.from(labelledRows, (i) => subjects[i]), size: labelledRows.length }, k, seed);
      const subjectFold = new Map<string, number>();
      folds.forEach((f) => f.testSubjects.forEach((s) => subjectFold.set(s, f.fold)));
      for (const f of folds) {
        const trainRows = Int32Array.from(f.train, (j) => labelledRows[j]);
        const testRows = Int32Array.from({ length: N }, (_, i) => i).filter((i) => subjectFold.get(subjects[i]) === f.fold);
        const r = trainOnRows(trainRows, `labels (cross-fitting fold ${f.fold + 1}/${k})`);
        scoreExternal(r, testRows);
        r.dispose();
      }
      const rest = Int32Array.from({ length: N }, (_, i) => i).filter((i) => !subjectFold.has(subjects[i]));
      if (rest.length || opts.saveModel) {
        const all = trainOnRows(labelledRows, "labels (every labelled frame)");
        toDispose.push(all);
        toSave = all;
        if (rest.length) {
          scoreExternal(all, rest);
          notes.push(`${rest.length} frame(s) of subjects without labels were scored by a head trained on every labelled frame`);
        }
      }
      reasonerInfo = {
        kind: "external-au",
        head: "labels",
        z: zText,
        h: hText,
        folds: k,
        training: {
          kind: "labels",
          protocol: `subject-grouped cross-fitting: ${k} folds over ${labelledSubjects.length} labelled subjects; each frame scored by a head trained on other subjects' ${labelled} labelled frames`,
          objective: "CE + λ_cf·L_cf with G",
          labels: datasets.map((d) => d.labels?.classes.join("/") ?? "none").join("; "),
        },
      };
    } else {
      if (policy === "auto" && labelled > 0) notes.push(`the data's labels span ${labelledSubjects.length} subject: too few for held-out training, the default head is used`);
      const r = defaultExternalReasoner(G, geometry !== null, opts.train ?? {}, log);
      toSave = r;
      scoreExternal(r, null);
      reasonerInfo = { kind: "external-au", head: "default", z: zText, h: hText, training: r.training };
    }
  }
  trainSeconds = (performance.now() - tt) / 1000 - scoreSeconds;

  function trainOnRows(rows: Int32Array, what: string): ExternalReasoner {
    const zb = new Float32Array(rows.length * K);
    const gb = geometry ? new Float32Array(rows.length * D) : null;
    rows.forEach((i, r) => {
      zb.set(zData.subarray(i * K, (i + 1) * K), r * K);
      if (gb && geometry) gb.set(geometry.subarray(i * D, (i + 1) * D), r * D);
    });
    return trainExternalReasoner({ z: zb, geometry: gb, y: Int32Array.from(rows, (i) => y[i]), N: rows.length }, G, { ...(opts.train ?? {}) }, { kind: "labels", data: `${opts.data}: ${what}`, synthetic: false });
  }

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

/** The `format` field of a saved model's reasoner.json. */
function savedModelFormat(dir: string): string {
  const file = path.join(dir, "reasoner.json");
  if (!isFolder(dir)) throw new FacrInputError("not a folder (expected a saved reasoner: reasoner.json + weights.bin)", { file: dir, field: "--model" });
  if (!fs.existsSync(file)) throw new FacrInputError("no saved reasoner here (reasoner.json missing)", { file: dir, field: "--model" });
  const meta = parseJson(fs.readFileSync(file, "utf8"), file) as { format?: unknown };
  if (meta.format !== EXTERNAL_FORMAT && meta.format !== "facr-reasoner/1") {
    throw new FacrInputError(`unknown format ${JSON.stringify(meta.format)} (expected "${EXTERNAL_FORMAT}" or "facr-reasoner/1")`, { file, field: "format" });
  }
  return meta.format as string;
}

function checkSameGraph(aus: readonly string[], classes: readonly string[], G: CausalGraph, file: string): void {
  if (aus.join() !== G.aus.join()) throw new FacrInputError(`the model's AUs [${aus.join(", ")}] differ from G's [${G.aus.join(", ")}]`, { file, field: "config.aus" });
  if (classes.join() !== G.classes.join()) throw new FacrInputError(`the model's classes [${classes.join(", ")}] differ from G's [${G.classes.join(", ")}]`, { file, field: "config.classes" });
}

/** A saved full facr Reasoner on the data's landmarks: its own z and h. */
function runSavedReasoner(dir: string, datasets: Dataset[], G: CausalGraph, chunk: number, probs: Float32Array, effects: Float32Array): { z: Float32Array; seconds: number; notes: string[]; info: Record<string, unknown> } {
  const t0 = performance.now();
  const file = path.join(dir, "reasoner.json");
  const { reasoner, extra } = Reasoner.load(dir);
  try {
    checkSameGraph(reasoner.config.aus, reasoner.config.classes, G, file);
    const notes: string[] = [];
    const parts = datasets.map((d) => {
      if (!d.landmarks && !d.appearance) throw new FacrInputError("has no landmarks: a saved facr reasoner reads landmarks (use the external-AU reasoner: omit --model)", { file: d.name, field: "landmarks" });
      return extractFeatures(d);
    });
    const Dx = parts[0].D;
    for (const [j, p] of parts.entries()) {
      if (p.D !== reasoner.config.inputDim) throw new FacrInputError(`gives ${p.D} input features (${p.names.length / 2 === p.D / 2 ? "landmarks" : "landmarks + appearance"}), the saved reasoner expects ${reasoner.config.inputDim}`, { file: datasets[j].name, field: "features" });
    }
    const x = concat(parts.map((p) => p.x));
    const N = x.length / Dx;
    let mean: number[];
    let sd: number[];
    const st = extra.standardizer as { mean?: number[]; sd?: number[] } | undefined;
    if (st && Array.isArray(st.mean) && Array.isArray(st.sd) && st.mean.length === Dx && st.sd.length === Dx) {
      mean = st.mean;
      sd = st.sd;
    } else {
      const m = new Float64Array(Dx);
      const s = new Float64Array(Dx);
      for (let i = 0; i < N; i++) for (let j = 0; j < Dx; j++) m[j] += x[i * Dx + j] / N;
      for (let i = 0; i < N; i++) for (let j = 0; j < Dx; j++) s[j] += (x[i * Dx + j] - m[j]) ** 2 / N;
      mean = Array.from(m);
      sd = Array.from(s, (v) => Math.max(1e-6, Math.sqrt(v)));
      notes.push("the saved reasoner has no feature standardisation (extra.standardizer): features were standardised on the audited data itself");
    }
    for (let i = 0; i < x.length; i++) {
      const v = (x[i] - mean[i % Dx]) / sd[i % Dx];
      x[i] = Number.isFinite(v) ? v : 0;
    }
    const K = G.aus.length;
    const C = G.classes.length;
    const z = new Float32Array(N * K);
    for (let start = 0; start < N; start += chunk) {
      const n = Math.min(chunk, N - start);
      tf.tidy(() => {
        const { z: zt, h } = reasoner.encode(tf.tensor2d(x.subarray(start * Dx, (start + n) * Dx), [n, Dx]));
        z.set(zt.dataSync(), start * K);
        probs.set(tf.softmax(reasoner.head(zt, h)).dataSync(), start * C);
        effects.set(interventionEffects(reasoner.head, zt, h, G).dataSync(), start * K * C);
      });
    }
    return { z, seconds: (performance.now() - t0) / 1000, notes, info: { format: "facr-reasoner/1", config: reasoner.config, extra } };
  } finally {
    reasoner.dispose();
  }
}
