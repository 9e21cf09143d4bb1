import * as tf from "@tensorflow/tfjs";
import { Rng } from "../util/random";

/**
 * The training loop every facr model shares (the Reasoner, the verbalizer's
 * language models, the audit's external head): Adam over seeded, shuffled
 * mini-batches, optional per-epoch validation with patience-based early
 * stopping and the best epoch's weights restored, timing. What is model-specific
 * — batch tensors, the objective, what gets logged — stays with the caller.
 *
 * Every epoch draws one shuffle of the rows `0 … rows−1` from
 * `new Rng(seed).fork(shuffleLabel)` and cuts it into batches of `batchSize`;
 * `step` takes one optimizer step on a batch and may return the batch's loss
 * values with a weight (rows, tokens), of which the epoch keeps weighted means.
 */
export interface FitOptions {
  /** Maximum epochs (all of them without early stopping). */
  epochs: number;
  /** Rows shuffled into batches each epoch. */
  rows: number;
  batchSize: number;
  /** Seed and label of the batch order: `new Rng(seed).fork(shuffleLabel)`. */
  seed: number;
  shuffleLabel: string;
  /** Adam learning rate. */
  learningRate: number;
  /** What the optimizer updates. */
  variables: tf.Variable[];
  /**
   * One optimizer step on the rows `idx`: call `minimize` once with the
   * batch's differentiable loss; return its values (e.g. the loss and its
   * parts) and weight to have the epoch's weighted means, or nothing.
   */
  step(idx: number[], minimize: (loss: () => tf.Scalar) => void): BatchLoss | void;
  /** Early stopping; without it every epoch runs and the last weights are kept. */
  earlyStopping?: EarlyStopping;
  /** Called after every epoch (progress lines, history). */
  onEpoch?: (e: FitEpoch) => void;
}

export interface BatchLoss {
  /** Loss values of the batch, always in the same order; the epoch's `means` follow it. */
  values: ArrayLike<number>;
  /** Weight of the batch in the epoch's means (rows, target tokens). */
  weight: number;
}

export interface EarlyStopping {
  /** Stop after this many epochs without a better monitored value. */
  patience: number;
  /** The validation value watched after each epoch (lower is better); without it, `monitorTraining` is watched. */
  validate?: () => number;
  /** What to watch without `validate`, from the epoch's mean training values (default: the first). */
  monitorTraining?: (means: number[]) => number;
  /** A copy of the weights (the loop disposes it). */
  snapshot(): tf.Tensor[];
  /** Put a snapshot's weights back (the best epoch's, at the end). */
  restore(weights: tf.Tensor[]): void;
}

export interface FitEpoch {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Weighted means of the batches' `values` ([] when `step` returns none). */
  means: number[];
  /** `validate()`, NaN without it. */
  validation: number;
  /** Since the start of training. */
  seconds: number;
  /** Upper bound of the time left: assumes no early stop. */
  etaSeconds: number;
  /** The monitored value improved (the weights were kept). */
  best: boolean;
}

export interface FitResult {
  /** Epoch whose weights the model ends with under early stopping (0 when none improved or without it). */
  bestEpoch: number;
  /** Epochs run. */
  epochs: number;
  seconds: number;
  /** Optimizer steps. */
  steps: number;
  /** Sum of the batches' weights over all epochs (rows or tokens seen). */
  weight: number;
}

/** Train: see `FitOptions`. An epoch improves when its monitored value is below the best by more than 1e-6. */
export function fitWithEarlyStopping(opts: FitOptions): FitResult {
  const { epochs, rows, batchSize, variables, step, earlyStopping: es, onEpoch } = opts;
  const optimizer = tf.train.adam(opts.learningRate);
  const minimize = (loss: () => tf.Scalar) => {
    optimizer.minimize(loss, false, variables);
  };
  const rng = new Rng(opts.seed).fork(opts.shuffleLabel);
  const t0 = performance.now();
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let steps = 0;
  let weight = 0;
  let epoch = 0;
  try {
    while (epoch < epochs) {
      epoch++;
      const order = rng.shuffle(Array.from({ length: rows }, (_, i) => i));
      const sums: number[] = [];
      let n = 0;
      for (let start = 0; start < rows; start += batchSize) {
        const out = step(order.slice(start, start + batchSize), minimize);
        steps++;
        if (!out) continue;
        const w = out.weight;
        for (let k = 0; k < out.values.length; k++) sums[k] = (sums[k] ?? 0) + out.values[k] * w;
        n += w;
        weight += w;
      }
      const means = sums.map((s) => s / n);
      const validation = es?.validate ? es.validate() : NaN;
      let improved = false;
      if (es) {
        const monitored = es.validate ? validation : (es.monitorTraining ?? ((m: number[]) => m[0]))(means);
        improved = monitored < best - 1e-6;
        if (improved) {
          best = monitored;
          bestEpoch = epoch;
          tf.dispose(bestWeights ?? []);
          bestWeights = es.snapshot();
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      onEpoch?.({ epoch, epochs, means, validation, seconds, etaSeconds: (seconds / epoch) * (epochs - epoch), best: improved });
      if (es && epoch - bestEpoch >= es.patience) break;
    }
    if (es && bestWeights) es.restore(bestWeights);
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
  }
  return { bestEpoch, epochs: epoch, seconds: (performance.now() - t0) / 1000, steps, weight };
}
