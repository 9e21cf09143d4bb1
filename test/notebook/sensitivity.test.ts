import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { SensitivityResult } from "../../src/experiments/sensitivity";
import { regimeText, savedResult, sensitivityReading, sensitivityRows } from "../../src/notebook/sensitivity";

const iv = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, dropped: 0 });
const m = (gain: [number, number, number] | null, change: [number, number, number] | null) => ({
  kappa: iv(0.4, 0.3, 0.5),
  auroc: iv(0.7, 0.6, 0.8),
  auc: iv(0.9, 0.85, 0.95),
  f1: iv(0.8, 0.7, 0.9),
  aucHFixed: iv(0.6, 0.5, 0.7),
  kappaGain: gain && iv(...gain),
  aucChange: change && iv(...change),
});

/** A 2 × 2 map: FACR gains everywhere but at (1, 0), pays in AUC only at shortcut 1; RRR shows nothing. */
function result(o: { withPre?: boolean } = {}): SensitivityResult {
  const vis = o.withPre === false ? [0.25, 1] : [0.5, 1];
  const cells = vis.flatMap((v) =>
    [0, 0.5].map((s) => ({
      auVisibility: v,
      shortcutStrength: s === 0.5 && o.withPre === false ? 1 : s,
      auLabelNoise: 0.1,
      seconds: 1,
      arms: {
        baseline: m(null, null),
        facr: m(v === 1 && s === 0 ? [0.01, -0.02, 0.04] : [0.3, 0.2, 0.4], s === 0.5 ? [-0.04, -0.07, -0.01] : [0.0, -0.01, 0.01]),
        rrr: m([0.01, -0.02, 0.04], [0.0, -0.01, 0.01]),
      },
    })),
  );
  return {
    experiment: "sensitivity",
    profile: "smoke",
    config: { visibility: vis, shortcut: [0, 0.5], labelNoise: 0.1, arms: ["baseline", "facr", "rrr"], bypass: [0, 16], pspi: { seeds: [1] } as SensitivityResult["config"]["pspi"] },
    configHash: "x",
    provenance: { commit: "0123456789abcdef", dirty: false } as SensitivityResult["provenance"],
    data: { name: "SynPain (profile smoke, seed 1)", source: "synthetic", synthetic: true },
    cells,
    bypass: [],
    durations: { totalSeconds: 1 },
  };
}

describe("sensitivityReading", () => {
  const text = sensitivityReading(result());

  it("lists where the fidelity gain holds with a CI above 0, and only there", () => {
    const facr = text.split("\n").find((l) => l.includes("FACR (G)"))!;
    expect(facr).toContain("CI above 0 in 3 of 4 regimes");
    expect(facr).toContain("visibility 0.5, shortcut 0: 0.300 [0.200, 0.400]");
    expect(facr).not.toContain("visibility 1, shortcut 0: 0.300");
    expect(facr).toContain("detection change is a cost (AUC − baseline, CI below 0) at visibility 0.5, shortcut 0.5 (pre-registered): -0.040 [-0.070, -0.010]; visibility 1, shortcut 0.5: -0.040");
    const rrr = text.split("\n").find((l) => l.includes("RRR"))!;
    expect(rrr).toContain("CI above 0 in none of the 4 regimes");
    expect(rrr).toContain("no cost shown");
  });

  it("reads the pre-registered cell when it is on the grid, says so when not, and carries the SYNTHETIC caveat", () => {
    expect(text).toContain("At the pre-registered regime (visibility 0.5, shortcut 0.5 (pre-registered)), where the claims are judged: FACR's κ gain 0.300 [0.200, 0.400] (above 0), AUC change -0.040 [-0.070, -0.010] (below 0)");
    expect(sensitivityReading(result({ withPre: false }))).toContain("is not on this grid");
    expect(text).toContain("SYNTHETIC");
    expect(regimeText({ auVisibility: 1, shortcutStrength: 0 })).toBe("visibility 1, shortcut 0");
  });

  it("table: one row per regime × arm, the baseline as the reference", () => {
    const rows = sensitivityRows(result());
    expect(rows).toHaveLength(4 * 3);
    expect(rows.filter((r) => r["κ − baseline"] === "(reference)")).toHaveLength(4);
  });

  it("savedResult: null without the file, else the result and its provenance", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-saved-"));
    try {
      const file = path.join(dir, "sensitivity.json");
      expect(savedResult(file)).toBeNull();
      fs.writeFileSync(file, JSON.stringify(result()));
      const s = savedResult<SensitivityResult>(file)!;
      expect(s.result.cells).toHaveLength(4);
      expect(s.note).toContain("commit 01234567");
      expect(s.note).toContain("make sensitivity");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
