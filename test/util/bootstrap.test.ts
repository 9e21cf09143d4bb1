import { describe, expect, it } from "vitest";
import { hierarchicalResampler, pairedBootstrap, sampleWeights, subjectResampler } from "../../src/util/bootstrap";
import { Rng } from "../../src/util/random";

describe("grouped bootstrap", () => {
  it("a subject resampler draws as many subjects as there are, in first-appearance order", () => {
    const r = subjectResampler(["b", "a", "b", "c"]);
    expect(Array.from(r.unitOf)).toEqual([0, 1, 0, 2]);
    expect(r.names).toEqual(["b", "a", "c"]);
    const rng = new Rng(1);
    for (let i = 0; i < 20; i++) {
      const c = r.draw(rng);
      expect(c.reduce((a, b) => a + b, 0)).toBe(3);
      const w = sampleWeights(r, c);
      expect(w[0]).toBe(c[0]);
      expect(w[2]).toBe(c[0]);
    }
  });

  it("a hierarchical resampler draws clusters, then subjects within each drawn cluster", () => {
    // cluster x: subjects p, q (3 samples); cluster y: subject p (1 sample) — (x,p) and (y,p) are different units
    const r = hierarchicalResampler(["x", "x", "x", "y"], ["p", "q", "p", "p"]);
    expect(r.nUnits).toBe(3);
    expect(r.independent).toBe(2);
    expect(r.names).toEqual(["x/p", "x/q", "y/p"]);
    const rng = new Rng(2);
    let sawOnlyY = false;
    for (let i = 0; i < 200; i++) {
      const [xp, xq, yp] = r.draw(rng);
      // two cluster draws: each x draw adds 2 subject draws within x, each y draw adds 1
      const xDraws = (xp + xq) / 2;
      expect(Number.isInteger(xDraws)).toBe(true);
      expect(xDraws + yp).toBe(2);
      if (yp === 2) sawOnlyY = true;
    }
    expect(sawOnlyY).toBe(true);
  });

  it("pairs measures draw by draw and is seeded", () => {
    const r = subjectResampler(["a", "b", "c", "d", "e"]);
    const values = [1, 2, 3, 4, 5];
    const stat = (counts?: Float64Array) => {
      const w = counts ?? new Float64Array(5).fill(1);
      const n = w.reduce((a, b) => a + b, 0);
      const m = values.reduce((s, v, i) => s + w[i] * v, 0) / n;
      return { mean: m, twice: 2 * m };
    };
    const b1 = pairedBootstrap(r, stat, { resamples: 100, rng: new Rng(5) });
    const b2 = pairedBootstrap(r, stat, { resamples: 100, rng: new Rng(5) });
    expect(b1.reps.mean).toEqual(b2.reps.mean);
    expect(b1.estimate.mean).toBe(3);
    // twice − mean = mean draw by draw, so its interval is mean's interval
    const d = b1.difference("twice", "mean");
    const m = b1.interval("mean");
    expect(d.estimate).toBeCloseTo(3, 12);
    expect(d.lo).toBeCloseTo(m.lo, 12);
    expect(d.hi).toBeCloseTo(m.hi, 12);
    expect(m.lo).toBeLessThan(3);
    expect(m.hi).toBeGreaterThan(3);
  });
});
