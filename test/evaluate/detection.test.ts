import { describe, expect, it } from "vitest";
import { DetectionTable, detectionCI } from "../../src/evaluate/detection";

describe("DetectionTable", () => {
  it("matches hand-worked binary metrics", () => {
    // p(pain): 0.9 0.8 0.4 0.3 0.6 ; labels 1 1 1 0 0
    const p1 = [0.9, 0.8, 0.4, 0.3, 0.6];
    const probs = Float32Array.from(p1.flatMap((p) => [1 - p, p]));
    const t = new DetectionTable(probs, Int32Array.from([1, 1, 1, 0, 0]), 2);
    const d = t.summarize();
    // predictions 1 1 0 0 1 → TP 2, FN 1, FP 1, TN 1
    expect(d.accuracy).toBeCloseTo(3 / 5, 12);
    expect(d.f1).toBeCloseTo((2 * 2) / (2 * 2 + 1 + 1), 12);
    // positives {0.9, 0.8, 0.4} vs negatives {0.3, 0.6}: wins 2 + 2 + 1 = 5 of 6
    expect(d.auc).toBeCloseTo(5 / 6, 6);
    // class 0 F1: TP 1, FP 1 (true 1 predicted 0), FN 1 → 2/4
    expect(d.macroF1).toBeCloseTo((0.5 + 4 / 6) / 2, 12);
    expect(t.confusion()).toEqual([[1, 1], [1, 2]]);
  });

  it("macro metrics for three classes, and weights act as duplicates", () => {
    const probs = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.3, 0.5, 0.6, 0.3, 0.1]);
    const y = Int32Array.from([0, 1, 1, 0]);
    const t = new DetectionTable(probs, y, 3);
    expect(Array.from(t.predicted)).toEqual([0, 1, 2, 0]);
    const w = t.summarize([2, 1, 0, 1]);
    const dup = new DetectionTable(Float32Array.from([0.7, 0.2, 0.1, 0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.6, 0.3, 0.1]), Int32Array.from([0, 0, 1, 0]), 3).summarize();
    expect(w.accuracy).toBeCloseTo(dup.accuracy, 12);
    expect(w.macroF1).toBeCloseTo(dup.macroF1, 12);
    expect(w.auc).toBeCloseTo(dup.auc, 12);
  });

  it("per-subject statistics equal per-sample weights (2 and 4 classes)", () => {
    for (const C of [2, 4]) {
      const N = 30;
      const probs = Float32Array.from({ length: N * C }, (_, j) => ((j * 37) % 11) / 11 + 0.01);
      const y = Int32Array.from({ length: N }, (_, i) => (i * 5) % C);
      const t = new DetectionTable(probs, y, C);
      const groupOf = Int32Array.from({ length: N }, (_, i) => i % 6);
      const counts = [1, 3, 0, 2, 1, 1];
      const a = t.grouped(groupOf, 6).summarize(counts);
      const b = t.summarize(Array.from(groupOf, (g) => counts[g]));
      for (const k of Object.keys(a) as (keyof typeof a)[]) expect(a[k]).toBeCloseTo(b[k], 10);
    }
  });

  it("gives subject-bootstrap intervals around the estimate", () => {
    const n = 200;
    const probs = new Float32Array(2 * n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3 === 0 ? 1 : 0;
      const p = y[i] ? 0.55 + 0.4 * ((i * 7) % 10) / 10 : 0.05 + 0.6 * ((i * 3) % 10) / 10;
      probs[2 * i] = 1 - p;
      probs[2 * i + 1] = p;
    }
    const subjects = Array.from({ length: n }, (_, i) => `s${i % 10}`);
    const ci = detectionCI(new DetectionTable(probs, y, 2), subjects, { resamples: 200 });
    expect(ci.auc.lo).toBeLessThanOrEqual(ci.auc.estimate);
    expect(ci.auc.hi).toBeGreaterThanOrEqual(ci.auc.estimate);
    expect(ci.f1.hi).toBeGreaterThan(ci.f1.lo);
  });
});
