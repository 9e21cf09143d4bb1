import * as tf from "@tensorflow/tfjs";
import { CausalGraph } from "../graph/graph";
import { argmaxRows } from "../util/arrays";
import { checkKeys, checkNumber } from "../util/options";
import { Head } from "./effects";
import { ClassIndices, toClassArray } from "./labels";
import { DEFAULT_TAU, EffectsLike } from "./metric";

/**
 * Standard faithfulness measures beside FACR's metric (spec §5), on the AU
 * channel z:
 *
 * - ERASER comprehensiveness (DeYoung et al., 2020): p_ĉ(z, h) − p_ĉ(z with the
 *   rationale AUs set to lo, h). High = removing the rationale hurts.
 * - ERASER sufficiency: p_ĉ(z, h) − p_ĉ(z with every *other* AU set to lo, h).
 *   Low = the rationale alone keeps the prediction.
 * - CaCE (Goyal et al., 2019): mean over samples of Δ[i, k, c].
 *
 * ĉ is the predicted class on the unmodified input.
 */

/** A rationale per sample: 1 where AU k is in sample i's rationale, row-major [N, K]. */
export type RationaleMask = Uint8Array;

export interface EraserResult {
  /** Per sample. */
  comprehensiveness: Float32Array;
  sufficiency: Float32Array;
  meanComprehensiveness: number;
  meanSufficiency: number;
  /** ĉ per sample. */
  predicted: Int32Array;
}

/** ERASER comprehensiveness and sufficiency; one batched head call over 3N rows. */
export function eraser(head: Head, z: tf.Tensor2D, h: tf.Tensor2D, rationale: RationaleMask, opts: { lo?: number } = {}): EraserResult {
  checkKeys(opts, ["lo"], "eraser options");
  const lo = checkNumber(opts.lo ?? 0, "lo");
  const [N, K] = z.shape;
  if (rationale.length !== N * K) throw new Error(`eraser: rationale mask holds ${rationale.length} entries, expected N·K = ${N * K}`);
  // Return the tensor from tidy and read it after: a typed array returned from tidy is walked element by element.
  const probsT = tf.tidy(() => {
    const inR = tf.tensor2d(Float32Array.from(rationale, (r) => (r ? 1 : 0)), [N, K]);
    const outR = tf.sub(1, inR);
    const removed = z.mul(outR).add(inR.mul(lo));
    const kept = z.mul(inR).add(outR.mul(lo));
    return tf.softmax(head(tf.concat([z, removed, kept], 0) as tf.Tensor2D, tf.concat([h, h, h], 0) as tf.Tensor2D)) as tf.Tensor2D;
  });
  const C = probsT.shape[1];
  const probs = probsT.dataSync() as Float32Array;
  probsT.dispose();
  const predicted = argmaxRows(probs.subarray(0, N * C), C);
  const comprehensiveness = new Float32Array(N);
  const sufficiency = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const c = predicted[i];
    const p = probs[i * C + c];
    comprehensiveness[i] = p - probs[(N + i) * C + c];
    sufficiency[i] = p - probs[(2 * N + i) * C + c];
  }
  return { comprehensiveness, sufficiency, meanComprehensiveness: mean(comprehensiveness), meanSufficiency: mean(sufficiency), predicted };
}

/** The invoked sets I_i = {k : |Δ[i,k,ĉ_i]| ≥ τ} as a rationale mask. */
export function invokedMask(effects: EffectsLike, predictedClass: ClassIndices, opts: { tau?: number } = {}): RationaleMask {
  const tau = checkNumber(opts.tau ?? DEFAULT_TAU, "tau", { min: 0 });
  const { data, shape } = effects instanceof tf.Tensor ? { data: effects.dataSync(), shape: effects.shape } : effects;
  const [N, K, C] = shape;
  const pred = toClassArray(predictedClass, N, C, "predictedClass");
  const mask = new Uint8Array(N * K);
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) mask[i * K + k] = Math.abs(data[(i * K + k) * C + pred[i]]) >= tau ? 1 : 0;
  return mask;
}

/** The reference sets C(ĉ_i) = {k : G[k][ĉ_i] ≠ 0} as a rationale mask. */
export function causalMask(graph: CausalGraph, predictedClass: ClassIndices): RationaleMask {
  const K = graph.aus.length;
  const N = predictedClass instanceof tf.Tensor ? predictedClass.shape[0] : predictedClass.length;
  const pred = toClassArray(predictedClass, N, graph.classes.length, "predictedClass");
  const mask = new Uint8Array(N * K);
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) mask[i * K + k] = graph.polarity[k][pred[i]] !== 0 ? 1 : 0;
  return mask;
}

/**
 * CaCE[k][c]: the mean of Δ[i, k, c] over samples. With effects on the
 * probability scale (`interventionEffects(…, { scale: "prob" })`) this is Goyal et
 * al.'s average causal concept effect; on the default log-odds scale it is its
 * log-odds analogue.
 */
export function cace(effects: EffectsLike): number[][] {
  const { data, shape } = effects instanceof tf.Tensor ? { data: effects.dataSync(), shape: effects.shape } : effects;
  const [N, K, C] = shape;
  const out = Array.from({ length: K }, () => new Array<number>(C).fill(0));
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) out[k][c] += data[(i * K + k) * C + c] / N;
  return out;
}

function mean(xs: Float32Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : NaN;
}
