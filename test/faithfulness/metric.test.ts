import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { interventionEffects } from "../../src/faithfulness/effects";
import { AgreementTable, agreement, agreementCI, cohenKappa, tauSweep } from "../../src/faithfulness/metric";
import { bootstrapCI } from "../../src/faithfulness/bootstrap";
import { makeGraph, updateGraph, Polarity } from "../../src/graph/graph";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { au25Head, bypassHead, negativeHead, PSPI_COLS, randomZ } from "./heads";
import { refAgreement } from "./reference";

const G = pspiGraph();
const K = G.aus.length;

function run(head: { tf: (z: tf.Tensor2D, h: tf.Tensor2D) => tf.Tensor2D; js: (z: number[], h: number[]) => number[] }, N: number, seed: number) {
  const rng = new Rng(seed);
  const z = randomZ(rng, N, K, [PSPI_COLS.I43]);
  const h = z.map(() => [rng.normal()]);
  const effects = tf.tidy(() => interventionEffects(head.tf, tf.tensor2d(z), tf.tensor2d(h), G).arraySync());
  const pred = z.map((zi, i) => {
    const l = head.js(zi, h[i]);
    return l.indexOf(Math.max(...l));
  });
  return { effects, pred, flat: { data: Float32Array.from(effects.flat(2)), shape: [N, K, 2] as const } };
}

describe("agreement", () => {
  it("is κ = 0 with an empty invoked set for a head that reads h only", () => {
    const { flat, pred } = run(bypassHead(), 40, 1);
    const a = agreement(flat, pred, G);
    expect(a.kappa).toBe(0);
    expect(a.invokedRate).toBe(0);
    expect(a.recall).toBe(0);
    expect(Number.isNaN(a.precision)).toBe(true); // nothing invoked: precision undefined
  });

  it("is κ ≤ 0 for a head that reads only AU25 (a shortcut AU)", () => {
    const { flat, pred } = run(au25Head(), 40, 2);
    const a = agreement(flat, pred, G);
    expect(a.kappa).toBeLessThanOrEqual(0);
    expect(a.precision).toBe(0);
    expect(a.invokedRate).toBeCloseTo(1 / K, 6);
  });

  it("scores a negative dependence by polarity accuracy, and flipping G's sign flips it", () => {
    const { flat, pred } = run(negativeHead(), 40, 3);
    const a = agreement(flat, pred, G);
    expect(a.recall).toBe(1); // the right AUs are invoked…
    expect(a.polarityAccuracy).toBe(0); // …with the wrong sign
    const flipped = updateGraph(G, { polarity: G.polarity.map((row) => row.map((p) => -p as Polarity)) });
    const b = agreement(flat, pred, flipped);
    expect(b.polarityAccuracy).toBe(1);
    expect(b.kappa).toBe(a.kappa); // κ ignores sign
  });

  it("matches Cohen's κ worked by hand", () => {
    // invoked × causal table: TP=20, FP=5, FN=10, TN=65 (n=100)
    // po = 0.85; pI = 0.25, pR = 0.30; pe = 0.075 + 0.525 = 0.6; κ = 0.25/0.4 = 0.625
    expect(cohenKappa(20, 5, 10, 65)).toBeCloseTo(0.625, 12);
    expect(cohenKappa(0, 0, 30, 70)).toBe(0);
    expect(cohenKappa(30, 70, 0, 0)).toBe(0);
  });

  it("matches a hand-worked two-sample example", () => {
    const g = makeGraph({
      aus: ["AU04", "AU06", "AU12"],
      classes: ["no", "yes"],
      polarity: [[-1, 1], [0, 1], [0, 0]],
      provenance: { kind: "custom", source: "test" },
    });
    // sample 0 predicted "yes": Δ = [2, 0.1, -0.7] → I = {AU04, AU12}, C = {AU04, AU06}
    // sample 1 predicted "no":  Δ = [-1, 0, 0]     → I = {AU04},       C = {AU04}
    const data = Float32Array.from([0, 2, 0, 0.1, 0, -0.7, -1, 0, 0, 0, 0, 0]);
    const a = agreement({ data, shape: [2, 3, 2] }, [1, 0], g);
    // pairs: TP = 2 (s0 AU04, s1 AU04), FP = 1 (s0 AU12), FN = 1 (s0 AU06), TN = 2
    expect(a.kappa).toBeCloseTo(cohenKappa(2, 1, 1, 2), 12);
    expect(a.kappa).toBeCloseTo(1 / 3, 12);
    expect(a.precision).toBeCloseTo(2 / 3, 12);
    expect(a.recall).toBeCloseTo(2 / 3, 12);
    expect(a.jaccard).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(a.polarityAccuracy).toBe(1);
    // |Δ| causal: 2, 0.1, 1 ; irrelevant: 0.7, 0, 0 → pairs won: 2>all 3, 0.1>0,0 (2 of 3), 1>all → 8/9
    expect(a.auroc).toBeCloseTo(8 / 9, 12);
    expect(a.invokedRate).toBeCloseTo(0.5, 12);
  });

  it("equals the slow reference twin on random effects at several τ", () => {
    const rng = new Rng(7);
    const N = 30;
    const effects = Array.from({ length: N }, () => Array.from({ length: K }, () => [rng.normal(0, 1.5), rng.normal(0, 1.5)]));
    // ties, to exercise the AUROC tie rule
    effects[0][0] = [0, 0];
    effects[1][3] = [1, -1];
    effects[2][7] = [1, -1];
    const pred = effects.map(() => rng.int(2));
    const flat = { data: Float32Array.from(effects.flat(2)), shape: [N, K, 2] as const };
    for (const tau of [0, 0.3, 0.5, 1.2, 3]) {
      const got = agreement(flat, pred, G, { tau });
      const want = refAgreement(effects.map((r) => r.map((c) => c.map((v) => Math.fround(v)))), pred, G, tau);
      for (const key of Object.keys(want) as (keyof typeof want)[]) {
        if (Number.isNaN(want[key])) expect(got[key]).toBeNaN();
        else expect(Math.abs(got[key] - want[key])).toBeLessThan(1e-9);
      }
    }
    const sweep = tauSweep(flat, pred, G, [0.3, 1.2]);
    expect(sweep[1].kappa).toBeCloseTo(agreement(flat, pred, G, { tau: 1.2 }).kappa, 12);
  });

  it("weights samples like duplicates", () => {
    const rng = new Rng(8);
    const N = 6;
    const effects = Array.from({ length: N }, () => Array.from({ length: K }, () => [rng.normal(), rng.normal()]));
    const pred = effects.map(() => rng.int(2));
    const table = new AgreementTable({ data: Float32Array.from(effects.flat(2)), shape: [N, K, 2] }, pred, G);
    const weighted = table.summarize(0.5, [2, 0, 1, 1, 3, 1]);
    const idx = [0, 0, 2, 3, 4, 4, 4, 5];
    const dup = agreement({ data: Float32Array.from(idx.flatMap((i) => effects[i].flat())), shape: [idx.length, K, 2] }, idx.map((i) => pred[i]), G);
    for (const key of Object.keys(dup) as (keyof typeof dup)[]) expect(weighted[key]).toBeCloseTo(dup[key], 10);
  });

  it("per-subject statistics give the same numbers as per-sample weights", () => {
    const rng = new Rng(12);
    const N = 40;
    const effects = Array.from({ length: N }, () => Array.from({ length: K }, () => [rng.normal(0, 1.5), rng.normal(0, 1.5)]));
    effects[3][2] = [0.5, -0.5]; // a tie at τ
    const pred = effects.map(() => rng.int(2));
    const table = new AgreementTable({ data: Float32Array.from(effects.flat(2)), shape: [N, K, 2] }, pred, G);
    const groupOf = Int32Array.from({ length: N }, (_, i) => (i * 7) % 5);
    const grouped = table.grouped(groupOf, 5, 0.5);
    const counts = [2, 0, 1, 3, 1];
    const viaSamples = table.summarize(0.5, Array.from(groupOf, (g) => counts[g]));
    const viaGroups = grouped.summarize(counts);
    for (const key of Object.keys(viaSamples) as (keyof typeof viaSamples)[]) expect(viaGroups[key]).toBeCloseTo(viaSamples[key], 10);
    const plain = grouped.summarize();
    for (const key of Object.keys(plain) as (keyof typeof plain)[]) expect(plain[key]).toBeCloseTo(table.summarize(0.5)[key], 10);
  });

  it("gives a bootstrap CI over subjects that brackets the estimate and is seeded", () => {
    const { flat, pred } = run(au25Head(), 60, 9);
    // a noisier head: mix effects with noise so subjects differ
    const rng = new Rng(10);
    const data = flat.data.map((v) => v + rng.normal(0, 0.6));
    const subjects = pred.map((_, i) => `S${i % 6}`);
    const a = agreementCI({ data, shape: flat.shape }, pred, G, subjects, { resamples: 300, seed: 1 });
    const b = agreementCI({ data, shape: flat.shape }, pred, G, subjects, { resamples: 300, seed: 1 });
    expect(a).toEqual(b);
    expect(a.subjects).toBe(6);
    const k = a.metrics.kappa;
    expect(k.lo).toBeLessThanOrEqual(k.estimate);
    expect(k.hi).toBeGreaterThanOrEqual(k.estimate);
    expect(k.hi - k.lo).toBeGreaterThan(0);
    // one subject: every resample is the data itself
    const one = agreementCI({ data, shape: flat.shape }, pred, G, pred.map(() => "S"), { resamples: 50 });
    expect(one.metrics.kappa.lo).toBeCloseTo(one.metrics.kappa.estimate, 12);
    expect(one.metrics.kappa.hi).toBeCloseTo(one.metrics.kappa.estimate, 12);
  });
});

describe("bootstrapCI", () => {
  it("of per-subject values: close to mean ± 1.96·sd/√n for normal data", () => {
    const rng = new Rng(11);
    const xs = Array.from({ length: 400 }, () => rng.normal(2, 1));
    const r = bootstrapCI(xs, { resamples: 2000, seed: 3 });
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    expect(r.estimate).toBeCloseTo(m, 12);
    expect(r.lo).toBeCloseTo(m - 1.96 * sd / 20, 1);
    expect(r.hi).toBeCloseTo(m + 1.96 * sd / 20, 1);
    expect(r.n).toBe(400);
  });

  it("is degenerate for constant values and resamples groups, not samples", () => {
    const c = bootstrapCI([0.4, 0.4, 0.4]);
    for (const v of [c.estimate, c.lo, c.hi]) expect(v).toBeCloseTo(0.4, 12);
    // two groups; the statistic sees per-sample weights equal to the group's draw count
    const seen = new Set<string>();
    bootstrapCI({ groups: ["a", "a", "b"], statistic: (w) => (seen.add(Array.from(w).join(",")), w[0]) }, { resamples: 50 });
    for (const s of seen) {
      const [w0, w1] = s.split(",");
      expect(w0).toBe(w1); // samples of one subject always move together
    }
  });
});
