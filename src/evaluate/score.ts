import * as tf from "@tensorflow/tfjs";
import { EffectOptions, Head, interventionEffects } from "../faithfulness/effects";
import { CausalGraph } from "../graph/graph";
import { argmaxRows } from "../util/arrays";

export { argmaxRows };

/**
 * The one scorer: every place that turns rows into class probabilities, the
 * intervention effects Δ under one or more graphs, z and the predicted class
 * goes through `scoreRows` (experiments' arms, the verbalizer's activations,
 * `facr audit`). Rows are scored in chunks; each chunk is one batched head call
 * for the probabilities and one per graph for Δ (`interventionEffects`).
 */
export interface Scores {
  /** N × C class probabilities (softmax of the head's logits). */
  probs: Float32Array;
  /** Δ [N, K, C] (log-odds) under each graph's interventions, in the order given. */
  effects: Float32Array[];
  /** N × K concept activations, when asked for (`keepZ`). */
  z: Float32Array | null;
  /** Argmax of `probs` per row (first maximum on ties). */
  predicted: Int32Array;
}

/**
 * A graph to score, optionally with its own intervention values (e.g. the
 * in-support hi of spec §11.2, or do(z := 1) as the extrapolating sensitivity).
 */
export type ScoredGraph = CausalGraph | { graph: CausalGraph; hi?: EffectOptions["hi"]; lo?: EffectOptions["lo"] };

function graphOf(g: ScoredGraph): CausalGraph {
  return "graph" in g ? g.graph : g;
}

function interventionsOf(g: ScoredGraph): Pick<EffectOptions, "hi" | "lo"> {
  if (!("graph" in g)) return {};
  const out: Pick<EffectOptions, "hi" | "lo"> = {};
  if (g.hi !== undefined) out.hi = g.hi;
  if (g.lo !== undefined) out.lo = g.lo;
  return out;
}

/** What one chunk of rows gives the head: z [n, K] and h [n, ·]. Called inside a tf.tidy. */
export type ChunkInputs = (start: number, n: number) => { z: tf.Tensor2D; h: tf.Tensor2D };

export interface ScoreRequest {
  head: Head;
  /** Rows, concepts and classes. */
  N: number;
  K: number;
  C: number;
  /** The inputs of rows [start, start + n). */
  inputs: ChunkInputs;
  /** Graphs whose interventions to score (may be empty: probabilities and z only), each with its hi/lo if given. */
  graphs: readonly ScoredGraph[];
  /** Rows per batched call. Default 2048. */
  chunk?: number;
  /** Also return z. Default false. */
  keepZ?: boolean;
}

export function scoreRows(r: ScoreRequest): Scores {
  const { N, K, C } = r;
  const chunk = r.chunk ?? 2048;
  for (const sg of r.graphs) {
    const g = graphOf(sg);
    if (g.aus.length !== K || g.classes.length !== C) throw new Error(`scoreRows: graph has ${g.aus.length} AUs × ${g.classes.length} classes, the head ${K} × ${C}`);
  }
  const probs = new Float32Array(N * C);
  const effects = r.graphs.map(() => new Float32Array(N * K * C));
  const z = r.keepZ ? new Float32Array(N * K) : null;
  for (let start = 0; start < N; start += chunk) {
    const n = Math.min(chunk, N - start);
    tf.tidy(() => {
      const { z: zt, h } = r.inputs(start, n);
      if (z) z.set(zt.dataSync(), start * K);
      probs.set(tf.softmax(r.head(zt, h)).dataSync(), start * C);
      r.graphs.forEach((g, j) => effects[j].set(interventionEffects(r.head, zt, h, graphOf(g), interventionsOf(g)).dataSync(), start * K * C));
    });
  }
  return { probs, effects, z, predicted: argmaxRows(probs, C) };
}

/** A model with an encoder from features to (z, h) and a head: the Reasoner, or a loaded saved one. */
export interface EncoderHead {
  readonly K: number;
  readonly C: number;
  encode(x: tf.Tensor2D): { z: tf.Tensor2D; h: tf.Tensor2D };
  head: Head;
}

/** Score feature rows (N × D, row-major) through a model's encoder and head. */
export function scoreModel(model: EncoderHead, rows: { x: Float32Array; D: number; N: number }, graphs: readonly ScoredGraph[], opts: { chunk?: number; keepZ?: boolean } = {}): Scores {
  const { x, D, N } = rows;
  return scoreRows({
    head: model.head,
    N,
    K: model.K,
    C: model.C,
    inputs: (start, n) => model.encode(tf.tensor2d(x.subarray(start * D, (start + n) * D), [n, D])),
    graphs,
    ...opts,
  });
}
