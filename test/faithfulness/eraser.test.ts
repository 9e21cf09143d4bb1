import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Head, interventionEffects } from "../../src/faithfulness/effects";
import { cace, causalMask, eraser, invokedMask } from "../../src/faithfulness/eraser";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { mlpHead, randomZ } from "./heads";
import { refEffects, refSoftmax } from "./reference";

const G = pspiGraph();
const K = G.aus.length;

describe("ERASER on the AU channel", () => {
  it("matches a hand-worked linear head", () => {
    // pain logit = 2·z0 + 1·z1 (AU04, AU06), no_pain logit 0
    const head: Head = (z) => tf.tidy(() => tf.concat([tf.zeros([z.shape[0], 1]), z.slice([0, 0], [-1, 1]).mul(2).add(z.slice([0, 1], [-1, 1]))], 1) as tf.Tensor2D);
    const z = [[1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]];
    const rationale = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // AU04 only
    const [zt, ht] = [tf.tensor2d(z), tf.zeros([1, 1]) as tf.Tensor2D];
    const r = eraser(head, zt, ht, rationale);
    tf.dispose([zt, ht]);
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    expect(r.predicted[0]).toBe(1);
    expect(r.comprehensiveness[0]).toBeCloseTo(sig(3) - sig(1), 6); // AU04 removed: logit 1
    expect(r.sufficiency[0]).toBeCloseTo(sig(3) - sig(2), 6); // AU04 kept alone: logit 2
  });

  it("equals a per-sample twin on a random MLP head", () => {
    const rng = new Rng(1);
    const z = randomZ(rng, 12, K);
    const h = z.map(() => [rng.normal(), rng.normal()]);
    const mlp = mlpHead(K, 2, 2, 5, 2);
    const rationale = Uint8Array.from({ length: 12 * K }, () => (rng.bernoulli(0.4) ? 1 : 0));
    const [zt, ht] = [tf.tensor2d(z), tf.tensor2d(h)];
    const r = eraser(mlp.tf, zt, ht, rationale);
    tf.dispose([zt, ht]);
    z.forEach((zi, i) => {
      const p = refSoftmax(mlp.js(zi, h[i]));
      const c = p.indexOf(Math.max(...p));
      const removed = zi.map((v, k) => (rationale[i * K + k] ? 0 : v));
      const kept = zi.map((v, k) => (rationale[i * K + k] ? v : 0));
      expect(r.predicted[i]).toBe(c);
      expect(r.comprehensiveness[i]).toBeCloseTo(p[c] - refSoftmax(mlp.js(removed, h[i]))[c], 5);
      expect(r.sufficiency[i]).toBeCloseTo(p[c] - refSoftmax(mlp.js(kept, h[i]))[c], 5);
    });
  });
});

describe("CaCE and rationale masks", () => {
  it("CaCE is the mean probability effect", () => {
    const rng = new Rng(3);
    const z = randomZ(rng, 9, K);
    const h = z.map(() => [rng.normal()]);
    const mlp = mlpHead(K, 1, 2, 4, 4);
    const eff = tf.tidy(() => interventionEffects(mlp.tf, tf.tensor2d(z), tf.tensor2d(h), G, { scale: "prob" }));
    const got = cace(eff);
    eff.dispose();
    const ref = refEffects(mlp.js, z, h, G, { scale: "prob" });
    for (let k = 0; k < K; k++) for (let c = 0; c < 2; c++) {
      expect(got[k][c]).toBeCloseTo(ref.reduce((s, r) => s + r[k][c], 0) / 9, 5);
    }
  });

  it("invoked and causal masks", () => {
    const data = new Float32Array(2 * K * 2);
    data[(0 * K + 0) * 2 + 1] = 0.7; // sample 0, AU04, pain
    data[(1 * K + 5) * 2 + 0] = -0.6; // sample 1, AU12, no_pain
    const inv = invokedMask({ data, shape: [2, K, 2] }, [1, 0]);
    expect([...inv].map((v, j) => (v ? j : -1)).filter((j) => j >= 0)).toEqual([0, K + 5]);
    const cm = causalMask(G, [1, 0]);
    expect(cm.reduce((a, b) => a + b, 0)).toBe(12);
  });
});
