import * as tf from "@tensorflow/tfjs";
import { CausalGraph } from "../graph/graph";
import { logOddsGradient, Reasoner } from "../model/reasoner";

/**
 * "Right for the right reasons" (Ross, Hughes & Doshi-Velez 2017) on the AU
 * channel, the input-gradient competitor of L_cf:
 *
 *     L_rrr = mean_i Σ_{k : polarity[k][ĉ_i] = 0} (∂ℓ_ĉ_i / ∂z_k)²
 *
 * ℓ_c = l_c − logsumexp_{j≠c} l_j the class log-odds (the scale of
 * interventionEffects' default), ĉ_i = argmax of sample i's logits (a
 * constant), the gradient at (z_i, h_i) from the head's analytic forward-mode
 * Jacobian (`Reasoner.headWithJacobianZ`), so the penalty is differentiable
 * with respect to the weights without a nested tf.grad.
 *
 * Returns a scalar (0 for an empty batch).
 */
export function rrrPenalty(reasoner: Reasoner, z: tf.Tensor2D, h: tf.Tensor2D, graph: CausalGraph): tf.Scalar {
  return tf.tidy(() => {
    const N = z.shape[0];
    if (N === 0) return tf.scalar(0);
    const { logits, jacobian } = reasoner.headWithJacobianZ(z, h);
    const predicted = tf.argMax(logits, 1) as tf.Tensor1D;
    const g = logOddsGradient(logits, jacobian, predicted); // [N, K]
    const irrelevant = tf.oneHot(predicted, reasoner.C).cast("float32").matMul(irrelevanceMatrix(graph)); // [N, K]
    return g.square().mul(irrelevant).sum().div(N) as tf.Scalar;
  });
}

/** [C, K]: 1 where AU k is irrelevant to class c in G (polarity 0). */
export function irrelevanceMatrix(graph: CausalGraph): tf.Tensor2D {
  const K = graph.aus.length;
  const C = graph.classes.length;
  const m = new Float32Array(C * K);
  for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) if (graph.polarity[k][c] === 0) m[c * K + k] = 1;
  return tf.tensor2d(m, [C, K]);
}
