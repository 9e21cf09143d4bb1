import * as tf from "@tensorflow/tfjs";
import { Head, interventionEffects } from "../faithfulness/effects";
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

/** Probabilities and Δ of `head` on rows `rows`, written into the full arrays, in chunks. */
export function scoreRows(head: Head, z: Float32Array, h: Float32Array, hWidth: number, rows: Int32Array | null, N: number, G: CausalGraph, chunk: number, probs: Float32Array, effects: Float32Array): void {
  const K = G.aus.length;
  const C = G.classes.length;
  const idx = rows ?? Int32Array.from({ length: N }, (_, i) => i);
  for (let start = 0; start < idx.length; start += chunk) {
    const n = Math.min(chunk, idx.length - start);
    const zb = new Float32Array(n * K);
    const hb = new Float32Array(n * hWidth);
    for (let r = 0; r < n; r++) {
      const i = idx[start + r];
      zb.set(z.subarray(i * K, (i + 1) * K), r * K);
      hb.set(h.subarray(i * hWidth, (i + 1) * hWidth), r * hWidth);
    }
    const [p, e] = tf.tidy(() => {
      const zt = tf.tensor2d(zb, [n, K]);
      const ht = tf.tensor2d(hb, [n, hWidth]);
      return [tf.softmax(head(zt, ht)).dataSync() as Float32Array, interventionEffects(head, zt, ht, G).dataSync() as Float32Array];
    });
    for (let r = 0; r < n; r++) {
      const i = idx[start + r];
      probs.set(p.subarray(r * C, (r + 1) * C), i * C);
      effects.set(e.subarray(r * K * C, (r + 1) * K * C), i * K * C);
    }
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
  scoreRows(r.head, data.z, h, r.hWidth, rows, N, G, chunk, out.probs, out.effects);
  return (performance.now() - ts) / 1000;
}

/** A saved full facr Reasoner on standardised features x (N × Dx), in chunks: its own z (returned, N × K), probabilities and Δ into `out`. */
export function scoreReasoner(reasoner: Reasoner, x: Float32Array, Dx: number, N: number, G: CausalGraph, chunk: number, out: ScoreArrays): Float32Array {
  const { probs, effects } = out;
  const K = G.aus.length;
  const C = G.classes.length;
  const z = new Float32Array(N * K);
  for (let start = 0; start < N; start += chunk) {
    const n = Math.min(chunk, N - start);
    tf.tidy(() => {
      const { z: zt, h } = reasoner.encode(tf.tensor2d(x.subarray(start * Dx, (start + n) * Dx), [n, Dx]));
      z.set(zt.dataSync(), start * K);
      probs.set(tf.softmax(reasoner.head(zt, h)).dataSync(), start * C);
      effects.set(interventionEffects(reasoner.head, zt, h, G).dataSync(), start * K * C);
    });
  }
  return z;
}
