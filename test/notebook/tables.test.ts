import { describe, expect, it } from "vitest";
import type { ArmSummary } from "../../src/evaluate/summary";
import type { GraphComparison } from "../../src/graph/compare";
import { agreementRows, comparisonRows, differenceRows, tauSweepRows } from "../../src/notebook/tables";

const iv = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, dropped: 0 });

describe("notebook tables", () => {
  it("comparisonRows: 2 decimals and the counts under the given label", () => {
    const r = { edgePrecision: 0.875, edgeRecall: 2 / 3, signAgreement: NaN, counts: { candidate: 8, reference: 9, shared: 7 } } as unknown as GraphComparison;
    expect(comparisonRows([["all edges", r]], "edges (G / prototypes / shared)")).toEqual([
      { "": "all edges", "edge precision": "0.88", "edge recall": "0.67", "sign agreement": "n/a", "edges (G / prototypes / shared)": "8 / 9 / 7" },
    ]);
  });

  it("differenceRows: present pairs in the fixed order, with where each CI sits", () => {
    const d = { "control-baseline": { k: iv(-0.2, -0.3, -0.1) }, "facr-baseline": { k: iv(0.1, -0.05, 0.2) }, other: { k: iv(1, 1, 1) } };
    expect(differenceRows(d, [["κ", "k"]])).toEqual([
      { difference: "facr − baseline", κ: "0.100 [-0.050, 0.200] (includes 0)" },
      { difference: "control − baseline", κ: "-0.200 [-0.300, -0.100] (below 0)" },
    ]);
  });

  it("agreementRows and tauSweepRows: one column per arm", () => {
    const arm = (k: number) => ({ agreement: { G: Object.fromEntries(["kappa", "jaccard", "precision", "recall", "f1", "polarityAccuracy", "auroc", "invokedRate"].map((m) => [m, iv(k, k, k)])) }, tauSweep: [{ tau: 0.5, kappa: k, invokedRate: 0.1 }] }) as unknown as ArmSummary;
    const arms = { baseline: arm(0.1), facr: arm(0.5) };
    const rows = agreementRows(arms);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({ measure: "kappa", "baseline (λ_cf = 0)": "0.100 [0.100, 0.100]", "FACR (G)": "0.500 [0.500, 0.500]" });
    expect(tauSweepRows(arms)).toEqual([{ τ: 0.5, "κ baseline": 0.1, "κ facr": 0.5, "invoked baseline": 0.1, "invoked facr": 0.1 }]);
  });
});
