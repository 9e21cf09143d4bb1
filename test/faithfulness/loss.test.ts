import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Head, interventionEffects } from "../../src/faithfulness/effects";
import { faithfulnessLoss, faithfulnessLossTerms } from "../../src/faithfulness/loss";
import { agreement } from "../../src/faithfulness/metric";
import { emotionPrototypeGraph, pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { au25Head, PSPI_COLS, pspiHead, randomZ } from "./heads";
import { refLoss } from "./reference";

const G = pspiGraph();
const K = G.aus.length;

function lossOf(head: Head, z: number[][], h: number[][], labels: number[], opts = {}): number {
  return tf.tidy(() => faithfulnessLoss(interventionEffects(head, tf.tensor2d(z), tf.tensor2d(h), G), labels, G, opts).arraySync());
}

describe("faithfulnessLoss", () => {
  const rng = new Rng(1);
  const z = randomZ(rng, 30, K, [PSPI_COLS.I43]);
  const h = z.map(() => [rng.normal()]);
  const labels = z.map(() => rng.int(2));

  it("is zero for a head that satisfies every margin", () => {
    // PSPI head with s = 2: causal effects are ±10 (AU43: ±2) ≥ m = 1, irrelevant effects exactly 0
    expect(lossOf(pspiHead(2).tf, z, h, labels)).toBe(0);
  });

  it("is positive for heads that miss margins or move on irrelevant AUs", () => {
    expect(lossOf(pspiHead(0.1).tf, z, h, labels)).toBeGreaterThan(0); // AU43's effect 0.1 < 1
    expect(lossOf(au25Head().tf, z, h, labels)).toBeGreaterThan(0.5);
  });

  it("equals the slow twin for random effects, both penalties, weights and all-class mode", () => {
    const r = new Rng(2);
    const eff = Array.from({ length: 17 }, () => Array.from({ length: K }, () => [r.normal(0, 2), r.normal(0, 2)]));
    const y = eff.map(() => r.int(2));
    const cases = [
      {},
      { margin: 0.5 },
      { causalWeight: 0.8 },
      { irrelevantPenalty: "huber" as const, huberDelta: 0.7 },
      { allClasses: true },
    ];
    for (const opts of cases) {
      const got = tf.tidy(() => faithfulnessLoss(tf.tensor3d(eff), y, G, opts).arraySync());
      const want = refLoss(eff.map((a) => a.map((b) => b.map(Math.fround))), y, G, {
        ...opts,
        penalty: (opts as { irrelevantPenalty?: "huber" }).irrelevantPenalty,
      });
      expect(Math.abs(got - want)).toBeLessThan(1e-5);
    }
    // 7-class graph with negative edges (neutral)
    const E = emotionPrototypeGraph();
    const eff7 = Array.from({ length: 9 }, () => Array.from({ length: E.aus.length }, () => Array.from({ length: 7 }, () => r.normal(0, 2))));
    const y7 = eff7.map(() => r.int(7));
    const got7 = tf.tidy(() => faithfulnessLoss(tf.tensor3d(eff7), y7, E).arraySync());
    const want7 = refLoss(eff7.map((a) => a.map((b) => b.map(Math.fround))), y7, E);
    expect(Math.abs(got7 - want7)).toBeLessThan(1e-5);
  });

  it("weights causal and irrelevant terms as means of their own pairs", () => {
    const terms = tf.tidy(() => {
      const t = faithfulnessLossTerms(tf.tensor3d([[[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 3], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]]), [1], G);
      return { loss: t.loss.arraySync(), causal: t.causal.arraySync(), irrelevant: t.irrelevant.arraySync() };
    });
    // 6 causal pairs each relu(1 − 0) = 1 → mean 1; 5 irrelevant pairs, one with Δ = 3 → mean 9/5
    expect(terms.causal).toBeCloseTo(1, 6);
    expect(terms.irrelevant).toBeCloseTo(9 / 5, 6);
    expect(terms.loss).toBeCloseTo(0.5 * 1 + 0.5 * 1.8, 6);
  });

  it("moves a small trainable head toward satisfying the margins", () => {
    const r = new Rng(3);
    const w = tf.variable(tf.tensor2d(Array.from({ length: K }, () => [r.normal(0, 0.1)])));
    const v = tf.variable(tf.tensor2d([[0.5]]));
    const head: Head = (zz, hh) => tf.tidy(() => tf.concat([tf.zeros([zz.shape[0], 1]), zz.matMul(w).add(hh.matMul(v))], 1) as tf.Tensor2D);
    const zt = tf.tensor2d(z);
    const ht = tf.tensor2d(h);
    const opt = tf.train.adam(0.05);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const l = opt.minimize(() => faithfulnessLoss(interventionEffects(head, zt, ht, G), labels, G), true) as tf.Scalar;
      losses.push(l.arraySync());
      l.dispose();
    }
    expect(losses[29]).toBeLessThan(0.5 * losses[0]);
    for (let i = 1; i < 5; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    // and the metric sees it: the trained head invokes the PSPI AUs
    const pred = labels;
    const eff = tf.tidy(() => interventionEffects(head, zt, ht, G).arraySync());
    const a = agreement({ data: Float32Array.from(eff.flat(2)), shape: [z.length, K, 2] }, pred, G);
    expect(a.kappa).toBeGreaterThan(0.5);
    tf.dispose([w, v, zt, ht]);
    opt.dispose();
  });

  it("rejects unknown options and labels out of range", () => {
    const e = tf.zeros([2, K, 2]) as tf.Tensor3D;
    expect(() => faithfulnessLoss(e, [0, 1], G, { margn: 1 } as never)).toThrow(/unknown option "margn"/);
    expect(() => faithfulnessLoss(e, [0, 2], G)).toThrow(/labels\[1\]: class index must be an integer in \[0, 2\), got 2/);
    expect(() => faithfulnessLoss(e, [0], G)).toThrow(/expected 2 class indices/);
    e.dispose();
  });
});
