import * as tf from "@tensorflow/tfjs";
import { CausalGraph } from "../graph/graph";
import { checkKeys, checkNumber } from "../util/options";
import { ClassIndices, toClassArray } from "./labels";

export interface FaithfulnessLossOptions {
  /** Margin m in the effect's units (nats of log-odds by default). Default 1. */
  margin?: number;
  /**
   * Weight of the causal terms; the irrelevant terms get 1 − this. Each side is a
   * mean over its own (sample, AU) pairs, so neither dominates by count. Default 0.5.
   */
  causalWeight?: number;
  /** Penalty for effects of irrelevant AUs: "square" Δ² (default) or "huber". */
  irrelevantPenalty?: "square" | "huber";
  /** Huber transition point, in the effect's units. Default 1. */
  huberDelta?: number;
  /** Penalize every class of each sample, not only its label. Default false. */
  allClasses?: boolean;
}

const LOSS_OPTION_KEYS = ["margin", "causalWeight", "irrelevantPenalty", "huberDelta", "allClasses"] as const;

export interface FaithfulnessLossTerms {
  /** causalWeight · causal + (1 − causalWeight) · irrelevant (the available side alone if one is empty). */
  loss: tf.Scalar;
  /** Mean hinge penalty over causal (sample, AU) pairs: relu(m − Δ) for +1, relu(m + Δ) for −1. */
  causal: tf.Scalar;
  /** Mean Δ² (or Huber) over irrelevant pairs. */
  irrelevant: tf.Scalar;
}

/**
 * The counterfactual-faithfulness objective L_cf (spec §4) on effects Δ [N, K, C]
 * from `interventionEffects`, for sample labels c_i:
 *
 * | G[k][c] | penalty        |
 * |  +1     | relu(m − Δ)    |
 * |  −1     | relu(m + Δ)    |
 * |   0     | Δ² (or Huber)  |
 *
 * Differentiable; the caller disposes the returned scalar (or calls it inside
 * `tf.tidy` / an optimizer's `minimize`).
 */
export function faithfulnessLoss(effects: tf.Tensor3D, labels: ClassIndices, graph: CausalGraph, opts: FaithfulnessLossOptions = {}): tf.Scalar {
  const terms = faithfulnessLossTerms(effects, labels, graph, opts);
  tf.dispose([terms.causal, terms.irrelevant]);
  return terms.loss;
}

/** The objective and its two parts (for progress output). */
export function faithfulnessLossTerms(effects: tf.Tensor3D, labels: ClassIndices, graph: CausalGraph, opts: FaithfulnessLossOptions = {}): FaithfulnessLossTerms {
  checkKeys(opts, LOSS_OPTION_KEYS, "faithfulnessLoss options");
  const m = checkNumber(opts.margin ?? 1, "margin", { min: 0 });
  const w = checkNumber(opts.causalWeight ?? 0.5, "causalWeight", { min: 0, max: 1 });
  const penalty = opts.irrelevantPenalty ?? "square";
  if (penalty !== "square" && penalty !== "huber") throw new Error(`option irrelevantPenalty must be "square" or "huber", got ${JSON.stringify(penalty)}`);
  const delta = checkNumber(opts.huberDelta ?? 1, "huberDelta", { min: 0 });
  const [N, K, C] = effects.shape;
  if (K !== graph.aus.length || C !== graph.classes.length) {
    throw new Error(`faithfulnessLoss: effects are [${effects.shape}], graph has ${graph.aus.length} AUs × ${graph.classes.length} classes`);
  }
  const y = toClassArray(labels, N, C, "labels");

  // Which (sample, AU, class) cells enter the loss, and with which polarity.
  const pos = new Float32Array(N * K * C);
  const neg = new Float32Array(N * K * C);
  const irr = new Float32Array(N * K * C);
  let nCausal = 0;
  let nIrr = 0;
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) {
      for (let c = 0; c < C; c++) {
        if (!opts.allClasses && c !== y[i]) continue;
        const at = (i * K + k) * C + c;
        const p = graph.polarity[k][c];
        if (p === 1) pos[at] = 1;
        else if (p === -1) neg[at] = 1;
        else irr[at] = 1;
        if (p === 0) nIrr++;
        else nCausal++;
      }
    }
  }
  return tf.tidy(() => {
    const shape: [number, number, number] = [N, K, C];
    const causalSum = tf
      .relu(tf.sub(m, effects))
      .mul(tf.tensor3d(pos, shape))
      .add(tf.relu(tf.add(m, effects)).mul(tf.tensor3d(neg, shape)))
      .sum();
    const irrPenalty = penalty === "square" ? effects.square() : huber(effects, delta);
    const irrSum = irrPenalty.mul(tf.tensor3d(irr, shape)).sum();
    const causal = (nCausal ? causalSum.div(nCausal) : tf.scalar(0)) as tf.Scalar;
    const irrelevant = (nIrr ? irrSum.div(nIrr) : tf.scalar(0)) as tf.Scalar;
    const wc = nCausal && nIrr ? w : nCausal ? 1 : 0;
    const loss = causal.mul(wc).add(irrelevant.mul(nIrr ? 1 - wc : 0)) as tf.Scalar;
    return { loss, causal, irrelevant };
  });
}

function huber(x: tf.Tensor, delta: number): tf.Tensor {
  const a = x.abs();
  const quad = tf.minimum(a, delta);
  // 0.5·q² + δ·(|x| − q): quadratic inside ±δ, linear outside
  return quad.square().mul(0.5).add(a.sub(quad).mul(delta));
}
