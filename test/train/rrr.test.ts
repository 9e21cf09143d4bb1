import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { makeGraph } from "../../src/graph/graph";
import { Reasoner } from "../../src/model/reasoner";
import { ReasonerRows } from "../../src/model/rows";
import { rrrPenalty } from "../../src/train/rrr";
import { evaluateObjective, formatEpoch, trainReasoner } from "../../src/train/train";
import { Rng } from "../../src/util/random";

/**
 * A shortcut the graph forbids: the label follows AU01 + AU02 (noisily), and
 * AU04 — irrelevant to both classes in G — copies the label 90 % of the time,
 * a better predictor than the relevant AUs. Without L_rrr the head leans on
 * AU04; with it, ∂ℓ_ĉ/∂z_AU04 is pushed towards 0.
 */
const G = makeGraph({
  aus: ["AU01", "AU02", "AU04"],
  classes: ["neg", "pos"],
  polarity: [
    [-1, 1],
    [-1, 1],
    [0, 0],
  ],
  provenance: { kind: "custom", source: "test: AU04 irrelevant" },
});

function shortcutData(N: number, seed: number): ReasonerRows {
  const rng = new Rng(seed);
  const K = 3;
  const D = 5;
  const x = new Float32Array(N * D);
  const au = new Float32Array(N * K);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const a0 = rng.uniform(0, 1);
    const a1 = rng.uniform(0, 1);
    y[i] = a0 + a1 + rng.normal(0, 0.4) > 1 ? 1 : 0;
    const a2 = rng.bernoulli(0.9) ? y[i] : 1 - y[i];
    au.set([a0, a1, a2], i * K);
    [a0, a1, a2, rng.normal(0, 1), rng.normal(0, 1)].forEach((v, j) => (x[i * D + j] = v + rng.normal(0, 0.05)));
  }
  return { x, D, au, K, y, N };
}

/** Mean over rows of Σ_{k irrelevant for ĉ} (∂ℓ_ĉ/∂z_k)² at the encoder's z, h. */
function irrelevantGradient(r: Reasoner, d: ReasonerRows): number {
  return tf.tidy(() => {
    const { z, h } = r.encode(tf.tensor2d(d.x, [d.N, d.D]));
    return rrrPenalty(r, z, h, G).dataSync()[0];
  });
}

describe("λ_rrr (right for the right reasons)", () => {
  const train = shortcutData(600, 1);
  const test = shortcutData(400, 2);
  const fit = (lambdaRrr: number) => {
    const r = new Reasoner({ inputDim: 5, aus: [...G.aus], classes: [...G.classes], encoderHidden: [16], embeddingDim: 4, headHidden: [8], seed: 1 });
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const res = trainReasoner(r, train, null, G, { epochs: 12, batchSize: 50, lambdaCf: 0, lambdaRrr, learningRate: 5e-3, seed: 1 }, (e) => lines.push(formatEpoch(e)));
    expect(tf.memory().numTensors).toBe(before);
    return { r, res, lines, measured: irrelevantGradient(r, test) };
  };

  it("lowers the measured squared gradient of the irrelevant AU against λ_rrr = 0", () => {
    const base = fit(0);
    const rrr = fit(10);
    expect(base.res.history.every((e) => e.rrr === 0)).toBe(true);
    expect(rrr.res.history.every((e) => e.rrr > 0)).toBe(true);
    expect(base.lines[0]).not.toMatch(/rrr/);
    expect(rrr.lines[0]).toMatch(/cf 0\.000 rrr \d\.\d{3}\)/);
    // the baseline does use the shortcut, and L_rrr removes most of it
    expect(base.measured).toBeGreaterThan(0.05);
    expect(rrr.measured).toBeLessThan(0.25 * base.measured);
    // the penalty is in the reported loss: loss = ce + λ_au·au + λ_rrr·rrr
    for (const e of rrr.res.history) expect(e.loss).toBeCloseTo(e.ce + e.au + 10 * e.rrr, 4);
    // and in the validation objective
    const v = evaluateObjective(rrr.r, test, G, { lambdaCf: 0, lambdaRrr: 10 });
    expect(v.rrr).toBeCloseTo(rrr.measured, 4);
    expect(v.total).toBeCloseTo(v.ce + v.au + 10 * v.rrr, 4);
    expect(evaluateObjective(rrr.r, test, G, { lambdaCf: 0 }).rrr).toBe(0);
    base.r.dispose();
    rrr.r.dispose();
  });

  it("is deterministic for a seed, also in the head stage", () => {
    const run = (stage: "joint" | "head") => {
      const r = new Reasoner({ inputDim: 5, aus: [...G.aus], classes: [...G.classes], encoderHidden: [16], embeddingDim: 4, headHidden: [8], seed: 2, bottleneckOnly: stage === "head" });
      const res = trainReasoner(r, train, test, G, { epochs: 2, batchSize: 100, lambdaRrr: 1, stage });
      const w = r.variables.map((v) => Array.from(v.dataSync()));
      r.dispose();
      return { w, loss: res.history.map((e) => e.loss), rrr: res.history.map((e) => e.rrr) };
    };
    for (const stage of ["joint", "head"] as const) {
      const a = run(stage);
      expect(run(stage)).toEqual(a);
      expect(a.rrr.every((x) => x > 0)).toBe(true);
    }
  });

  it("rejects a negative λ_rrr and a graph that does not match when λ_rrr > 0", () => {
    const r = new Reasoner({ inputDim: 5, aus: [...G.aus], classes: [...G.classes], seed: 1 });
    expect(() => trainReasoner(r, train, null, G, { lambdaRrr: -1 })).toThrow(/train.lambdaRrr/);
    const other = makeGraph({ ...G, aus: ["AU01", "AU02", "AU05"], provenance: { kind: "custom", source: "x" } });
    expect(() => trainReasoner(r, train, null, other, { lambdaCf: 0, lambdaRrr: 1 })).toThrow(/does not match/);
    r.dispose();
  });
});
