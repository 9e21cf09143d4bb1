import * as tf from "@tensorflow/tfjs";
import { interventionEffects } from "../faithfulness/effects";
import { faithfulnessLossTerms } from "../faithfulness/loss";
import { CausalGraph } from "../graph/graph";
import { Reasoner } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { DeepPartial, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { fitWithEarlyStopping } from "./loop";

/**
 * Training of spec §4:
 *
 *     L = CE(y, H(z, h)) + λ_au · BCE(z, au / max) + λ_cf · L_cf
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
}

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
};


export interface EpochRecord {
  epoch: number;
  epochs: number;
  /** Mean training loss and its parts over the epoch's batches. */
  loss: number;
  ce: number;
  au: number;
  cf: number;
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
  checkData(reasoner, train, "train");
  if (validation) checkData(reasoner, validation, "validation");
  if (cfg.lambdaCf > 0 && (graph.aus.join() !== reasoner.config.aus.join() || graph.classes.join() !== reasoner.config.classes.join())) {
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
    variables: reasoner.variables,
    step: (idx, minimize) => {
      const batch = toTensors(train, idx);
      let parts!: tf.Tensor1D;
      minimize(() => {
        const t = objective(reasoner, batch, graph, cfg);
        parts = tf.keep(tf.stack([t.total, t.ce, t.au, t.cf]) as tf.Tensor1D);
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
      const [loss = NaN, ce = NaN, au = NaN, cf = NaN] = e.means; // NaN: no training rows
      const rec: EpochRecord = { epoch: e.epoch, epochs: e.epochs, loss, ce, au, cf, valLoss: e.validation, seconds: e.seconds, etaSeconds: e.etaSeconds, best: e.best };
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
}

/** The training objective on one batch (differentiable). */
function objective(reasoner: Reasoner, b: Batch, graph: CausalGraph, cfg: TrainConfig): ObjectiveTerms {
  const { z, h } = reasoner.encode(b.x);
  const logits = reasoner.head(z, h);
  const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(b.y, reasoner.C), logits) as tf.Scalar;
  const eps = 1e-6;
  const zc = z.clipByValue(eps, 1 - eps);
  const bce = b.au.mul(zc.log()).add(tf.sub(1, b.au).mul(tf.sub(1, zc).log())).neg().mul(b.auMask);
  const au = bce.sum().div(tf.maximum(b.auMask.sum(), 1)) as tf.Scalar;
  let cf = tf.scalar(0);
  if (cfg.lambdaCf > 0) {
    const effects = interventionEffects(reasoner.head, z, h, graph);
    const terms = faithfulnessLossTerms(effects, b.labels, graph, {
      margin: cfg.margin,
      causalWeight: cfg.causalWeight,
      irrelevantPenalty: cfg.irrelevantPenalty,
    });
    cf = terms.loss;
  }
  const total = ce.add(au.mul(cfg.lambdaAu)).add(cf.mul(cfg.lambdaCf)) as tf.Scalar;
  return { total, ce, au, cf };
}

/** The objective over a whole dataset (no gradients), batch by batch. */
export function evaluateObjective(reasoner: Reasoner, d: ReasonerRows, graph: CausalGraph, overrides: DeepPartial<TrainConfig> = {}): { total: number; ce: number; au: number; cf: number } {
  const cfg = resolveConfig(TRAIN_DEFAULTS, overrides, "train");
  const sums = { total: 0, ce: 0, au: 0, cf: 0 };
  const size = Math.max(cfg.batchSize, 512);
  for (let start = 0; start < d.N; start += size) {
    const idx = Array.from({ length: Math.min(size, d.N - start) }, (_, j) => start + j);
    const b = toTensors(d, idx);
    // tidy returns the tensor, read after it (tidy walks what it returns looking for tensors: no typed arrays)
    const parts = tf.tidy(() => {
      const t = objective(reasoner, b, graph, cfg);
      return tf.stack([t.total, t.ce, t.au, t.cf]);
    });
    const v = parts.dataSync();
    tf.dispose([parts, b.x, b.au, b.auMask, b.y]);
    sums.total += v[0] * idx.length;
    sums.ce += v[1] * idx.length;
    sums.au += v[2] * idx.length;
    sums.cf += v[3] * idx.length;
  }
  return { total: sums.total / d.N, ce: sums.ce / d.N, au: sums.au / d.N, cf: sums.cf / d.N };
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
    `${label ? `[${label}] ` : ""}epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${f(e.loss)} (ce ${f(e.ce)} au ${f(e.au)} cf ${f(e.cf)})  ` +
    `val ${f(e.valLoss)}${e.best ? " *" : "  "}  ${e.seconds.toFixed(1)}s  ETA ≤${e.etaSeconds.toFixed(0)}s`
  );
}
