import { describe, expect, it } from "vitest";
import { aucFromGroups, ascendingOrder, groupAuc, weightedAuc } from "../../src/faithfulness/auc";
import { Rng } from "../../src/util/random";

describe("ascendingOrder (radix path for Float32Array)", () => {
  it("gives exactly the stable comparison sort's order, with ties, ±0 and negatives", () => {
    const rng = new Rng("order");
    for (const n of [65, 1000, 20000]) {
      const x = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : Math.round((rng.next() - 0.4) * 80) / 8));
      const ref = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
      expect(Array.from(ascendingOrder(x))).toEqual(ref);
    }
  });
});

describe("groupAuc", () => {
  it("with every group weighted once equals the plain weighted AUROC, ties counting ½", () => {
    const rng = new Rng("groupauc");
    const n = 3000;
    const score = Float32Array.from({ length: n }, () => Math.round(rng.next() * 40) / 40); // many ties
    const positive = Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
    const group = Int32Array.from({ length: n }, () => rng.int(17));
    const order = ascendingOrder(score);
    const g = groupAuc(order, score, positive, (i) => group[i], 17);
    expect(aucFromGroups(g)).toBeCloseTo(weightedAuc(order, score, positive), 12);
    // a resample: group weights become per-item weights
    const w = Float64Array.from({ length: 17 }, () => rng.int(3));
    expect(aucFromGroups(g, w)).toBeCloseTo(weightedAuc(order, score, positive, (i) => w[group[i]]), 12);
  });
});
