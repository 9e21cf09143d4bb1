import * as tf from "@tensorflow/tfjs";
import { Head, interventionEffects } from "../faithfulness/effects";
import { faithfulnessLossTerms } from "../faithfulness/loss";
import { CausalGraph, makeGraph } from "../graph/graph";
import { graphToJson } from "../graph/io";
import { loadWeights, readSavedMeta, saveWeights } from "../model/weights";
import { fitWithEarlyStopping } from "../train/loop";
import { DeepPartial, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { Dataset } from "../data/dataset";
import { faceGeometry, fitHStandardizer, GEOMETRY_FEATURES, HStandardizer, standardizeH } from "./external-inputs";

export { externalActivations, faceGeometry, fitHStandardizer, GEOMETRY_FEATURES, standardizeH } from "./external-inputs";
export type { ExternalActivations, HStandardizer } from "./external-inputs";

/**
 * A reasoner over an *external* AU detector (spec §2 with E replaced by a
 * detector you already have): the rationale channel z is the detector's output,
 * the bypass h a small description of the face geometry, and only the head
 * H(z, h) is learned. The same do-interventions, metric and gated verbalizer
 * then apply to it as to facr's own reasoner.
 *
 *   z  AU intensities of the data, in the graph's AU order, scaled to [0, 1]:
 *      OpenFace `AU*_r` / 5 (AU45_r too: OpenFace estimates it on 0–5), any other
 *      source's intensities / the AU's maximum (5, or 1 for binary AUs). NaN
 *      (not coded) → 0, counted; an AU of G the data lacks is 0 for every frame,
 *      reported.
 *   h  8 geometric measures of the Procrustes-normalized landmarks (translation,
 *      scale and in-plane rotation removed against facr's canonical neutral face,
 *      `normalizeLandmarks`), each minus its value on that neutral face, in its
 *      units (1 = the outer-eye-corner distance): brow raise, inner-brow gap,
 *      eye aperture, nose-to-upper-lip, mouth width, mouth-corner lift, mouth
 *      opening, jaw drop (`GEOMETRY_FEATURES`). A fixed projection — no fitting,
 *      the same for 66 (UNBC AAM) and 68-point (iBUG: OpenFace, CK+) layouts,
 *      since it only reads points 0–59 — then standardized with the *training*
 *      data's mean and sd (stored with the head). Frames whose landmarks failed
 *      get h = 0 (the training mean), counted. Data without landmarks: the head
 *      is built without h (hDim 0) and decides from z alone.
 *   H  one hidden ReLU layer (32 units) on [z, h] → C logits, trained with the
 *      FACR objective CE + λ_cf·L_cf (λ_cf = 1, margin 1 nat; no AU term: z is
 *      given). Adam, fixed epochs (at least 200 steps), seeded batches and initialization:
 *      deterministic for a seed and backend.
 */
export interface ExternalHeadConfig {
  /** z's AU order (= the graph's). */
  aus: string[];
  /** Logit order (= the graph's). */
  classes: string[];
  /** Width of h: 8 (geometry) or 0 (no landmarks: the head reads z only). */
  hDim: number;
  hidden: number;
  seed: number;
}

export interface ExternalTrainConfig {
  /** Passes over the data (raised to reach `minSteps`). */
  epochs: number;
  /** At least this many optimizer steps: small labelled sets (a few hundred frames) get more epochs. */
  minSteps: number;
  batchSize: number;
  learningRate: number;
  /** Weight of the counterfactual objective (0: cross-entropy only). */
  lambdaCf: number;
  margin: number;
  causalWeight: number;
  /** Seed of initialization and batch order. */
  seed: number;
  hidden: number;
}

export const EXTERNAL_TRAIN_DEFAULTS: ExternalTrainConfig = {
  epochs: 12,
  minSteps: 200,
  batchSize: 256,
  learningRate: 5e-3,
  lambdaCf: 1,
  margin: 1,
  causalWeight: 0.5,
  seed: 0,
  hidden: 32,
};

export const EXTERNAL_FORMAT = "facr-external-reasoner/1";

let instances = 0;

/** The head H(z, h) of an external-AU reasoner, with what it needs to build its inputs. */
export class ExternalReasoner {
  readonly config: ExternalHeadConfig;
  /** Standardization of h (null when hDim = 0). */
  readonly hStats: HStandardizer | null;
  /** How it was trained, in words and numbers (saved with it). */
  readonly training: Record<string, unknown>;
  private readonly vars: { w1z: tf.Variable; w1h: tf.Variable | null; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };

  constructor(config: ExternalHeadConfig, hStats: HStandardizer | null, training: Record<string, unknown> = {}) {
    if (config.aus.length < 1 || config.classes.length < 2) throw new FacrInputError("needs ≥ 1 AU and ≥ 2 classes", { field: "reasoner" });
    if (config.hDim > 0 && (!hStats || hStats.mean.length !== config.hDim)) throw new FacrInputError(`hDim ${config.hDim} needs a standardizer of that width`, { field: "reasoner.hStats" });
    this.config = { ...config, aus: [...config.aus], classes: [...config.classes] };
    this.hStats = config.hDim > 0 ? hStats : null;
    this.training = training;
    const K = config.aus.length;
    const C = config.classes.length;
    const H = config.hidden;
    const prefix = `external${instances++}`;
    let seed = config.seed * 1000 + 7;
    const glorot = (name: string, i: number, o: number, fanIn = i) =>
      tf.tidy(() => {
        const lim = Math.sqrt(6 / (fanIn + o));
        return tf.variable(tf.randomUniform([i, o], -lim, lim, "float32", seed++), true, `${prefix}/${name}`);
      });
    // tf.variable copies its initial value: the zeros are built in a tidy so they are freed
    const zeros = (name: string, n: number) => tf.tidy(() => tf.variable(tf.zeros([n]), true, `${prefix}/${name}`));
    const fanIn = K + config.hDim;
    this.vars = {
      w1z: glorot("w1z", K, H, fanIn),
      w1h: config.hDim > 0 ? glorot("w1h", config.hDim, H, fanIn) : null,
      b1: zeros("b1", H),
      w2: glorot("w2", H, C),
      b2: zeros("b2", C),
    };
  }

  get K(): number {
    return this.config.aus.length;
  }

  get C(): number {
    return this.config.classes.length;
  }

  /** H(z, h) → logits; h is ignored when hDim = 0 (pass any [N, ≥1] tensor). */
  readonly head: Head = (z, h) =>
    tf.tidy(() => {
      const v = this.vars;
      let a = z.matMul(v.w1z) as tf.Tensor2D;
      if (v.w1h) a = a.add(h.matMul(v.w1h)) as tf.Tensor2D;
      return (tf.relu(a.add(v.b1)) as tf.Tensor2D).matMul(v.w2).add(v.b2) as tf.Tensor2D;
    });

  /** Width of the h tensor to pass (1 when the head ignores h). */
  get hWidth(): number {
    return Math.max(1, this.config.hDim);
  }

  /** The h rows for a dataset: standardized geometry, or zeros (hDim 0). */
  hFor(ds: Pick<Dataset, "size" | "landmarks">): { h: Float32Array; failed: number } {
    if (this.config.hDim === 0) return { h: new Float32Array(ds.size), failed: 0 };
    const g = faceGeometry(ds);
    if (!g) return { h: new Float32Array(ds.size * this.config.hDim), failed: ds.size };
    return { h: standardizeH(g.h, this.hStats!), failed: g.failed };
  }

  get variables(): tf.Variable[] {
    const v = this.vars;
    return [v.w1z, ...(v.w1h ? [v.w1h] : []), v.b1, v.w2, v.b2];
  }

  get variableNames(): string[] {
    return ["w1z", ...(this.vars.w1h ? ["w1h"] : []), "b1", "w2", "b2"];
  }

  dispose(): void {
    tf.dispose(this.variables);
  }

  /** Save as `<dir>/reasoner.json` (format facr-external-reasoner/1, with G) and `<dir>/weights.bin`, atomically (model/weights.ts). */
  async save(dir: string, graph?: CausalGraph): Promise<void> {
    await saveWeights(dir, "reasoner.json", this, (weightsManifest) => ({
      format: EXTERNAL_FORMAT,
      config: this.config,
      hStats: this.hStats,
      training: this.training,
      graph: graph ? JSON.parse(graphToJson(graph)) : undefined,
      weightsManifest,
    }));
  }

  /** Load a head saved by `save` (and the graph saved with it, if any). */
  static load(dir: string): { reasoner: ExternalReasoner; graph: CausalGraph | null } {
    const { file, meta } = readSavedMeta<{
      config: ExternalHeadConfig;
      hStats: HStandardizer | null;
      training?: Record<string, unknown>;
      graph?: unknown;
    }>(dir, "reasoner.json", EXTERNAL_FORMAT, "reasoner");
    const reasoner = loadWeights(file, meta.weightsManifest, () => new ExternalReasoner(meta.config, meta.hStats, meta.training ?? {}));
    return { reasoner, graph: meta.graph === undefined || meta.graph === null ? null : makeGraph(meta.graph, `${file} (graph)`) };
  }
}

/** Training rows of an external reasoner: z (N × K), raw geometry (N × 8) or null, labels. */
export interface ExternalTrainData {
  z: Float32Array;
  /** Raw `faceGeometry` rows (standardized inside), or null to train without h. */
  geometry: Float32Array | null;
  y: Int32Array;
  N: number;
}

/**
 * Train an external-AU reasoner's head on labelled rows (every y a class index
 * of `graph`): CE + λ_cf · L_cf with `graph`, Adam, fixed epochs, seeded.
 */
export function trainExternalReasoner(data: ExternalTrainData, graph: CausalGraph, overrides: DeepPartial<ExternalTrainConfig> = {}, training: Record<string, unknown> = {}): ExternalReasoner {
  const cfg = resolveConfig(EXTERNAL_TRAIN_DEFAULTS, overrides, "externalTrain");
  const K = graph.aus.length;
  const C = graph.classes.length;
  const { N } = data;
  if (N < 1) throw new FacrInputError("no labelled rows to train the head on", { field: "labels" });
  if (data.z.length !== N * K) throw new Error(`trainExternalReasoner: z holds ${data.z.length} values, expected ${N} × ${K}`);
  for (let i = 0; i < N; i++) if (data.y[i] < 0 || data.y[i] >= C) throw new Error(`trainExternalReasoner: y[${i}] = ${data.y[i]} is not a class index of [${graph.classes.join(", ")}]`);
  const D = GEOMETRY_FEATURES.length;
  const hStats = data.geometry ? fitHStandardizer(data.geometry, D) : null;
  const hDim = hStats ? D : 0;
  const h = data.geometry && hStats ? standardizeH(data.geometry, hStats) : new Float32Array(N);
  const hw = Math.max(1, hDim);
  const epochs = Math.max(cfg.epochs, Math.ceil(cfg.minSteps / Math.ceil(N / cfg.batchSize)));
  const reasoner = new ExternalReasoner({ aus: [...graph.aus], classes: [...graph.classes], hDim, hidden: cfg.hidden, seed: cfg.seed }, hStats, {
    ...training,
    objective: cfg.lambdaCf > 0 ? `CE + ${cfg.lambdaCf}·L_cf (margin ${cfg.margin}) with ${graph.provenance.source}` : "CE only (λ_cf = 0)",
    config: cfg,
    rows: N,
    epochs,
  });
  try {
    fitWithEarlyStopping({
      epochs,
      rows: N,
      batchSize: cfg.batchSize,
      seed: cfg.seed,
      shuffleLabel: "external-batches",
      learningRate: cfg.learningRate,
      variables: reasoner.variables,
      step: (idx, minimize) => {
        const n = idx.length;
        const zb = new Float32Array(n * K);
        const hb = new Float32Array(n * hw);
        const yb = new Int32Array(n);
        idx.forEach((i, r) => {
          zb.set(data.z.subarray(i * K, (i + 1) * K), r * K);
          hb.set(h.subarray(i * hw, (i + 1) * hw), r * hw);
          yb[r] = data.y[i];
        });
        const zt = tf.tensor2d(zb, [n, K]);
        const ht = tf.tensor2d(hb, [n, hw]);
        const yi = tf.tensor1d(yb, "int32");
        const yt = tf.oneHot(yi, C);
        minimize(() => {
          const logits = reasoner.head(zt, ht);
          let loss = tf.losses.softmaxCrossEntropy(yt, logits) as tf.Scalar;
          if (cfg.lambdaCf > 0) {
            const effects = interventionEffects(reasoner.head, zt, ht, graph);
            const t = faithfulnessLossTerms(effects, yb, graph, { margin: cfg.margin, causalWeight: cfg.causalWeight });
            loss = loss.add(t.loss.mul(cfg.lambdaCf)) as tf.Scalar;
          }
          return loss;
        });
        tf.dispose([zt, ht, yi, yt]);
      },
    });
  } catch (err) {
    reasoner.dispose();
    throw err;
  }
  return reasoner;
}
