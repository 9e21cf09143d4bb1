import * as tf from "@tensorflow/tfjs";
import { FactoredHead } from "../faithfulness/effects";
import { biasAdd } from "./bias-add";
import { resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { loadWeights, readSavedMeta, saveWeights } from "./weights";

/**
 * The reasoner of spec §2: an encoder E(x) → (z, h) and a head H(z, h) → logits.
 *
 *   z ∈ [0,1]^K  AU activations, the rationale channel (sigmoid outputs,
 *                supervised by AU labels during training);
 *   h ∈ R^d      a free embedding, the bypass a model can decide through while
 *                naming AUs through z.
 *
 * `bottleneckOnly` makes the head read z alone (an ablation, not the default).
 * Plain tf.Variables and explicit matMuls (no tf.layers): the head is called on
 * N·K·2 intervened rows per step, and this keeps it one fused expression.
 */
export interface ReasonerConfig {
  /** Input features per frame. */
  inputDim: number;
  /** AU codes: the order of z (must equal the graph's `aus`). */
  aus: string[];
  /** Class names: the order of the logits (must equal the graph's `classes`). */
  classes: string[];
  /** Hidden widths of the encoder MLP. */
  encoderHidden: number[];
  /** Width d of the free embedding h. */
  embeddingDim: number;
  /** Hidden widths of the head MLP. */
  headHidden: number[];
  /** Head reads z only (the concept-bottleneck ablation). */
  bottleneckOnly: boolean;
  /** Seed of the weight initialization. */
  seed: number;
}

export const REASONER_DEFAULTS: ReasonerConfig = {
  inputDim: 0,
  aus: [],
  classes: [],
  encoderHidden: [128, 64],
  embeddingDim: 16,
  headHidden: [32],
  bottleneckOnly: false,
  seed: 0,
};

/** `format` of a saved Reasoner's reasoner.json. */
export const REASONER_FORMAT = "facr-reasoner/1";

interface Dense {
  name: string;
  w: tf.Variable;
  b: tf.Variable;
}

/** Parts of a Reasoner whose variables `variablesOf` returns. */
export type ReasonerPart = "encoder" | "z" | "h" | "head";
export const REASONER_PARTS: readonly ReasonerPart[] = ["encoder", "z", "h", "head"];

/**
 * ∂ℓ_c/∂z [N, K] for the class c = target[n] of each row, from the logits
 * [N, C] and their z-Jacobian J [N, K, C]:
 *
 *     ∂ℓ_c/∂z_k = J[:, k, c] − Σ_{j≠c} softmax_{j≠c}(l)_j · J[:, k, j]
 *
 * (ℓ_c = l_c − logsumexp_{j≠c} l_j). `target` is int32 [N], a constant.
 */
export function logOddsGradient(logits: tf.Tensor2D, jacobian: tf.Tensor3D, target: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const C = logits.shape[1];
    const one = tf.oneHot(target, C).cast("float32") as tf.Tensor2D;
    // softmax over j ≠ c: the target class pushed to −1e9 (exp underflows to exactly 0)
    const others = tf.softmax(logits.sub(one.mul(1e9)) as tf.Tensor2D);
    const w = one.sub(others); // +1 at c, −softmax_{j≠c} elsewhere
    return jacobian.mul(w.expandDims(1)).sum(2) as tf.Tensor2D;
  });
}

// tfjs variable names are global: give every reasoner its own prefix.
let instances = 0;

export class Reasoner {
  readonly config: ReasonerConfig;
  private readonly encoderLayers: Dense[];
  private readonly zLayer: Dense;
  private readonly hLayer: Dense;
  private readonly headLayers: Dense[];

  constructor(config: Partial<ReasonerConfig> & Pick<ReasonerConfig, "inputDim" | "aus" | "classes">) {
    const cfg = resolveConfig(REASONER_DEFAULTS, config, "reasoner");
    if (!Number.isInteger(cfg.inputDim) || cfg.inputDim < 1) throw new FacrInputError(`must be a positive integer, got ${cfg.inputDim}`, { field: "reasoner.inputDim" });
    if (cfg.aus.length < 1) throw new FacrInputError("needs at least one AU", { field: "reasoner.aus" });
    if (cfg.classes.length < 2) throw new FacrInputError("needs at least two classes", { field: "reasoner.classes" });
    this.config = cfg;
    let seed = cfg.seed * 1000;
    const prefix = `reasoner${instances++}`;
    const dense = (name: string, i: number, o: number): Dense => {
      const lim = Math.sqrt(6 / (i + o)); // Glorot uniform
      // tf.variable copies its initial value: build the initial values in a tidy so they are freed
      return tf.tidy(() => ({
        name,
        w: tf.variable(tf.randomUniform([i, o], -lim, lim, "float32", seed++), true, `${prefix}/${name}/w`),
        b: tf.variable(tf.zeros([o]), true, `${prefix}/${name}/b`),
      }));
    };
    let width = cfg.inputDim;
    this.encoderLayers = cfg.encoderHidden.map((u, j) => {
      const l = dense(`encoder${j}`, width, u);
      width = u;
      return l;
    });
    const K = cfg.aus.length;
    this.zLayer = dense("z", width, K);
    this.hLayer = dense("h", width, cfg.embeddingDim);
    let hw = cfg.bottleneckOnly ? K : K + cfg.embeddingDim;
    this.headLayers = [...cfg.headHidden, cfg.classes.length].map((u, j) => {
      const l = dense(`head${j}`, hw, u);
      hw = u;
      return l;
    });
  }

  get K(): number {
    return this.config.aus.length;
  }

  get C(): number {
    return this.config.classes.length;
  }

  /** x [N, inputDim] → z [N, K] in [0,1], h [N, d]. */
  encode(x: tf.Tensor2D): { z: tf.Tensor2D; h: tf.Tensor2D } {
    if (x.rank !== 2 || x.shape[1] !== this.config.inputDim) {
      throw new Error(`Reasoner.encode: x must be [N, ${this.config.inputDim}], got [${x.shape}]`);
    }
    return tf.tidy(() => {
      let a: tf.Tensor2D = x;
      for (const l of this.encoderLayers) a = tf.relu(biasAdd(a.matMul(l.w), l.b)) as tf.Tensor2D;
      return {
        z: tf.sigmoid(biasAdd(a.matMul(this.zLayer.w), this.zLayer.b)) as tf.Tensor2D,
        h: biasAdd(a.matMul(this.hLayer.w), this.hLayer.b),
      };
    });
  }

  /**
   * The reasoning head H(z, h) → logits [N, C]; usable as a `Head` for
   * interventions. Its first layer is linear in (z, h) (`firstLayer`), which
   * lets `interventionEffects(…, { path: "lowRank" })` add low-rank corrections
   * to the factual pre-activation instead of running the layer on every
   * intervened row.
   */
  readonly head: FactoredHead = Object.assign((z: tf.Tensor2D, h: tf.Tensor2D) => tf.tidy(() => this.restOfHead(this.preActivation(z, h))), {
    firstLayer: {
      wz: () => (this.config.bottleneckOnly ? this.headLayers[0].w : this.headLayers[0].w.slice([0, 0], [this.K, -1])) as tf.Tensor2D,
      pre: (z: tf.Tensor2D, h: tf.Tensor2D) => this.preActivation(z, h),
      rest: (a: tf.Tensor2D) => this.restOfHead(a),
    },
  });

  /** First head layer as z·W_z + h·W_h + b: the same function as [z, h]·W + b, without a concat. */
  private preActivation(z: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const first = this.headLayers[0];
      const a: tf.Tensor2D = this.config.bottleneckOnly
        ? (z.matMul(first.w) as tf.Tensor2D)
        : z.matMul(first.w.slice([0, 0], [this.K, -1])).add(h.matMul(first.w.slice([this.K, 0], [-1, -1])) as tf.Tensor2D);
      return biasAdd(a, first.b);
    });
  }

  /** The head after its first linear layer: pre-activations [M, H1] → logits [M, C]. */
  private restOfHead(a: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      for (let j = 1; j < this.headLayers.length; j++) {
        a = biasAdd((tf.relu(a) as tf.Tensor2D).matMul(this.headLayers[j].w), this.headLayers[j].b);
      }
      return a;
    });
  }

  /**
   * The head's logits and their Jacobian with respect to z, J[n, k, c] = ∂l_c/∂z_k
   * at (z_n, h_n), in one batched forward-mode pass: the tangent starts as W_z
   * (the z rows of the first head layer) and goes through every hidden layer as
   * T ← (T ⊙ 1[a > 0]) · W_next, with the ReLU mask taken from the
   * pre-activation a (relu'' = 0 almost everywhere; tf.step has a zero
   * gradient, so the mask is a constant to backprop). Differentiable with
   * respect to the head weights (and, through the masks' positions only, not
   * through a): what an input-gradient penalty inside a loss needs.
   * The logits are the same values as `head(z, h)` (the same kernels).
   */
  headWithJacobianZ(z: tf.Tensor2D, h: tf.Tensor2D): { logits: tf.Tensor2D; jacobian: tf.Tensor3D } {
    return tf.tidy(() => {
      const N = z.shape[0];
      const K = this.K;
      let a = this.preActivation(z, h);
      // [1, K, H1]: the same tangent for every sample until the first mask
      let t: tf.Tensor3D = (this.head.firstLayer!.wz() as tf.Tensor2D).expandDims(0) as tf.Tensor3D;
      for (let j = 1; j < this.headLayers.length; j++) {
        const { w, b } = this.headLayers[j];
        const masked = t.mul(tf.step(a).expandDims(1)) as tf.Tensor3D; // [N, K, H_j]
        t = masked.reshape([N * K, a.shape[1]]).matMul(w).reshape([N, K, w.shape[1] as number]) as tf.Tensor3D;
        a = biasAdd((tf.relu(a) as tf.Tensor2D).matMul(w), b);
      }
      // no hidden layer: the head is linear, J = W_z for every sample
      if (t.shape[0] !== N) t = t.add(tf.zeros([N, 1, 1])) as tf.Tensor3D;
      return { logits: a, jacobian: t };
    });
  }

  /** ∂l_c/∂z_k [N, K, C] (see `headWithJacobianZ`). */
  logitJacobianZ(z: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => this.headWithJacobianZ(z, h).jacobian);
  }

  /**
   * ∂ℓ_c/∂z [N, K] of the class log-odds ℓ_c = l_c − logsumexp_{j≠c} l_j (the
   * scale of `interventionEffects`' default), for one class per row: `target`
   * (int32 [N]) or, by default, each row's predicted class argmax l (a
   * constant). Differentiable with respect to the head weights.
   */
  logOddsGradientZ(z: tf.Tensor2D, h: tf.Tensor2D, target?: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const { logits, jacobian } = this.headWithJacobianZ(z, h);
      return logOddsGradient(logits, jacobian, target ?? (tf.argMax(logits, 1) as tf.Tensor1D));
    });
  }

  /** x → logits. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { z, h } = this.encode(x);
      return this.head(z, h);
    });
  }

  /** Every trainable variable, in a fixed order. */
  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.w, l.b]);
  }

  /**
   * The variables of some parts, in `variables` order: "encoder" the encoder
   * MLP, "z" the AU layer, "h" the embedding layer, "head" the head MLP.
   * Sequential concept-bottleneck training trains ["encoder", "z"], then ["head"].
   */
  variablesOf(...parts: ReasonerPart[]): tf.Variable[] {
    for (const p of parts) if (!REASONER_PARTS.includes(p)) throw new Error(`Reasoner.variablesOf: unknown part ${JSON.stringify(p)} (known: ${REASONER_PARTS.join(", ")})`);
    const of: Record<ReasonerPart, Dense[]> = { encoder: this.encoderLayers, z: [this.zLayer], h: [this.hLayer], head: this.headLayers };
    const chosen = new Set(parts.flatMap((p) => of[p]));
    return this.layers.filter((l) => chosen.has(l)).flatMap((l) => [l.w, l.b]);
  }

  /** Instance-independent names of `variables` (as saved), e.g. "encoder0/w". */
  get variableNames(): string[] {
    return this.layers.flatMap((l) => [`${l.name}/w`, `${l.name}/b`]);
  }

  private get layers(): Dense[] {
    return [...this.encoderLayers, this.zLayer, this.hLayer, ...this.headLayers];
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /** Copy every weight from another reasoner with the same architecture (e.g. the best epoch). */
  assign(from: Reasoner): void {
    const src = from.variables;
    this.variables.forEach((v, i) => v.assign(src[i]));
  }

  /** A snapshot of the weights (caller disposes). */
  snapshot(): tf.Tensor[] {
    return this.variables.map((v) => v.clone());
  }

  restore(weights: tf.Tensor[]): void {
    this.variables.forEach((v, i) => v.assign(weights[i]));
  }

  dispose(): void {
    tf.dispose(this.variables);
  }

  /**
   * Save to a directory: `reasoner.json` (config + tfjs weights manifest + any
   * extra metadata, e.g. the feature standardization) and `weights.bin`
   * (tfjs's weight format; the layout of model/weights.ts).
   */
  async save(dir: string, extra: Record<string, unknown> = {}): Promise<void> {
    await saveWeights(dir, "reasoner.json", this, (weightsManifest) => ({ format: REASONER_FORMAT, config: this.config, weightsManifest, extra }));
  }

  /** Load a reasoner saved by `save`; returns it with the saved `extra` metadata. */
  static load(dir: string): { reasoner: Reasoner; extra: Record<string, unknown> } {
    const { file, meta } = readSavedMeta<{ config: ReasonerConfig; extra?: Record<string, unknown> }>(dir, "reasoner.json", REASONER_FORMAT, "reasoner");
    const reasoner = loadWeights(file, meta.weightsManifest, () => new Reasoner(meta.config));
    return { reasoner, extra: meta.extra ?? {} };
  }
}
