import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { pspiGraph } from "../../src/graph/known";
import { Reasoner } from "../../src/model/reasoner";
import { trainReasoner } from "../../src/train/train";
import { toyData } from "./toy-data";

const G = pspiGraph();

describe("trainReasoner", () => {
  it("lowers the loss in a short run, restores the best epoch and leaks no tensors", () => {
    const train = toyData(600, 1);
    const val = toyData(200, 2);
    const r = new Reasoner({ inputDim: 20, aus: [...G.aus], classes: [...G.classes], seed: 1 });
    const before = tf.memory().numTensors;
    const lines: number[] = [];
    const res = trainReasoner(r, train, val, G, { epochs: 6, patience: 10, batchSize: 64, seed: 1 }, (e) => lines.push(e.loss));
    expect(tf.memory().numTensors).toBe(before);
    expect(lines.length).toBe(6);
    expect(lines[5]).toBeLessThan(lines[0]);
    expect(res.history[res.bestEpoch - 1].best).toBe(true);
    expect(res.steps).toBe(6 * Math.ceil(600 / 64));
    expect(res.history.every((e) => e.cf > 0)).toBe(true); // λ_cf = 1 by default
    r.dispose();
  });

  it("is deterministic for a seed, and the baseline arm has no counterfactual term", () => {
    const train = toyData(300, 3);
    const run = (lambdaCf: number) => {
      const r = new Reasoner({ inputDim: 20, aus: [...G.aus], classes: [...G.classes], seed: 2 });
      const res = trainReasoner(r, train, null, G, { epochs: 2, batchSize: 100, seed: 5, lambdaCf });
      const w = tf.tidy(() => Array.from(r.variables[0].dataSync()));
      r.dispose();
      return { res, w };
    };
    const a = run(1);
    const b = run(1);
    expect(a.w).toEqual(b.w);
    expect(a.res.history.map((e) => e.loss)).toEqual(b.res.history.map((e) => e.loss));
    const base = run(0);
    expect(base.res.history.every((e) => e.cf === 0)).toBe(true);
    expect(base.w).not.toEqual(a.w);
  });

  it("trains the bottleneck-only variant (h unused) and rejects mismatched inputs", () => {
    const train = toyData(200, 4);
    const r = new Reasoner({ inputDim: 20, aus: [...G.aus], classes: [...G.classes], bottleneckOnly: true });
    const res = trainReasoner(r, train, null, G, { epochs: 2, batchSize: 100 });
    expect(res.history.length).toBe(2);
    expect(() => trainReasoner(r, { ...train, D: 19 }, null, G)).toThrow(/features have 19 columns/);
    expect(() => trainReasoner(r, train, null, G, { lamdaCf: 1 } as never)).toThrow(/train.lamdaCf: unknown key/);
    r.dispose();
  });
});
