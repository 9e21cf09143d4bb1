import * as tf from "@tensorflow/tfjs";
import { FacrInputError } from "../util/errors";
import { Vocabulary } from "./grammar";

/**
 * What both verbalizer backbones share: a causal language model over the
 * grammar's vocabulary, conditioned on the class by the prefix token (the first
 * token of every sequence). Inputs are token ids; embeddings are one-hot × matrix
 * (no tf.gather: its gradient needs UnsortedSegmentSum, which the wasm backend
 * lacks — DEVELOPING.md). Weights are plain tf.Variables, initialized from a seed.
 */
export type BackboneKind = "gru" | "transformer";
export const BACKBONES: readonly BackboneKind[] = ["gru", "transformer"];

/** Architecture of the recurrent backbone. */
export interface GruLmConfig {
  kind: "gru";
  /** Hidden width of the GRU (its input projection doubles as the embedding). */
  hidden: number;
  /** Longest token sequence (class prefix … <eos>) the model is used on. */
  maxLength: number;
  /** Seed of the weight initialization. */
  seed: number;
}

/** Architecture of the Transformer backbone (pre-layer-norm, causal self-attention). */
export interface TransformerLmConfig {
  kind: "transformer";
  /** Width of the residual stream. */
  dModel: number;
  /** Attention heads (must divide dModel). */
  heads: number;
  layers: number;
  /** Hidden width of each block's MLP. */
  mlpHidden: number;
  /** Longest token sequence: size of the sinusoidal position table. */
  maxLength: number;
  seed: number;
}

export type LmConfig = GruLmConfig | TransformerLmConfig;

export const GRU_DEFAULTS: GruLmConfig = { kind: "gru", hidden: 96, maxLength: 40, seed: 0 };
export const TRANSFORMER_DEFAULTS: TransformerLmConfig = { kind: "transformer", dModel: 64, heads: 4, layers: 2, mlpHidden: 128, maxLength: 40, seed: 0 };

// tfjs variable names are global: give every model its own prefix.
let instances = 0;

export abstract class CausalLm {
  readonly vocab: Vocabulary;
  abstract readonly config: LmConfig;
  protected readonly prefix: string;
  private readonly named: { name: string; v: tf.Variable }[] = [];
  private seedCounter: number;

  protected constructor(vocab: Vocabulary, seed: number, kind: BackboneKind) {
    this.vocab = vocab;
    this.prefix = `${kind}lm${instances++}`;
    this.seedCounter = seed * 1000 + 7;
  }

  get kind(): BackboneKind {
    return this.config.kind;
  }

  /** tokens [B, T] int32 → next-token logits at every position [B, T, V]. */
  abstract forward(tokens: tf.Tensor2D): tf.Tensor3D;

  /** Logits of the token after each prefix: tokens [B, t] → [B, V]. */
  nextLogits(prefix: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T] = prefix.shape;
      return this.forward(prefix).slice([0, T - 1, 0], [B, 1, this.vocab.size]).reshape([B, this.vocab.size]) as tf.Tensor2D;
    });
  }

  /** Glorot-uniform matrix variable, seeded. */
  protected matrix(name: string, rows: number, cols: number): tf.Variable {
    const lim = Math.sqrt(6 / (rows + cols));
    return this.register(name, tf.randomUniform([rows, cols], -lim, lim, "float32", this.seedCounter++));
  }

  protected vector(name: string, n: number, value = 0): tf.Variable {
    return this.register(name, tf.fill([n], value));
  }

  private register(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, `${this.prefix}/${name}`);
    init.dispose();
    this.named.push({ name, v });
    return v;
  }

  /** Every trainable variable, in a fixed order. */
  get variables(): tf.Variable[] {
    return this.named.map((n) => n.v);
  }

  /** Instance-independent names of `variables`, as saved. */
  get variableNames(): string[] {
    return this.named.map((n) => n.name);
  }

  get parameterCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  snapshot(): tf.Tensor[] {
    return this.variables.map((v) => v.clone());
  }

  restore(weights: tf.Tensor[]): void {
    this.variables.forEach((v, i) => v.assign(weights[i]));
  }

  dispose(): void {
    tf.dispose(this.variables);
    this.disposeConstants();
  }

  /** Non-trainable tensors a backbone keeps (position tables). */
  protected disposeConstants(): void {}

  /** Throws when `tokens` is not [B, T] int32 within the vocabulary and maxLength. */
  protected checkTokens(tokens: tf.Tensor2D): void {
    if (tokens.rank !== 2) throw new Error(`${this.kind} LM: tokens must be [B, T], got [${tokens.shape}]`);
    if (tokens.dtype !== "int32") throw new Error(`${this.kind} LM: tokens must be int32, got ${tokens.dtype}`);
    if (tokens.shape[1] > this.config.maxLength) throw new Error(`${this.kind} LM: sequence length ${tokens.shape[1]} exceeds maxLength ${this.config.maxLength}`);
  }

  /** One-hot rows of the tokens: [B·T, V] float32. */
  protected oneHot(tokens: tf.Tensor2D): tf.Tensor2D {
    const [B, T] = tokens.shape;
    return oneHotFloat(tokens.reshape([B * T]) as tf.Tensor1D, this.vocab.size);
  }
}

/** Checks shared by both backbones' configs: positive integers. */
export function checkPositiveInts(cfg: object, keys: string[], where: string): void {
  for (const k of keys) {
    const v = (cfg as Record<string, unknown>)[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new FacrInputError(`must be a positive integer, got ${JSON.stringify(v)}`, { field: `${where}.${k}` });
  }
}

/**
 * tf.oneHot as float32. Built as int32 and cast: the wasm OneHot kernel of
 * tfjs 4.22 returns all zeros when asked for dtype "float32" directly.
 */
export function oneHotFloat(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(indices, depth).cast("float32") as tf.Tensor2D);
}
