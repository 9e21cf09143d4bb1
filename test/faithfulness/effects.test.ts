import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { classLogOdds, interventionEffects, interventionPlan } from "../../src/faithfulness/effects";
import { agreement } from "../../src/faithfulness/metric";
import { makeGraph, updateGraph } from "../../src/graph/graph";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { bypassHead, mlpHead, PSPI_COLS, pspiHead, randomZ } from "./heads";
import { refEffects } from "./reference";

const G = pspiGraph();
const K = G.aus.length;

function effectsOf(head: ReturnType<typeof pspiHead>, z: number[][], h: number[][], graph = G, opts = {}) {
  return tf.tidy(() => interventionEffects(head.tf, tf.tensor2d(z), tf.tensor2d(h), graph, opts).arraySync());
}

function predicted(head: ReturnType<typeof pspiHead>, z: number[][], h: number[][]): number[] {
  return z.map((zi, i) => {
    const l = head.js(zi, h[i]);
    return l.indexOf(Math.max(...l));
  });
}

function expectClose(a: number[][][], b: number[][][], tol = 1e-5) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((r, i) => r.forEach((cells, k) => cells.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - b[i][k][c]))))));
  expect(worst).toBeLessThan(tol);
}

describe("interventionEffects", () => {
  it("a head computing PSPI exactly agrees with G perfectly (κ = 1), including AU7 > AU6 and AU10 > AU9", () => {
    const rng = new Rng(1);
    const z = randomZ(rng, 60, K, [PSPI_COLS.I43]);
    // a third of the faces near neutral (PSPI < 0.5: predicted no_pain)
    for (let i = 40; i < 60; i++) z[i] = z[i].map((v, k) => (k === PSPI_COLS.I43 ? 0 : 0.02 * v));
    // force the substitute cases: the second member of each group dominates
    for (let i = 0; i < 20; i++) {
      z[i][PSPI_COLS.I6] = 0.1;
      z[i][PSPI_COLS.I7] = 0.9;
      z[i][PSPI_COLS.I9] = 0.05;
      z[i][PSPI_COLS.I10] = 1;
    }
    const h = z.map(() => [rng.normal()]);
    const head = pspiHead(1);
    const eff = effectsOf(head, z, h);
    const pred = predicted(head, z, h);
    expect(new Set(pred).size).toBe(2); // both classes occur
    const a = agreement({ data: Float32Array.from(eff.flat(2)), shape: [60, K, 2] }, pred, G);
    expect(a.kappa).toBe(1);
    expect(a.precision).toBe(1);
    expect(a.recall).toBe(1);
    expect(a.polarityAccuracy).toBe(1);
    expect(a.auroc).toBe(1);
    // AU4 moves pain log-odds by exactly 5 nats, AU43 by 1, a non-PSPI AU by 0
    expect(eff[0][0][1]).toBeCloseTo(5, 4);
    expect(eff[0][PSPI_COLS.I43][1]).toBeCloseTo(1, 4);
    expect(eff[0][PSPI_COLS.I25][1]).toBeCloseTo(0, 6);
    // no_pain's log-odds is pain's negative
    expect(eff[0][0][0]).toBeCloseTo(-5, 4);

    // Without the group rule AU6 looks inert where AU7 is high: agreement drops below 1.
    const noGroups = updateGraph(G, { groups: {} });
    const eff2 = effectsOf(head, z, h, noGroups);
    expect(eff2[0][PSPI_COLS.I6][1]).toBeCloseTo(0.5, 4); // max(5·1, 4.5) − max(0, 4.5)
    const a2 = agreement({ data: Float32Array.from(eff2.flat(2)), shape: [60, K, 2] }, pred, noGroups);
    expect(a2.kappa).toBeLessThan(1);
  });

  it("a head that ignores z has all-zero effects", () => {
    const rng = new Rng(2);
    const z = randomZ(rng, 10, K);
    const h = z.map(() => [rng.normal()]);
    const eff = effectsOf(bypassHead(), z, h);
    expect(Math.max(...eff.flat(2).map(Math.abs))).toBe(0);
  });

  it("equals the slow reference twin (PSPI head, random MLP head, per-AU hi/lo, probability scale, chunks)", () => {
    const rng = new Rng(3);
    const z = randomZ(rng, 25, K, [PSPI_COLS.I43]);
    const h = z.map(() => [rng.normal(), rng.normal(), rng.normal()]);
    const pspi = pspiHead(0.7);
    expectClose(effectsOf(pspi, z, h), refEffects(pspi.js, z, h, G));

    const mlp = mlpHead(K, 3, 2, 8, 11);
    expectClose(effectsOf(mlp, z, h), refEffects(mlp.js, z, h, G));
    const hi = G.aus.map((_, k) => 0.6 + 0.03 * k);
    const lo = G.aus.map((_, k) => 0.02 * k);
    expectClose(effectsOf(mlp, z, h, G, { hi, lo }), refEffects(mlp.js, z, h, G, { hi, lo }));
    expectClose(effectsOf(mlp, z, h, G, { scale: "prob" }), refEffects(mlp.js, z, h, G, { scale: "prob" }));
    expectClose(effectsOf(mlp, z, h, G, { chunkSize: 7 }), effectsOf(mlp, z, h, G), 1e-6);
  });

  it("handles groups that differ between classes (more patterns than AUs) like the twin", () => {
    const g = makeGraph({
      aus: ["AU01", "AU04", "AU06", "AU07"],
      classes: ["a", "b", "c"],
      polarity: [
        [1, 0, -1],
        [1, 1, 0],
        [0, 1, 0],
        [-1, 1, 1],
      ],
      groups: { a: [["AU01", "AU04"]], b: [["AU04", "AU06", "AU07"]] },
      provenance: { kind: "custom", source: "test" },
    });
    const plan = interventionPlan(g);
    // AU01: {04} (a), {} (b, c); AU04: {01} (a), {06,07} (b), {} (c); AU06: {}, {04,07}; AU07: {}, {04,06}
    expect(plan.patterns.length).toBe(9);
    const rng = new Rng(4);
    const z = randomZ(rng, 12, 4);
    const h = z.map(() => [rng.normal(), rng.normal()]);
    const mlp = mlpHead(4, 2, 3, 6, 5);
    const got = tf.tidy(() => interventionEffects(mlp.tf, tf.tensor2d(z), tf.tensor2d(h), g).arraySync());
    expectClose(got, refEffects(mlp.js, z, h, g));
  });

  it("computes class log-odds from logits without overflow", () => {
    const lo = tf.tidy(() => classLogOdds(tf.tensor2d([[0, 100], [3, -2], [1, 2]])).arraySync());
    expect(lo[0][1]).toBeCloseTo(100, 3);
    expect(lo[0][0]).toBeCloseTo(-100, 3);
    expect(lo[1][0]).toBeCloseTo(5, 5);
    // 3 classes: ℓ_0 = 1 − log(e^2) = −1 when the third logit is absent... check a hand value
    const three = tf.tidy(() => classLogOdds(tf.tensor2d([[1, 2, 3]])).arraySync()[0]);
    expect(three[0]).toBeCloseTo(1 - Math.log(Math.exp(2) + Math.exp(3)), 5);
    expect(three[2]).toBeCloseTo(3 - Math.log(Math.exp(1) + Math.exp(2)), 5);
  });

  it("has the gradient of the textbook formula for three classes", () => {
    const x = tf.tensor2d([[0.3, -1.2, 2.0], [1.0, 1.0, -0.5]]);
    const wts = tf.tensor2d([[1, 2, -1], [0.5, -0.3, 0.7]]);
    const viaOurs = tf.grad((l: tf.Tensor) => classLogOdds(l as tf.Tensor2D).mul(wts).sum())(x).arraySync() as number[][];
    const reference = (l: tf.Tensor) => {
      const cols = [0, 1, 2].map((c) => {
        const others = [0, 1, 2].filter((j) => j !== c);
        const rest = tf.concat(others.map((j) => l.slice([0, j], [-1, 1])), 1);
        return l.slice([0, c], [-1, 1]).sub(tf.logSumExp(rest, 1, true));
      });
      return tf.concat(cols, 1).mul(wts).sum();
    };
    const viaRef = tf.grad(reference)(x).arraySync() as number[][];
    viaOurs.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(viaRef[i][j], 5)));
    tf.dispose([x, wts]);
  });

  it("gives finite gradients through the log-odds", () => {
    const w = tf.variable(tf.tensor2d([[0.5, -0.3]]));
    const g = tf.grad((x: tf.Tensor) => classLogOdds(x.matMul(w) as tf.Tensor2D).sum())(tf.tensor2d([[1], [2]]));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([w, g]);
  });

  it("rejects wrong shapes and options with messages that name them", () => {
    const head = pspiHead().tf;
    expect(() => interventionEffects(head, tf.zeros([2, 5]) as tf.Tensor2D, tf.zeros([2, 1]) as tf.Tensor2D, G)).toThrow(/z must be \[N, 11\]/);
    expect(() => interventionEffects(head, tf.zeros([2, 11]) as tf.Tensor2D, tf.zeros([3, 1]) as tf.Tensor2D, G)).toThrow(/h must be \[2, d\]/);
    expect(() => interventionEffects(head, tf.zeros([2, 11]) as tf.Tensor2D, tf.zeros([2, 1]) as tf.Tensor2D, G, { hy: 1 } as never)).toThrow(/unknown option "hy"/);
    expect(() => interventionEffects(head, tf.zeros([2, 11]) as tf.Tensor2D, tf.zeros([2, 1]) as tf.Tensor2D, G, { hi: [1, 2] })).toThrow(/hi: expected a number or 11 numbers/);
  });
});

describe("interventionEffects batching", () => {
  it("calls the head once with all N·K·2 intervened rows (once per chunk when chunked)", () => {
    const calls: number[] = [];
    const inner = pspiHead().tf;
    const counting = (z: tf.Tensor2D, h: tf.Tensor2D) => {
      calls.push(z.shape[0]);
      return inner(z, h);
    };
    const z = tf.zeros([10, K]) as tf.Tensor2D;
    const h = tf.zeros([10, 1]) as tf.Tensor2D;
    tf.dispose(interventionEffects(counting, z, h, G));
    expect(calls).toEqual([10 * K * 2]);
    calls.length = 0;
    tf.dispose(interventionEffects(counting, z, h, G, { chunkSize: 4 }));
    expect(calls).toEqual([4 * K * 2, 4 * K * 2, 2 * K * 2]);
    tf.dispose([z, h]);
  });
});
