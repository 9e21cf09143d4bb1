import { describe, expect, it } from "vitest";
import { fitColumnStats, standardizeRows } from "../../src/model/standardize";

describe("model/standardize.ts", () => {
  // 4 rows × 2 columns; row 2 has a NaN and is left out of the fit
  const x = Float32Array.from([1, 10, 3, 10, NaN, 5, 5, 40]);

  it("fits population mean and sd over the finite rows (of `rows` when given), sd floored at 1e-6", () => {
    const st = fitColumnStats(x, 2)!;
    expect(st.mean).toEqual([3, 20]);
    expect(st.sd[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(st.sd[1]).toBeCloseTo(Math.sqrt(200), 12);
    const sub = fitColumnStats(x, 2, [0, 1, 2])!;
    expect(sub.mean).toEqual([2, 10]);
    expect(sub.sd).toEqual([1, 1e-6]);
    expect(fitColumnStats(x, 2, [2])).toBeNull();
  });

  it("standardizes the chosen rows, non-finite values → 0", () => {
    const st = { mean: [2, 10], sd: [1, 2] };
    expect(Array.from(standardizeRows(x, 2, st))).toEqual([-1, 0, 1, 0, 0, -2.5, 3, 15]);
    expect(Array.from(standardizeRows(x, 2, st, [3, 0]))).toEqual([3, 15, -1, 0]);
  });
});
