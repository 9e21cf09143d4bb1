import * as tf from "@tensorflow/tfjs";
import { biasAdd } from "../model/bias-add";
import { resolveConfig } from "../util/config";
import { Vocabulary } from "./grammar";
import { CausalLm, checkPositiveInts, GRU_DEFAULTS, GruLmConfig } from "./lm-base";

/**
 * The recurrent backbone: a one-layer GRU language model written with explicit
 * ops (Cho et al., 2014, with the reset gate applied to the recurrent
 * candidate term, as in cuDNN / Keras `reset_after`):
 *
 *     z = σ(x W_z + h U_z + b_z)      r = σ(x W_r + h U_r + b_r)
 *     n = tanh(x W_n + b_n + r ⊙ (h U_n + c_n))      h' = n + z ⊙ (h − n)
 *     logits = h' W_o + b_o
 *
 * x is the one-hot token, so x·W_{z,r,n} is the (per-gate) embedding: one
 * [B·T, V]·[V, 3H] matMul for every position at once; the recurrence then
 * needs one [B, H]·[H, 3H] matMul per step.
 */
export class GruLm extends CausalLm {
  readonly config: GruLmConfig;
  private readonly wx: tf.Variable;
  private readonly bx: tf.Variable;
  private readonly u: tf.Variable;
  private readonly bu: tf.Variable;
  private readonly wo: tf.Variable;
  private readonly bo: tf.Variable;

  constructor(vocab: Vocabulary, config: Partial<GruLmConfig> = {}) {
    const cfg = resolveConfig(GRU_DEFAULTS, { ...config, kind: "gru" }, "gru");
    checkPositiveInts(cfg, ["hidden", "maxLength"], "gru");
    super(vocab, cfg.seed, "gru");
    this.config = cfg;
    const V = vocab.size;
    const H = cfg.hidden;
    this.wx = this.matrix("wx", V, 3 * H);
    this.bx = this.vector("bx", 3 * H);
    this.u = this.matrix("u", H, 3 * H);
    this.bu = this.vector("bu", 3 * H);
    this.wo = this.matrix("wo", H, V);
    this.bo = this.vector("bo", V);
  }

  forward(tokens: tf.Tensor2D): tf.Tensor3D {
    this.checkTokens(tokens);
    return tf.tidy(() => {
      const [B, T] = tokens.shape;
      const H = this.config.hidden;
      const states = this.run(tokens);
      return biasAdd(tf.stack(states, 1).reshape([B * T, H]).matMul(this.wo), this.bo).reshape([B, T, this.vocab.size]) as tf.Tensor3D;
    });
  }

  /** Only the last state goes through the output layer. */
  override nextLogits(prefix: tf.Tensor2D): tf.Tensor2D {
    this.checkTokens(prefix);
    return tf.tidy(() => {
      const states = this.run(prefix);
      return biasAdd(states[states.length - 1].matMul(this.wo), this.bo);
    });
  }

  /** Hidden states after each position (call inside tidy). */
  private run(tokens: tf.Tensor2D): tf.Tensor2D[] {
    const [B, T] = tokens.shape;
    const H = this.config.hidden;
    const xs = tf.unstack(biasAdd(this.oneHot(tokens).matMul(this.wx), this.bx).reshape([B, T, 3 * H]), 1) as tf.Tensor2D[];
    let h = tf.zeros([B, H]) as tf.Tensor2D;
    const out: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const [xz, xr, xn] = tf.split(xs[t], 3, 1);
      const [hz, hr, hn] = tf.split(biasAdd(h.matMul(this.u), this.bu), 3, 1);
      const z = tf.sigmoid(xz.add(hz));
      const r = tf.sigmoid(xr.add(hr));
      const n = tf.tanh(xn.add(r.mul(hn)));
      h = n.add(z.mul(h.sub(n))) as tf.Tensor2D;
      out.push(h);
    }
    return out;
  }
}
