import * as fs from "node:fs";
import * as path from "node:path";
import { Dataset } from "../data/dataset";
import { isFolder } from "../data/loaders/text-files";
import { subjectFolds } from "../data/splits";
import { CausalGraph } from "../graph/graph";
import { extractFeatures } from "../model/features";
import { Reasoner } from "../model/reasoner";
import { ColumnStats, fitColumnStats, standardizeRows } from "../model/standardize";
import { FacrInputError } from "../util/errors";
import { parseJson } from "../util/json";
import { defaultExternalReasoner } from "./default-reasoner";
import { EXTERNAL_FORMAT, ExternalReasoner, GEOMETRY_FEATURES, trainExternalReasoner } from "./external-reasoner";
import { AuditRows, AuditSettings, concat } from "./load";
import { ScoreArrays, scoreExternal, scoreReasoner } from "./score";
import { AuditOptions, AuditReport } from "./types";

// Which reasoner is audited — a saved one, a head trained on the data's labels, or the default head (the
// `head` policies in audit.ts's module comment) — and every frame scored by it.

/** The audited head and its scores. */
export interface HeadChoice extends ScoreArrays {
  /** The z the head read, N × K: the data's AU values, or a saved full reasoner's own. */
  z: Float32Array;
  info: AuditReport["reasoner"];
  /** What choosing and scoring the head had to do with this data. */
  notes: string[];
  /** Signs that the head's κ may mislead (the report's warnings). */
  warnings: string[];
  trainSeconds: number;
  scoreSeconds: number;
  /** The external-AU reasoner `saveModel` saves (null: a saved full reasoner, which is not saved again). */
  toSave: ExternalReasoner | null;
  /** Reasoners to dispose of once the report is made. */
  toDispose: ExternalReasoner[];
}

/** Choose the head (see the module comment of audit.ts), train it if need be, and score every frame. */
export function chooseHead(opts: AuditOptions, settings: AuditSettings, G: CausalGraph, datasets: Dataset[], rows: AuditRows, log: (line: string) => void): HeadChoice {
  const { N, subjects, y, labelled, labelledSubjects, geometry } = rows;
  const { chunk, seed, policy } = settings;
  const K = G.aus.length;
  const C = G.classes.length;
  const D = GEOMETRY_FEATURES.length;
  const tt = performance.now();
  const out: ScoreArrays = { probs: new Float32Array(N * C), effects: new Float32Array(N * K * C) };
  let zUsed = rows.z;
  let reasonerInfo: AuditReport["reasoner"];
  const notes: string[] = [];
  const warnings: string[] = [];
  const zText = `${rows.zScale} (the data's own AU values: an external AU detector's output or FACS codes)`;
  const hText = geometry ? `face geometry from the Procrustes-normalized landmarks (${GEOMETRY_FEATURES.join(", ")})` : "none: the data has no landmarks, the head reads z only";
  let scoreSeconds = 0;
  const toDispose: ExternalReasoner[] = [];
  let toSave: ExternalReasoner | null = null;
  const score = (r: ExternalReasoner, subset: Int32Array | null) => {
    scoreSeconds += scoreExternal(r, subset, rows, G, chunk, out, notes);
  };

  if (opts.model !== undefined) {
    const kind = savedModelFormat(opts.model);
    if (kind === EXTERNAL_FORMAT) {
      const { reasoner, graph } = ExternalReasoner.load(opts.model);
      toDispose.push(reasoner);
      checkSameGraph(reasoner.config.aus, reasoner.config.classes, G, path.join(opts.model, "reasoner.json"));
      if (graph && graph.polarity.join("|") !== G.polarity.join("|")) notes.push(`the saved head was trained with another graph (${graph.provenance.source}) than the one audited against (${G.provenance.source})`);
      const built = builtInWarning(reasoner.training, graph, G);
      if (built.warning) warnings.push(built.warning);
      if (built.note) notes.push(built.note);
      score(reasoner, null);
      reasonerInfo = { kind: "external-au", head: "saved", z: zText, h: reasoner.config.hDim ? hText : "none (the saved head reads z only)", training: { ...reasoner.training, loadedFrom: opts.model } };
      toSave = reasoner;
    } else {
      const saved = runSavedReasoner(opts.model, datasets, G, chunk, out);
      zUsed = saved.z;
      scoreSeconds += saved.seconds;
      reasonerInfo = { kind: "saved-reasoner", head: "saved", z: "the saved reasoner's encoder on the landmarks (the data's AU values are not used)", h: "the saved reasoner's encoder", training: { loadedFrom: opts.model, ...saved.info } };
      notes.push(...saved.notes);
    }
  } else {
    const canUseLabels = labelled > 0 && labelledSubjects.length >= 2;
    if (policy === "labels" && !canUseLabels) {
      const why = labelled === 0 ? `no frame has a label among G's classes (${G.classes.join(", ")})` : `the labelled frames come from ${labelledSubjects.length} subject; held-out scoring needs at least 2`;
      throw new FacrInputError(`cannot train the head on the data's labels: ${why}`, { file: opts.data, field: "--head" });
    }
    if (policy === "labels" || (policy === "auto" && canUseLabels)) {
      // subject-grouped cross-fitting: every labelled subject's frames are scored by a head trained on other subjects
      const k = Math.min(5, labelledSubjects.length);
      const labelledRows = Int32Array.from({ length: N }, (_, i) => i).filter((i) => y[i] >= 0);
      const folds = subjectFolds({ subjects: Array.from(labelledRows, (i) => subjects[i]), size: labelledRows.length }, k, seed);
      const subjectFold = new Map<string, number>();
      folds.forEach((f) => f.testSubjects.forEach((s) => subjectFold.set(s, f.fold)));
      for (const f of folds) {
        const trainRows = Int32Array.from(f.train, (j) => labelledRows[j]);
        const testRows = Int32Array.from({ length: N }, (_, i) => i).filter((i) => subjectFold.get(subjects[i]) === f.fold);
        const r = trainOnRows(trainRows, `labels (cross-fitting fold ${f.fold + 1}/${k})`);
        score(r, testRows);
        r.dispose();
      }
      const rest = Int32Array.from({ length: N }, (_, i) => i).filter((i) => !subjectFold.has(subjects[i]));
      if (rest.length || opts.saveModel) {
        const all = trainOnRows(labelledRows, "labels (every labelled frame)");
        toDispose.push(all);
        toSave = all;
        if (rest.length) {
          score(all, rest);
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
      // kept by default-reasoner.ts for the process: saved if asked, never disposed here
      const r = defaultExternalReasoner(G, geometry !== null, opts.train ?? {}, log);
      toSave = r;
      score(r, null);
      reasonerInfo = { kind: "external-au", head: "default", z: zText, h: hText, training: r.training };
    }
  }
  const trainSeconds = (performance.now() - tt) / 1000 - scoreSeconds;
  return { ...out, z: zUsed, info: reasonerInfo, notes, warnings, trainSeconds, scoreSeconds, toSave, toDispose };

  /** An external-AU head trained on the labelled frames `picked`. */
  function trainOnRows(picked: Int32Array, what: string): ExternalReasoner {
    const zb = new Float32Array(picked.length * K);
    const gb = geometry ? new Float32Array(picked.length * D) : null;
    picked.forEach((i, r) => {
      zb.set(rows.z.subarray(i * K, (i + 1) * K), r * K);
      if (gb && geometry) gb.set(geometry.subarray(i * D, (i + 1) * D), r * D);
    });
    return trainExternalReasoner({ z: zb, geometry: gb, y: Int32Array.from(picked, (i) => y[i]), N: picked.length }, G, { ...(opts.train ?? {}) }, { kind: "labels", data: `${opts.data}: ${what}`, synthetic: false });
  }
}

/**
 * A saved external-AU head trained with L_cf (λ_cf > 0, its saved training config) on the very graph it is
 * scored against (the graph saved with it, polarity equal to G's): L_cf trains Δ to agree with G, so the κ
 * is then partly built in. A head saved without its graph cannot be checked: a note says so.
 */
export function builtInWarning(training: Record<string, unknown>, saved: CausalGraph | null, G: CausalGraph): { warning?: string; note?: string } {
  const cfg = training.config as { lambdaCf?: unknown } | undefined;
  const lambdaCf = typeof cfg?.lambdaCf === "number" ? cfg.lambdaCf : null;
  if (lambdaCf === null) return { note: "the saved head does not record its λ_cf: whether its κ is built in by training on G cannot be told" };
  if (lambdaCf <= 0) return {};
  if (!saved) return { note: `the saved head was trained with λ_cf = ${lambdaCf} but saved without its graph: whether that graph is G cannot be told` };
  const same = saved.aus.join() === G.aus.join() && saved.classes.join() === G.classes.join() && saved.polarity.join("|") === G.polarity.join("|");
  if (!same) return {};
  return {
    warning: `the audited head was trained with L_cf (λ_cf = ${lambdaCf}) on the same graph G it is scored against (${saved.provenance.source}): L_cf trains the head's effects to agree with G, so the κ is then partly built in by training, not evidence that the head found G's structure in the data`,
  };
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

/** A saved full facr Reasoner on the data's landmarks: its own z and h (scored by score.ts's scoreReasoner). */
function runSavedReasoner(dir: string, datasets: Dataset[], G: CausalGraph, chunk: number, out: ScoreArrays): { z: Float32Array; seconds: number; notes: string[]; info: Record<string, unknown> } {
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
      if (p.D !== reasoner.config.inputDim) throw new FacrInputError(`gives ${p.D} input features (${p.names.every((n) => n.startsWith("lm")) ? "landmarks" : "landmarks + appearance"}), the saved reasoner expects ${reasoner.config.inputDim}`, { file: datasets[j].name, field: "features" });
    }
    const x = concat(parts.map((p) => p.x));
    const N = x.length / Dx;
    const saved = extra.standardizer as { mean?: number[]; sd?: number[] } | undefined;
    let st: ColumnStats | null;
    if (saved && Array.isArray(saved.mean) && Array.isArray(saved.sd) && saved.mean.length === Dx && saved.sd.length === Dx) {
      st = { mean: saved.mean, sd: saved.sd };
    } else {
      // the one standardizer (model/standardize.ts), fitted on the audited frames whose features are all finite
      st = fitColumnStats(x, Dx);
      if (!st) throw new FacrInputError("no frame has finite values for every input feature: cannot standardize them for the saved reasoner", { file: datasets[0].name, field: "features" });
      notes.push("the saved reasoner has no feature standardization (extra.standardizer): features were standardized on the audited data itself");
    }
    const z = scoreReasoner(reasoner, standardizeRows(x, Dx, st), Dx, N, G, chunk, out);
    return { z, seconds: (performance.now() - t0) / 1000, notes, info: { format: "facr-reasoner/1", config: reasoner.config, extra } };
  } finally {
    reasoner.dispose();
  }
}
