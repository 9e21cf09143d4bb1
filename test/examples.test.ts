import { describe, expect, it } from "vitest";
import { quickstart } from "../examples/quickstart";

describe("README quick start", () => {
  it("runs and gives the hand-computed κ", async () => {
    // every sample invokes {AU04, AU43} of the 6 PSPI AUs among 11: TP 2, FP 0, FN 4, TN 5
    // po = 7/11, pe = (2/11)(6/11) + (9/11)(5/11) = 57/121 → κ = (77 − 57) / (121 − 57) = 0.3125
    expect(await quickstart()).toBeCloseTo(0.3125, 6);
  });
});
