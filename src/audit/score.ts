import * as tf from "@tensorflow/tfjs";
import { scoreModel, scoreRows } from "../evaluate/score";
import { Head } from "../faithfulness/effects";
import { CausalGraph } from "../graph/graph";
import { Reasoner } from "../model/reasoner";
import { ExternalReasoner, standardizeH } from "./external-reasoner";

// The chunked scoring of the audited head: per frame, the class probabilities and the do-intervention
// effects Δ, written into full-size arrays. Both reasoner kinds are scored here, side by side.

/** What scoring fills, frames in the audited order: probabilities N × C and Δ N × K × C. */
export interface ScoreArrays {
  probs: Float32Array;
  effects: Float32Array;
}

/** Probabilities and Δ of `head` on rows `rows` (null: all N) of z and h, through the one scorer, written into the full arrays. */
export function scoreSelectedRows(head: Head, z: Float32Array, h: Float32Array, hWidth: number, rows: Int32Array | null, N: number, G: CausalGraph, chunk: number, out: ScoreArrays): void {
  const K = G.aus.length;
  const C = G.classes.length;
  const idx = rows ?? Int32Array.from({ length: N }, (_, i) => i);
  const gather = (src: Float32Array, width: number, start: number, n: number) => {
    const b = new Float32Array(n * width);
    for (let r = 0; r < n; r++) b.set(src.subarray(idx[start + r] * width, (idx[start + r] + 1) * width), r * width);
    return tf.tensor2d(b, [n, width]);
  };
  const s = scoreRows({ head, N: idx.length, K, C, chunk, graphs: [G], inputs: (start, n) => ({ z: gather(z, K, start, n), h: gather(h, hWidth, start, n) }) });
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    out.probs.set(s.probs.subarray(r * C, (r + 1) * C), i * C);
    out.effects.set(s.effects[0].subarray(r * K * C, (r + 1) * K * C), i * K * C);
  }
}

/**
 * An external-AU reasoner on rows `rows` (null: all N) of the audited z and
 * geometry, into `out`; returns the seconds taken. A head that reads geometry
 * the data lacks gets h = 0 (the training mean), with a note.
 */
export function scoreExternal(r: ExternalReasoner, rows: Int32Array | null, data: { N: number; z: Float32Array; geometry: Float32Array | null }, G: CausalGraph, chunk: number, out: ScoreArrays, notes: string[]): number {
  const ts = performance.now();
  const { N, geometry } = data;
  let h: Float32Array;
  if (r.config.hDim === 0) h = new Float32Array(N);
  else if (geometry) h = standardizeH(geometry, r.hStats!);
  else {
    h = new Float32Array(N * r.config.hDim);
    notes.push("the saved head reads face geometry but the data has no landmarks: h = 0 (the training mean) for every frame");
  }
  scoreSelectedRows(r.head, data.z, h, r.hWidth, rows, N, G, chunk, out);
  return (performance.now() - ts) / 1000;
}

/** A saved full facr Reasoner on standardized features x (N × Dx), through the one scorer: its own z (returned, N × K), probabilities and Δ into `out`. */
export function scoreReasoner(reasoner: Reasoner, x: Float32Array, Dx: number, N: number, G: CausalGraph, chunk: number, out: ScoreArrays): Float32Array {
  const s = scoreModel(reasoner, { x, D: Dx, N }, [G], { chunk, keepZ: true });
  out.probs.set(s.probs);
  out.effects.set(s.effects[0]);
  return s.z!;
}
