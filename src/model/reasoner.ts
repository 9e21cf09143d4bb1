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
