import { describe, expect, it } from "vitest";
import { inSupportHi } from "../../src/faithfulness/support";

describe("in-support hi (spec §11.2)", () => {
  it("is the type-7 quantile of each AU's non-zero, coded values", () => {
    // AU 0: non-zero 0.2, 0.4, 0.6, 0.8, 1.0 → 95th percentile: pos = 4·0.95 = 3.8 → 0.8 + 0.8·0.2 = 0.96
    // AU 1: non-zero 0.2 (zeros and NaN left out) → 0.2; AU 2: never non-zero → 1, listed
    const rows = [
      [0.2, 0, 0],
      [0.4, 0.2, 0],
      [0, NaN, 0],
      [0.6, 0, NaN],
      [0.8, 0, 0],
      [1.0, 0, 0],
    ];
    const r = inSupportHi(rows.flat(), 3);
    expect(r.hi[0]).toBeCloseTo(0.96, 12);
    expect(r.hi[1]).toBeCloseTo(0.2, 12);
    expect(r.hi[2]).toBe(1);
    expect(r.unsupported).toEqual([2]);
    // the median: pos = 4·0.5 = 2 → 0.6
    expect(inSupportHi(rows.flat(), 3, 0.5).hi[0]).toBeCloseTo(0.6, 12);
    expect(() => inSupportHi([1, 2, 3], 2)).toThrow(/rows of 2/);
  });
});
