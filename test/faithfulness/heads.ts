/** Hand-written heads, each as a tfjs Head and its plain-TS twin. */
import * as tf from "@tensorflow/tfjs";
import { Head } from "../../src/faithfulness/effects";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { JsHead } from "./reference";

const G = pspiGraph();
const col = (code: string) => G.aus.indexOf(code);
const [I4, I6, I7, I9, I10, I25, I43] = ["AU04", "AU06", "AU07", "AU09", "AU10", "AU25", "AU43"].map(col);

/** PSPI computed from z exactly: 5·z4 + max(5·z6, 5·z7) + max(5·z9, 5·z10) + z43 (AU43 binary: counts 1 at z = 1). */
function pspiTf(z: tf.Tensor2D): tf.Tensor1D {
  const c = (j: number) => z.slice([0, j], [-1, 1]).reshape([-1]);
  return c(I4)
    .mul(5)
    .add(tf.maximum(c(I6), c(I7)).mul(5))
    .add(tf.maximum(c(I9), c(I10)).mul(5))
    .add(c(I43)) as tf.Tensor1D;
}

/** logits [0, s·(PSPI(5z) − 0.5)] */
export function pspiHead(s = 1): { tf: Head; js: JsHead } {
  return {
    tf: (z) => tf.tidy(() => tf.stack([tf.zerosLike(z.slice([0, 0], [-1, 1]).reshape([-1])), pspiTf(z).sub(0.5).mul(s)], 1) as tf.Tensor2D),
    js: (z) => [0, s * (5 * z[I4] + Math.max(5 * z[I6], 5 * z[I7]) + Math.max(5 * z[I9], 5 * z[I10]) + z[I43] - 0.5)],
  };
}

/** Reads h only: pain logit = 3·h0. */
export function bypassHead(): { tf: Head; js: JsHead } {
  return {
    tf: (_z, h) => tf.tidy(() => tf.concat([tf.zeros([h.shape[0], 1]), h.slice([0, 0], [-1, 1]).mul(3)], 1) as tf.Tensor2D),
    js: (_z, h) => [0, 3 * h[0]],
  };
}

/** Reads only AU25: pain logit = 4·(z25 − 0.5). */
export function au25Head(): { tf: Head; js: JsHead } {
  return {
    tf: (z) => tf.tidy(() => tf.concat([tf.zeros([z.shape[0], 1]), z.slice([0, I25], [-1, 1]).sub(0.5).mul(4)], 1) as tf.Tensor2D),
    js: (z) => [0, 4 * (z[I25] - 0.5)],
  };
}

/** Pain *falls* with every PSPI AU (negative dependence): pain logit = 2 − 2·(z4 + z6 + z7 + z9 + z10 + z43). */
export function negativeHead(): { tf: Head; js: JsHead } {
  const idx = [I4, I6, I7, I9, I10, I43];
  return {
    tf: (z) =>
      tf.tidy(() => {
        const sum = tf.gather(z, idx, 1).sum(1).mul(-2).add(2);
        return tf.stack([tf.zerosLike(sum), sum], 1) as tf.Tensor2D;
      }),
    js: (z) => [0, 2 - 2 * idx.reduce((a, j) => a + z[j], 0)],
  };
}

/** A random two-layer MLP on [z, h] with C outputs, in tf and in plain TS (same weights). */
export function mlpHead(K: number, d: number, C: number, hidden: number, seed: number): { tf: Head; js: JsHead } {
  const rng = new Rng(seed);
  const w1 = Array.from({ length: (K + d) * hidden }, () => rng.normal(0, 0.8));
  const b1 = Array.from({ length: hidden }, () => rng.normal(0, 0.3));
  const w2 = Array.from({ length: hidden * C }, () => rng.normal(0, 0.8));
  const b2 = Array.from({ length: C }, () => rng.normal(0, 0.3));
  const W1 = tf.tensor2d(w1, [K + d, hidden]);
  const B1 = tf.tensor1d(b1);
  const W2 = tf.tensor2d(w2, [hidden, C]);
  const B2 = tf.tensor1d(b2);
  return {
    tf: (z, h) => tf.tidy(() => tf.tanh(tf.concat([z, h], 1).matMul(W1).add(B1)).matMul(W2).add(B2) as tf.Tensor2D),
    js: (z, h) => {
      const x = [...z, ...h];
      const a = Array.from({ length: hidden }, (_, u) => Math.tanh(b1[u] + x.reduce((s, xi, r) => s + xi * w1[r * hidden + u], 0)));
      return Array.from({ length: C }, (_, c) => b2[c] + a.reduce((s, ai, u) => s + ai * w2[u * C + c], 0));
    },
  };
}

/** Random activations in [0,1] with AU43 binary, as nested arrays. */
export function randomZ(rng: Rng, N: number, K: number, binaryCols: number[] = []): number[][] {
  return Array.from({ length: N }, () => Array.from({ length: K }, (_, k) => (binaryCols.includes(k) ? (rng.bernoulli(0.3) ? 1 : 0) : rng.next())));
}

export const PSPI_COLS = { I4, I6, I7, I9, I10, I25, I43 };
