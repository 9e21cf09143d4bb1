import * as tf from "@tensorflow/tfjs";
import { interventionEffects } from "../faithfulness/effects";
import { faithfulnessLossTerms } from "../faithfulness/loss";
import { CausalGraph } from "../graph/graph";
import { Reasoner } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { DeepPartial, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { fitWithEarlyStopping } from "./loop";
import { rrrPenalty } from "./rrr";

/**
 * Training of spec §4:
 *
 *     L = CE(y, H(z, h)) + λ_au · BCE(z, au / max) + λ_cf · L_cf  [+ λ_rrr · L_rrr]
 *
 * L_rrr is the right-for-the-right-reasons competitor (train/rrr.ts), off by
 * default. `stage` splits the objective for sequential concept-bottleneck
 * training (Koh et al. 2020; `trainSequential`): "concepts" trains the encoder
 * and the z layer on λ_au · BCE alone, "head" trains the head alone on
 * CE + λ_cf · L_cf + λ_rrr · L_rrr; "joint" (default) is everything at once.
 *
 * λ_cf = 0 is the no-objective baseline; the FACR arm and the permuted-graph
 * control differ only in λ_cf and the graph. Mini-batches, Adam, early stopping
 * on a validation set of held-out *training* subjects (best epoch restored).
 */
export interface TrainConfig {
  /** Maximum epochs. */
  epochs: number;
  /** Stop after this many epochs without a better validation loss. */
  patience: number;
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Weight of the AU supervision of z. Spec default 1. */
  lambdaAu: number;
  /** Weight of the counterfactual objective; 0 = baseline. Spec default 1. */
  lambdaCf: number;
  /** Margin m of L_cf, nats of log-odds. Spec default 1. */
  margin: number;
  /** Weight of L_cf's causal terms (irrelevant: 1 − this). */
  causalWeight: number;
  irrelevantPenalty: "square" | "huber";
  /** Seed of batch order. */
  seed: number;
  /** Weight of the right-for-the-right-reasons penalty L_rrr (train/rrr.ts); 0 = off. */
  lambdaRrr: number;
  /**
   * hi of the objective's do(z_k := hi_k), one per AU (e.g. the in-support 95th
   * percentiles of spec §11.2, `inSupportHi`); empty = 1 for every AU (the first
   * protocol's do(z := 1)).
   */
  hi: number[];
  /**
   * What is trained on which terms. "joint": every variable on the whole
   * objective. "concepts": encoder and z layer on λ_au · BCE only (no CE, L_cf,
   * L_rrr). "head": the head layers only on CE + λ_cf · L_cf + λ_rrr · L_rrr
   * (no AU term; the encoder is frozen). Early stopping watches the stage's own
   * validation objective.
   */
  stage: TrainStage;
}

export type TrainStage = "joint" | "concepts" | "head";
export const TRAIN_STAGES: readonly TrainStage[] = ["joint", "concepts", "head"];

export const TRAIN_DEFAULTS: TrainConfig = {
  epochs: 20,
  patience: 4,
  batchSize: 256,
  learningRate: 2e-3,
  lambdaAu: 1,
  lambdaCf: 1,
  margin: 1,
  causalWeight: 0.5,
  irrelevantPenalty: "square",
  seed: 0,
  lambdaRrr: 0,
  hi: [],
  stage: "joint",
};


export interface EpochRecord {
  epoch: number;
  epochs: number;
  /** Mean training loss and its parts over the epoch's batches. */
  loss: number;
  ce: number;
  au: number;
  cf: number;
  /** L_rrr (0 when λ_rrr = 0). Terms the stage leaves out of its objective are NaN (ce, cf, rrr under "concepts"). */
  rrr: number;
  /** Validation loss (same objective), NaN without validation data. */
  valLoss: number;
  seconds: number;
  /** Upper bound: assumes no early stop. */
  etaSeconds: number;
  best: boolean;
}

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  seconds: number;
  steps: number;
  stepsPerSecond: number;
  samplesPerSecond: number;
  config: TrainConfig;
}

export type ProgressFn = (e: EpochRecord) => void;

/**
 * Train `reasoner` in place. `graph` must match the reasoner's AUs and classes
 * (it is only read when λ_cf > 0).
 */
export function trainReasoner(
  reasoner: Reasoner,
  train: ReasonerRows,
  validation: ReasonerRows | null,
  graph: CausalGraph,
  overrides: DeepPartial<TrainConfig> = {},
  progress?: ProgressFn,
): TrainResult {
  const cfg = resolveConfig(TRAIN_DEFAULTS, overrides, "train");
  checkTrainConfig(cfg);
  checkData(reasoner, train, "train");
  if (validation) checkData(reasoner, validation, "validation");
  if (cfg.stage !== "concepts" && (cfg.lambdaCf > 0 || cfg.lambdaRrr > 0) && (graph.aus.join() !== reasoner.config.aus.join() || graph.classes.join() !== reasoner.config.classes.join())) {
    throw new FacrInputError(`graph (${graph.aus.length} AUs × ${graph.classes.join("/")}) does not match the reasoner's AUs and classes`, { field: "graph" });
  }
  const history: EpochRecord[] = [];
  const fit = fitWithEarlyStopping({
    epochs: cfg.epochs,
    rows: train.N,
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    shuffleLabel: "batches",
    learningRate: cfg.learningRate,
    variables: stageVariables(reasoner, cfg.stage),
    step: (idx, minimize) => {
      const batch = toTensors(train, idx);
      let parts!: tf.Tensor1D;
      minimize(() => {
        const t = objective(reasoner, batch, graph, cfg);
        parts = tf.keep(tf.stack([t.total, t.ce, t.au, t.cf, t.rrr]) as tf.Tensor1D);
        return t.total;
      });
      const values = parts.dataSync();
      tf.dispose([parts, batch.x, batch.au, batch.auMask, batch.y]);
      return { values, weight: idx.length };
    },
    earlyStopping: {
      patience: cfg.patience,
      validate: validation ? () => evaluateObjective(reasoner, validation, graph, cfg).total : undefined,
      snapshot: () => reasoner.snapshot(),
      restore: (w) => reasoner.restore(w),
    },
    onEpoch: (e) => {
      const [loss = NaN, ce = NaN, au = NaN, cf = NaN, rrr = NaN] = e.means; // NaN: no training rows
      const rec: EpochRecord = { epoch: e.epoch, epochs: e.epochs, loss, ce, au, cf, rrr, valLoss: e.validation, seconds: e.seconds, etaSeconds: e.etaSeconds, best: e.best };
      history.push(rec);
      progress?.(rec);
    },
  });
  const { seconds, steps } = fit;
  return { history, bestEpoch: fit.bestEpoch, seconds, steps, stepsPerSecond: steps / seconds, samplesPerSecond: fit.weight / seconds, config: cfg };
}

interface Batch {
  x: tf.Tensor2D;
  au: tf.Tensor2D;
  auMask: tf.Tensor2D;
  y: tf.Tensor1D;
  labels: Int32Array;
}

function toTensors(d: ReasonerRows, idx: readonly number[]): Batch {
  const n = idx.length;
  const x = new Float32Array(n * d.D);
  const au = new Float32Array(n * d.K);
  const mask = new Float32Array(n * d.K);
  const labels = new Int32Array(n);
  idx.forEach((i, r) => {
    x.set(d.x.subarray(i * d.D, (i + 1) * d.D), r * d.D);
    for (let k = 0; k < d.K; k++) {
      const v = d.au[i * d.K + k];
      if (!Number.isNaN(v)) {
        au[r * d.K + k] = v;
        mask[r * d.K + k] = 1;
      }
    }
    labels[r] = d.y[i];
  });
  return {
    x: tf.tensor2d(x, [n, d.D]),
    au: tf.tensor2d(au, [n, d.K]),
    auMask: tf.tensor2d(mask, [n, d.K]),
    y: tf.tensor1d(labels, "int32"),
    labels,
  };
}

interface ObjectiveTerms {
  total: tf.Scalar;
  ce: tf.Scalar;
  au: tf.Scalar;
  cf: tf.Scalar;
  rrr: tf.Scalar;
}

/** The variables a stage trains ("joint": all of them, in `variables` order). */
function stageVariables(reasoner: Reasoner, stage: TrainStage): tf.Variable[] {
  if (stage === "concepts") return reasoner.variablesOf("encoder", "z");
  if (stage === "head") return reasoner.variablesOf("head");
  return reasoner.variables;
}

function checkTrainConfig(cfg: TrainConfig): void {
  if (!TRAIN_STAGES.includes(cfg.stage)) throw new FacrInputError(`must be one of ${TRAIN_STAGES.join(", ")}, got ${JSON.stringify(cfg.stage)}`, { field: "train.stage" });
  if (cfg.lambdaRrr < 0) throw new FacrInputError(`must be ≥ 0, got ${cfg.lambdaRrr}`, { field: "train.lambdaRrr" });
}

/** The training objective on one batch (differentiable). */
function objective(reasoner: Reasoner, b: Batch, graph: CausalGraph, cfg: TrainConfig): ObjectiveTerms {
  const { z, h } = reasoner.encode(b.x);
  if (cfg.stage === "concepts") {
    // the AU term alone; the head is not run
    const au = auLoss(z, b);
    return { total: au.mul(cfg.lambdaAu) as tf.Scalar, ce: tf.scalar(NaN), au, cf: tf.scalar(NaN), rrr: tf.scalar(NaN) };
  }
  const logits = reasoner.head(z, h);
  const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(b.y, reasoner.C), logits) as tf.Scalar;
  const au = auLoss(z, b);
  let cf = tf.scalar(0);
  if (cfg.lambdaCf > 0) {
    const effects = interventionEffects(reasoner.head, z, h, graph, cfg.hi.length ? { hi: cfg.hi } : {});
    const terms = faithfulnessLossTerms(effects, b.labels, graph, {
      margin: cfg.margin,
      causalWeight: cfg.causalWeight,
      irrelevantPenalty: cfg.irrelevantPenalty,
    });
    cf = terms.loss;
  }
  let rrr = tf.scalar(0);
  if (cfg.lambdaRrr > 0) rrr = rrrPenalty(reasoner, z, h, graph);
  // "head": the encoder is frozen, the AU term a constant left out of the objective (still reported)
  let total = (cfg.stage === "head" ? ce.add(cf.mul(cfg.lambdaCf)) : ce.add(au.mul(cfg.lambdaAu)).add(cf.mul(cfg.lambdaCf))) as tf.Scalar;
  if (cfg.lambdaRrr > 0) total = total.add(rrr.mul(cfg.lambdaRrr));
  return { total, ce, au, cf, rrr };
}

/** Masked BCE of z against the AU targets, averaged over the labelled entries. */
function auLoss(z: tf.Tensor2D, b: Batch): tf.Scalar {
  const eps = 1e-6;
  const zc = z.clipByValue(eps, 1 - eps);
  const bce = b.au.mul(zc.log()).add(tf.sub(1, b.au).mul(tf.sub(1, zc).log())).neg().mul(b.auMask);
  return bce.sum().div(tf.maximum(b.auMask.sum(), 1)) as tf.Scalar;
}

/** The objective over a whole dataset (no gradients), batch by batch. */
export function evaluateObjective(reasoner: Reasoner, d: ReasonerRows, graph: CausalGraph, overrides: DeepPartial<TrainConfig> = {}): { total: number; ce: number; au: number; cf: number; rrr: number } {
  const cfg = resolveConfig(TRAIN_DEFAULTS, overrides, "train");
  checkTrainConfig(cfg);
  const sums = { total: 0, ce: 0, au: 0, cf: 0, rrr: 0 };
  const size = Math.max(cfg.batchSize, 512);
  for (let start = 0; start < d.N; start += size) {
    const idx = Array.from({ length: Math.min(size, d.N - start) }, (_, j) => start + j);
    const b = toTensors(d, idx);
    // tidy returns the tensor, read after it (tidy walks what it returns looking for tensors: no typed arrays)
    const parts = tf.tidy(() => {
      const t = objective(reasoner, b, graph, cfg);
      return tf.stack([t.total, t.ce, t.au, t.cf, t.rrr]);
    });
    const v = parts.dataSync();
    tf.dispose([parts, b.x, b.au, b.auMask, b.y]);
    sums.total += v[0] * idx.length;
    sums.ce += v[1] * idx.length;
    sums.au += v[2] * idx.length;
    sums.cf += v[3] * idx.length;
    sums.rrr += v[4] * idx.length;
  }
  return { total: sums.total / d.N, ce: sums.ce / d.N, au: sums.au / d.N, cf: sums.cf / d.N, rrr: sums.rrr / d.N };
}

function checkData(r: Reasoner, d: ReasonerRows, name: string): void {
  if (d.D !== r.config.inputDim) throw new FacrInputError(`features have ${d.D} columns, the reasoner expects ${r.config.inputDim}`, { field: `${name}.x` });
  if (d.K !== r.K) throw new FacrInputError(`AU targets have ${d.K} columns, the reasoner has ${r.K} AUs`, { field: `${name}.au` });
  if (d.x.length !== d.N * d.D || d.au.length !== d.N * d.K || d.y.length !== d.N) throw new FacrInputError(`array lengths do not match N = ${d.N}`, { field: name });
  for (let i = 0; i < d.N; i++) {
    if (d.y[i] < 0 || d.y[i] >= r.C) throw new FacrInputError(`label ${d.y[i]} is not a class index in [0, ${r.C})`, { field: `${name}.y[${i}]` });
  }
}

/** One line per epoch, readable in a terminal and in a notebook. */
export function formatEpoch(e: EpochRecord, label = ""): string {
  const f = (x: number) => (Number.isNaN(x) ? "–" : x.toFixed(3));
  return (
    `${label ? `[${label}] ` : ""}epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${f(e.loss)} (ce ${f(e.ce)} au ${f(e.au)} cf ${f(e.cf)}${e.rrr > 0 ? ` rrr ${f(e.rrr)}` : ""})  ` +
    `val ${f(e.valLoss)}${e.best ? " *" : "  "}  ${e.seconds.toFixed(1)}s  ETA ≤${e.etaSeconds.toFixed(0)}s`
  );
}

export interface SequentialResult {
  /** Stage 1: encoder and z layer on the AU loss alone. */
  concepts: TrainResult;
  /** Stage 2: the head on the frozen z, CE (+ λ_cf · L_cf, + λ_rrr · L_rrr). */
  head: TrainResult;
  /** Both stages. */
  seconds: number;
  steps: number;
}

/**
 * Sequential concept-bottleneck training (Koh et al. 2020): stage "concepts"
 * fits the encoder and z layer to the AU labels (λ_au · BCE alone), then stage
 * "head" freezes them and fits the head, which reads z only, on CE (+ λ_cf ·
 * L_cf when set: "CBM + L_cf sequential"; + λ_rrr · L_rrr). Each stage has its
 * own Adam, early stopping on its own validation objective and best-epoch
 * restore; `overrides` (without `stage`) apply to both. `reasoner` must be
 * `bottleneckOnly` (its h layer would stay untrained).
 */
export function trainSequential(
  reasoner: Reasoner,
  train: ReasonerRows,
  validation: ReasonerRows | null,
  graph: CausalGraph,
  overrides: DeepPartial<Omit<TrainConfig, "stage">> = {},
  progress?: (e: EpochRecord, stage: "concepts" | "head") => void,
): SequentialResult {
  if (!reasoner.config.bottleneckOnly) {
    throw new FacrInputError("sequential concept-bottleneck training needs a bottleneckOnly reasoner (its h layer is trained by neither stage)", { field: "reasoner.bottleneckOnly" });
  }
  if ((overrides as { stage?: unknown }).stage !== undefined) {
    throw new FacrInputError("is set by trainSequential (concepts, then head)", { field: "train.stage" });
  }
  const concepts = trainReasoner(reasoner, train, validation, graph, { ...overrides, stage: "concepts" }, progress && ((e) => progress(e, "concepts")));
  const head = trainReasoner(reasoner, train, validation, graph, { ...overrides, stage: "head" }, progress && ((e) => progress(e, "head")));
  return { concepts, head, seconds: concepts.seconds + head.seconds, steps: concepts.steps + head.steps };
}
