import * as tf from "@tensorflow/tfjs";
import { loadWeights, readSavedMeta, saveWeights } from "../model/weights";
import { fitWithEarlyStopping } from "../train/loop";
import { DeepPartial, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { Vocabulary } from "./grammar";
import { GruLm } from "./gru";
import { BackboneKind, CausalLm, GruLmConfig, LmConfig, oneHotFloat, TransformerLmConfig } from "./lm-base";
import { TransformerLm } from "./transformer";

/**
 * Building, training (teacher forcing), scoring and saving the verbalizer's
 * language models, whatever the backbone.
 */

/** A backbone over `vocab`: `{ kind: "gru", … }` or `{ kind: "transformer", … }` (other keys default). */
export function createLm(vocab: Vocabulary, config: { kind: BackboneKind } & (Partial<GruLmConfig> | Partial<TransformerLmConfig>)): CausalLm {
  if (config.kind === "gru") return new GruLm(vocab, config as Partial<GruLmConfig>);
  if (config.kind === "transformer") return new TransformerLm(vocab, config as Partial<TransformerLmConfig>);
  throw new FacrInputError(`must be "gru" or "transformer", got ${JSON.stringify((config as { kind: unknown }).kind)}`, { field: "lm.kind" });
}

export interface LmTrainConfig {
  /** Maximum epochs over the corpus. */
  epochs: number;
  /** Stop after this many epochs without a lower validation perplexity (best epoch restored). */
  patience: number;
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Seed of the batch order. */
  seed: number;
}

export const LM_TRAIN_DEFAULTS: LmTrainConfig = { epochs: 12, patience: 3, batchSize: 64, learningRate: 3e-3, seed: 0 };

export interface LmEpoch {
  epoch: number;
  epochs: number;
  /** Mean training NLL per target token (nats). */
  loss: number;
  /** Validation perplexity, NaN without validation data. */
  validationPerplexity: number;
  seconds: number;
  best: boolean;
}

export interface LmTrainResult {
  history: LmEpoch[];
  bestEpoch: number;
  /** Perplexity on the validation corpus at the best epoch (NaN without one). */
  validationPerplexity: number;
  seconds: number;
  steps: number;
  stepsPerSecond: number;
  /** Target tokens per second of training. */
  tokensPerSecond: number;
  config: LmTrainConfig;
}

/**
 * Train with teacher forcing: every sequence (class prefix … <eos>) predicts
 * each token from the ones before it; the loss is the mean NLL over target
 * tokens (padding excluded). Adam, shuffled mini-batches, early stopping on
 * validation perplexity with the best epoch restored.
 */
export function trainLm(
  lm: CausalLm,
  train: readonly number[][],
  validation: readonly number[][] | null,
  overrides: DeepPartial<LmTrainConfig> = {},
  progress?: (e: LmEpoch) => void,
): LmTrainResult {
  const cfg = resolveConfig(LM_TRAIN_DEFAULTS, overrides, "lmTrain");
  if (train.length === 0) throw new FacrInputError("the training corpus is empty", { field: "train" });
  checkCorpus(lm, train, "train");
  if (validation) checkCorpus(lm, validation, "validation");
  const history: LmEpoch[] = [];
  const fit = fitWithEarlyStopping({
    epochs: cfg.epochs,
    rows: train.length,
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    shuffleLabel: "lm-batches",
    learningRate: cfg.learningRate,
    variables: lm.variables,
    step: (idx, minimize) => {
      const batch = toBatch(train, idx);
      let lossT!: tf.Scalar;
      minimize(() => {
        const l = batchLoss(lm, batch);
        lossT = tf.keep(l.clone());
        return l;
      });
      const values = lossT.dataSync();
      tf.dispose([lossT, batch.input, batch.target, batch.mask]);
      return { values, weight: batch.count };
    },
    earlyStopping: {
      patience: cfg.patience,
      validate: validation ? () => perplexity(lm, validation) : undefined,
      monitorTraining: ([loss]) => Math.exp(loss),
      snapshot: () => lm.snapshot(),
      restore: (w) => lm.restore(w),
    },
    onEpoch: (e) => {
      const rec: LmEpoch = { epoch: e.epoch, epochs: e.epochs, loss: e.means[0], validationPerplexity: e.validation, seconds: e.seconds, best: e.best };
      history.push(rec);
      progress?.(rec);
    },
  });
  const { seconds, steps, bestEpoch } = fit;
  return {
    history,
    bestEpoch,
    validationPerplexity: validation ? history[bestEpoch - 1].validationPerplexity : NaN,
    seconds,
    steps,
    stepsPerSecond: steps / seconds,
    tokensPerSecond: fit.weight / seconds,
    config: cfg,
  };
}

/** One line per epoch. */
export function formatLmEpoch(e: LmEpoch, label = ""): string {
  const ppl = Number.isNaN(e.validationPerplexity) ? "–" : e.validationPerplexity.toFixed(3);
  return `${label ? `[${label}] ` : ""}epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${e.loss.toFixed(4)}  val ppl ${ppl}${e.best ? " *" : "  "}  ${e.seconds.toFixed(1)}s`;
}

interface Batch {
  /** [B, T−1] int32: tokens 0 … T−2. */
  input: tf.Tensor2D;
  /** [B·(T−1)] int32: tokens 1 … T−1. */
  target: tf.Tensor1D;
  /** [B·(T−1)] 1 for real targets, 0 for padding. */
  mask: tf.Tensor1D;
  /** Real target tokens. */
  count: number;
}

/** Right-padded batch of sequences `idx` (call dispose on its tensors). */
function toBatch(seqs: readonly number[][], idx: readonly number[]): Batch {
  const B = idx.length;
  const T = Math.max(...idx.map((i) => seqs[i].length)) - 1;
  const input = new Int32Array(B * T);
  const target = new Int32Array(B * T);
  const mask = new Float32Array(B * T);
  let count = 0;
  idx.forEach((i, r) => {
    const s = seqs[i];
    for (let t = 0; t < s.length - 1; t++) {
      input[r * T + t] = s[t];
      target[r * T + t] = s[t + 1];
      mask[r * T + t] = 1;
      count++;
    }
  });
  return { input: tf.tensor2d(input, [B, T], "int32"), target: tf.tensor1d(target, "int32"), mask: tf.tensor1d(mask), count };
}

/** Per-target NLL [B·(T−1)] (masked entries included; call inside tidy). */
function targetNll(lm: CausalLm, b: Batch): tf.Tensor1D {
  const V = lm.vocab.size;
  const [B, T] = b.input.shape;
  const logp = tf.logSoftmax(lm.forward(b.input).reshape([B * T, V]));
  return oneHotFloat(b.target, V).mul(logp).sum(1).neg() as tf.Tensor1D;
}

function batchLoss(lm: CausalLm, b: Batch): tf.Scalar {
  return targetNll(lm, b).mul(b.mask).sum().div(b.mask.sum()) as tf.Scalar;
}

/**
 * Sum of NLL (nats) and number of target tokens of each sequence under the
 * unbiased model (every token after the class prefix, <eos> included).
 * Sequences are batched by length.
 */
export function scoreSequences(lm: CausalLm, seqs: readonly number[][], opts: { batchSize?: number } = {}): { nll: Float64Array; tokens: Int32Array } {
  checkCorpus(lm, seqs, "sequences");
  const batchSize = opts.batchSize ?? 512;
  const nll = new Float64Array(seqs.length);
  const tokens = new Int32Array(seqs.length);
  const order = Array.from({ length: seqs.length }, (_, i) => i).sort((a, b) => seqs[a].length - seqs[b].length);
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const b = toBatch(seqs, idx);
    // tidy returns the tensor, read after it (tidy walks what it returns looking for tensors: no typed arrays)
    const perT = tf.tidy(() => targetNll(lm, b).mul(b.mask));
    const per = perT.dataSync();
    tf.dispose([perT, b.input, b.target, b.mask]);
    const T = b.input.shape[1];
    idx.forEach((i, r) => {
      let s = 0;
      for (let t = 0; t < T; t++) s += per[r * T + t];
      nll[i] = s;
      tokens[i] = seqs[i].length - 1;
    });
  }
  return { nll, tokens };
}

/** exp(total NLL / total target tokens) of a corpus. */
export function perplexity(lm: CausalLm, seqs: readonly number[][]): number {
  const { nll, tokens } = scoreSequences(lm, seqs);
  let s = 0;
  let n = 0;
  for (let i = 0; i < nll.length; i++) {
    s += nll[i];
    n += tokens[i];
  }
  return n ? Math.exp(s / n) : NaN;
}

function checkCorpus(lm: CausalLm, seqs: readonly number[][], field: string): void {
  const V = lm.vocab.size;
  seqs.forEach((s, i) => {
    if (s.length < 2) throw new FacrInputError(`sequence ${i} has ${s.length} tokens, needs at least 2 (prefix and one target)`, { field });
    if (s.length - 1 > lm.config.maxLength) throw new FacrInputError(`sequence ${i} has ${s.length} tokens, more than maxLength + 1 = ${lm.config.maxLength + 1}`, { field });
    for (const t of s) if (!Number.isInteger(t) || t < 0 || t >= V) throw new FacrInputError(`sequence ${i} holds token ${t} outside [0, ${V})`, { field });
  });
}

// ---------------------------------------------------------------- save / load

const FORMAT = "facr-verbalizer-lm/1";

/** Save to a directory: `lm.json` (config, vocabulary, tfjs weights manifest, extra metadata) and `weights.bin` (model/weights.ts). */
export async function saveLm(lm: CausalLm, dir: string, extra: Record<string, unknown> = {}): Promise<void> {
  await saveWeights(dir, "lm.json", lm, (weightsManifest) => ({ format: FORMAT, config: lm.config, vocabulary: lm.vocab.toJSON(), weightsManifest, extra }));
}

/** Load a model saved by `saveLm`; returns it with the saved `extra` metadata. */
export function loadLm(dir: string): { lm: CausalLm; extra: Record<string, unknown> } {
  const { file, meta } = readSavedMeta<{ config: LmConfig; vocabulary: unknown; extra?: Record<string, unknown> }>(dir, "lm.json", FORMAT, "language model");
  const vocab = Vocabulary.fromJSON(meta.vocabulary, file);
  const lm = loadWeights(file, meta.weightsManifest, () => createLm(vocab, meta.config));
  return { lm, extra: meta.extra ?? {} };
}
