import { Dataset, subsetDataset } from "../data/dataset";
import { generateSynEmotion } from "../data/synemotion";
import { generateSynPain } from "../data/synpain";
import { CausalGraph } from "../graph/graph";
import { graphToJson } from "../graph/io";
import { EMOTION_CLASSES, PAIN_CLASSES } from "../graph/known";
import { backendInfo } from "../model/backend";
import { DeepPartial } from "../util/config";
import { FacrInputError } from "../util/errors";
import { externalActivations, ExternalReasoner, ExternalTrainConfig, ExternalTrainData, faceGeometry, GEOMETRY_FEATURES, trainExternalReasoner } from "./external-reasoner";

/**
 * The default head of `facr audit`, for data without usable labels: an
 * external-AU reasoner (see external-reasoner.ts) trained on facr's SYNTHETIC
 * data with the same z semantics (ground-truth intensity / max) and the same
 * geometry h, with the FACR objective and the audit's graph G:
 *
 *   G's classes = {no_pain, pain}          → SynPain (quick profile, seed 1, every 2nd frame)
 *   G's classes ⊆ the 7 emotion classes   → SynEmotion source + target domains (quick profile, seed 1),
 *                                            frames of G's classes
 *   anything else                          → no default: pass labelled data or --model
 *
 * Deterministic (fixed seeds; the same backend gives the same weights) and a few
 * seconds to train; kept in memory for the process (one per graph and h width).
 * It is a stand-in that makes the audit runnable on any AU file; audit your own
 * model with --model, or label your data.
 */
export interface DefaultTrainingSet {
  data: ExternalTrainData;
  /** What it was trained on, for reports. */
  description: string;
}

const DATA_SEED = 1;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Rows of `ds` as external-reasoner training data for G (labels mapped by class name; other classes left out). */
export function trainingRows(ds: Dataset, G: CausalGraph, withGeometry: boolean, rows?: ArrayLike<number>): ExternalTrainData {
  const map = ds.labels!.classes.map((n) => G.classes.indexOf(n));
  const keep: number[] = [];
  const src = rows ?? Int32Array.from({ length: ds.size }, (_, i) => i);
  for (let r = 0; r < src.length; r++) {
    const i = src[r];
    const y = ds.labels!.y[i];
    if (y >= 0 && map[y] >= 0) keep.push(i);
  }
  const sub = subsetDataset(ds, keep);
  const { z } = externalActivations(sub, G.aus);
  const geometry = withGeometry ? faceGeometry(sub)?.h ?? null : null;
  return { z, geometry, y: Int32Array.from(keep, (i) => map[ds.labels!.y[i]]), N: keep.length };
}

function concatRows(parts: ExternalTrainData[]): ExternalTrainData {
  const N = parts.reduce((s, p) => s + p.N, 0);
  const withGeo = parts.every((p) => p.geometry !== null);
  const cat = (xs: Float32Array[]) => {
    const out = new Float32Array(xs.reduce((s, x) => s + x.length, 0));
    let o = 0;
    for (const x of xs) (out.set(x, o), (o += x.length));
    return out;
  };
  const y = new Int32Array(N);
  let o = 0;
  for (const p of parts) (y.set(p.y, o), (o += p.N));
  return { z: cat(parts.map((p) => p.z)), geometry: withGeo ? cat(parts.map((p) => p.geometry!)) : null, y, N };
}

/** The synthetic training set of G's default head (see the module comment). */
export function defaultTrainingSet(G: CausalGraph, withGeometry: boolean): DefaultTrainingSet {
  if (sameSet(G.classes, PAIN_CLASSES)) {
    const ds = generateSynPain({ seed: DATA_SEED, profile: "quick" });
    const rows = Int32Array.from({ length: Math.ceil(ds.size / 2) }, (_, j) => 2 * j);
    return { data: trainingRows(ds, G, withGeometry, rows), description: `${ds.name}, every 2nd frame (SYNTHETIC)` };
  }
  if (G.classes.every((c) => (EMOTION_CLASSES as readonly string[]).includes(c)) && G.classes.length >= 2) {
    const d = generateSynEmotion({ seed: DATA_SEED, profile: "quick" });
    const data = concatRows([trainingRows(d.source, G, withGeometry), trainingRows(d.target, G, withGeometry)]);
    return { data, description: `${d.source.name} + ${d.target.name} (SYNTHETIC), frames of ${G.classes.join(", ")}` };
  }
  throw new FacrInputError(
    `no default reasoner for classes [${G.classes.join(", ")}]: facr has synthetic training data for [${PAIN_CLASSES.join(", ")}] and for subsets of [${EMOTION_CLASSES.join(", ")}]. Pass labelled data (--format unbc or ckplus, labels named like G's classes) or a saved reasoner (--model DIR)`,
    { field: "graph.classes" },
  );
}

const memo = new Map<string, ExternalReasoner>();

/**
 * G's default head, trained on first use in this process and kept (do not
 * dispose it). `withGeometry` false: a head without h, for data without landmarks.
 */
export function defaultExternalReasoner(G: CausalGraph, withGeometry: boolean, train: DeepPartial<ExternalTrainConfig> = {}, log: (line: string) => void = () => {}): ExternalReasoner {
  const key = `${backendInfo()?.name ?? "?"}|${withGeometry}|${JSON.stringify(train)}|${graphToJson(G)}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const t0 = performance.now();
  const set = defaultTrainingSet(G, withGeometry);
  const r = trainExternalReasoner(set.data, G, train, {
    kind: "default",
    data: set.description,
    synthetic: true,
    h: withGeometry ? `face geometry (${GEOMETRY_FEATURES.join(", ")})` : "none (the audited data has no landmarks)",
  });
  log(`[audit] trained the default head on ${set.data.N} rows of ${set.description} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  memo.set(key, r);
  return r;
}
