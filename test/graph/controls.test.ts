import { describe, expect, it } from "vitest";
import { randomGraph, wrongGraph } from "../../src/graph/controls";
import { makeGraph } from "../../src/graph/graph";
import { emotionPrototypeGraph, pspiGraph } from "../../src/graph/known";
import { overlapKappa } from "../../src/faithfulness/metric";

const G = pspiGraph();
const causalSet = (g: typeof G, c: number) => g.aus.filter((_, k) => g.polarity[k][c] !== 0).sort();

describe("graph controls (spec §11.3, §11.4)", () => {
  it("G_perm: same-size causal sets drawn from all AUs, shared by mirrored classes, polarities kept, seeded", () => {
    const overlaps = new Set<number>();
    for (let seed = 1; seed <= 12; seed++) {
      const P = randomGraph(G, seed);
      expect(causalSet(P, 0)).toEqual(causalSet(P, 1)); // pain / no_pain stay mirror images
      expect(causalSet(P, 1)).toHaveLength(6);
      P.aus.forEach((_, k) => {
        if (P.polarity[k][1] !== 0) {
          expect(P.polarity[k][1]).toBe(1);
          expect(P.polarity[k][0]).toBe(-1);
        }
      });
      overlaps.add(causalSet(P, 1).filter((a) => causalSet(G, 1).includes(a)).length);
      expect(randomGraph(G, seed)).toEqual(P);
      // groups follow the drawn AUs
      for (const grp of P.groups.pain ?? []) for (const a of grp) expect(P.polarity[P.aus.indexOf(a)][1]).toBe(1);
    }
    // 6 of 11 drawn: the overlap with G's 6 is at least 1 and varies between draws
    expect(Math.min(...overlaps)).toBeGreaterThanOrEqual(1);
    expect(overlaps.size).toBeGreaterThan(1);
  });

  it("G_k swaps exactly k causal AUs per class for irrelevant ones", () => {
    for (const k of [1, 2, 3]) {
      for (let seed = 1; seed <= 5; seed++) {
        const W = wrongGraph(G, k, seed);
        const kept = causalSet(W, 1).filter((a) => causalSet(G, 1).includes(a));
        expect(causalSet(W, 1)).toHaveLength(6);
        expect(kept).toHaveLength(6 - k);
        expect(causalSet(W, 0)).toEqual(causalSet(W, 1));
      }
    }
    expect(() => wrongGraph(G, 6, 1)).toThrow(/cannot swap 6/);
    const E = emotionPrototypeGraph();
    const W = wrongGraph(E, 1, 2);
    E.classes.forEach((_, c) => expect(causalSet(W, c).filter((a) => causalSet(E, c).includes(a)).length).toBe(causalSet(E, c).length - (causalSet(E, c).length ? 1 : 0)));
  });

  it("overlapKappa: a hand-worked case", () => {
    // 4 AUs, 2 classes; a: class 0 causal {A,B}, class 1 {C}; b: class 0 {A,C}, class 1 {C,D}
    const mk = (pol: number[][]) => makeGraph({ aus: ["AU01", "AU02", "AU04", "AU05"], classes: ["x", "y"], polarity: pol, groups: {}, provenance: { kind: "custom", source: "test" } });
    const a = mk([[1, 0], [1, 0], [0, 1], [0, 0]]);
    const b = mk([[1, 0], [0, 0], [1, 1], [0, 1]]);
    // predicted: 3 samples of class 0, 1 of class 1 → pairs: class 0 ×3: A (1,1) B (1,0) C (0,1) D (0,0); class 1 ×1: A (0,0) B (0,0) C (1,1) D (0,1)
    // tp = 3 + 1 = 4, fp = 3, fn = 3 + 1 = 4, tn = 3 + 2 = 5; n = 16
    // po = 9/16; pI = 7/16, pR = 8/16; pe = 7/16·8/16 + 9/16·8/16 = 128/256 = 0.5; κ = (9/16 − 1/2) / (1/2) = 0.125
    expect(overlapKappa(a, b, [0, 0, 0, 1])).toBeCloseTo(0.125, 12);
    expect(overlapKappa(a, a, [0, 1])).toBeCloseTo(1, 12);
  });
});
