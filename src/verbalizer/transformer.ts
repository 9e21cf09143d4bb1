import * as tf from "@tensorflow/tfjs";
import { biasAdd } from "../model/bias-add";
import { resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { Vocabulary } from "./grammar";
import { CausalLm, checkPositiveInts, TRANSFORMER_DEFAULTS, TransformerLmConfig } from "./lm-base";

/**
 * The second backbone: a small decoder-only Transformer (pre-layer-norm, as in
 * GPT-2):
 *
 *     x₀ = onehot(tokens)·E + P            (sinusoidal positions P, Vaswani et al. 2017)
 *     x ← x + MHA(LN(x))                   (causal mask: position t attends to ≤ t)
 *     x ← x + W₂ relu(W₁ LN(x))
 *     logits = LN(x)·W_out
 *
 * Attention is batched over heads as rank-4 matMuls; right padding needs no
 * key mask because the causal mask already hides every later position.
 */
interface Block {
  ln1g: tf.Variable;
  ln1b: tf.Variable;
  wq: tf.Variable;
  wk: tf.Variable;
  wv: tf.Variable;
  wo: tf.Variable;
  bo: tf.Variable;
  ln2g: tf.Variable;
  ln2b: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

export class TransformerLm extends CausalLm {
  readonly config: TransformerLmConfig;
  private readonly embed: tf.Variable;
  private readonly blocks: Block[];
  private readonly lnfg: tf.Variable;
  private readonly lnfb: tf.Variable;
  private readonly wout: tf.Variable;
  private readonly bout: tf.Variable;
  private readonly positions: tf.Tensor2D;

  constructor(vocab: Vocabulary, config: Partial<TransformerLmConfig> = {}) {
    const cfg = resolveConfig(TRANSFORMER_DEFAULTS, { ...config, kind: "transformer" }, "transformer");
    checkPositiveInts(cfg, ["dModel", "heads", "layers", "mlpHidden", "maxLength"], "transformer");
    if (cfg.dModel % cfg.heads !== 0) throw new FacrInputError(`dModel ${cfg.dModel} must be a multiple of heads ${cfg.heads}`, { field: "transformer.heads" });
    super(vocab, cfg.seed, "transformer");
    this.config = cfg;
    const d = cfg.dModel;
    const V = vocab.size;
    this.embed = this.matrix("embed", V, d);
    this.blocks = Array.from({ length: cfg.layers }, (_, l) => ({
      ln1g: this.vector(`block${l}/ln1/g`, d, 1),
      ln1b: this.vector(`block${l}/ln1/b`, d),
      wq: this.matrix(`block${l}/wq`, d, d),
      wk: this.matrix(`block${l}/wk`, d, d),
      wv: this.matrix(`block${l}/wv`, d, d),
      wo: this.matrix(`block${l}/wo`, d, d),
      bo: this.vector(`block${l}/bo`, d),
      ln2g: this.vector(`block${l}/ln2/g`, d, 1),
      ln2b: this.vector(`block${l}/ln2/b`, d),
      w1: this.matrix(`block${l}/w1`, d, cfg.mlpHidden),
      b1: this.vector(`block${l}/b1`, cfg.mlpHidden),
      w2: this.matrix(`block${l}/w2`, cfg.mlpHidden, d),
      b2: this.vector(`block${l}/b2`, d),
    }));
    this.lnfg = this.vector("lnf/g", d, 1);
    this.lnfb = this.vector("lnf/b", d);
    this.wout = this.matrix("wout", d, V);
    this.bout = this.vector("bout", V);
    this.positions = sinusoidalPositions(cfg.maxLength, d);
  }

  forward(tokens: tf.Tensor2D): tf.Tensor3D {
    this.checkTokens(tokens);
    return tf.tidy(() => {
      const [B, T] = tokens.shape;
      const x = this.hidden(tokens);
      return biasAdd(x.matMul(this.wout), this.bout).reshape([B, T, this.vocab.size]) as tf.Tensor3D;
    });
  }

  /** Only the last position goes through the output layer. */
  override nextLogits(prefix: tf.Tensor2D): tf.Tensor2D {
    this.checkTokens(prefix);
    return tf.tidy(() => {
      const [B, T] = prefix.shape;
      const d = this.config.dModel;
      const last = this.hidden(prefix).reshape([B, T, d]).slice([0, T - 1, 0], [B, 1, d]).reshape([B, d]);
      return biasAdd(last.matMul(this.wout), this.bout);
    });
  }

  /** Final layer-normed residual stream [B·T, d] (call inside tidy). */
  private hidden(tokens: tf.Tensor2D): tf.Tensor2D {
    const [B, T] = tokens.shape;
    const d = this.config.dModel;
    const h = this.config.heads;
    const dh = d / h;
    const pos = this.positions.slice([0, 0], [T, d]);
    let x = this.oneHot(tokens).matMul(this.embed).reshape([B, T, d]).add(pos).reshape([B * T, d]) as tf.Tensor2D;
    const mask = causalMask(T);
    const heads = (m: tf.Tensor) => m.reshape([B, T, h, dh]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
    for (const b of this.blocks) {
      const a = layerNorm(x, b.ln1g, b.ln1b);
      const q = heads(a.matMul(b.wq));
      const k = heads(a.matMul(b.wk));
      const v = heads(a.matMul(b.wv));
      const scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dh)).add(mask);
      const att = tf.matMul(tf.softmax(scores), v).transpose([0, 2, 1, 3]).reshape([B * T, d]) as tf.Tensor2D;
      x = x.add(biasAdd(att.matMul(b.wo), b.bo)) as tf.Tensor2D;
      const m = tf.relu(biasAdd(layerNorm(x, b.ln2g, b.ln2b).matMul(b.w1), b.b1)) as tf.Tensor2D;
      x = x.add(biasAdd(m.matMul(b.w2), b.b2)) as tf.Tensor2D;
    }
    return layerNorm(x, this.lnfg, this.lnfb);
  }

  protected override disposeConstants(): void {
    this.positions.dispose();
  }
}

function layerNorm(x: tf.Tensor2D, g: tf.Variable, b: tf.Variable, eps = 1e-5): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(eps).sqrt()).mul(g).add(b) as tf.Tensor2D;
}

/** [T, T] additive mask: 0 on and below the diagonal, −1e9 above (call inside tidy). */
function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

/** PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(…). */
export function sinusoidalPositions(maxLength: number, d: number): tf.Tensor2D {
  const pe = new Float32Array(maxLength * d);
  for (let p = 0; p < maxLength; p++) {
    for (let i = 0; i < d; i += 2) {
      const angle = p / Math.pow(10000, i / d);
      pe[p * d + i] = Math.sin(angle);
      if (i + 1 < d) pe[p * d + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(pe, [maxLength, d]);
}
