import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runPspiExperiment } from "../../src/experiments/pspi";
import { CLEAN_REGIME, PREREGISTERED_REGIME } from "../../src/experiments/regimes";

describe("PSPI experiment (smoke profile)", () => {
  it("clean regime: FACR raises agreement with G over the baseline on held-out subjects; the complement control does not; result written atomically", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-pspi-"));
    const out = path.join(dir, "pspi.json");
    const lines: string[] = [];
    const r = await runPspiExperiment({ profile: "smoke", out, log: (l) => lines.push(l), overrides: { regime: { ...CLEAN_REGIME }, arms: ["baseline", "facr", "control", "bottleneck"] } });
    const kappa = (arm: string) => r.arms[arm].agreement.G.kappa;
    // a real check on trained models (seeded), not a snapshot: in the clean regime (label = a function of G's
    // AUs, fully visible) FACR's κ beats the baseline's, the paired interval of the difference above zero
    expect(kappa("facr").estimate).toBeGreaterThan(kappa("baseline").estimate + 0.2);
    expect(r.differences["facr-baseline"]["agreement|G|kappa"].lo).toBeGreaterThan(0);
    // the complement control moves toward G′, not toward G
    expect(r.arms.control.agreement["G'"].kappa.estimate).toBeGreaterThan(r.arms.control.agreement.G.kappa.estimate);
    expect(kappa("control").estimate).toBeLessThan(kappa("facr").estimate);
    // bookkeeping
    expect(r.data.regime?.name).toBe("clean");
    expect(r.perFold.length).toBe(2 * 4);
    expect(new Set(r.perFold.flatMap((f) => f.testSubjects)).size).toBe(r.data.summary.subjects);
    expect(r.data.synthetic).toBe(true);
    expect(["wasm", "tensorflow", "cpu"]).toContain(r.provenance.backend);
    const saved = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(saved.configHash).toBe(r.configHash);
    expect(fs.readdirSync(dir)).toEqual(["pspi.json"]);
    expect(lines.some((l) => /trainings done/.test(l))).toBe(true);
  });

  it("pre-registered regime: every arm gets the second protocol's measures, the wrong and permuted arms their own graphs", async () => {
    const r = await runPspiExperiment({ profile: "smoke", log: () => {}, overrides: { arms: ["baseline", "facr", "permuted", "cbmSequential", "wrongG2"] } });
    expect(r.data.regime).toMatchObject(PREREGISTERED_REGIME);
    expect(r.slots).toEqual(["G", "G@1", "G'", "Gperm", "Gtrain"]);
    // in-support hi: below E = 1 for the PSPI intensity AUs (AU43 is 0/1, so its hi is 1)
    for (const f of r.interventions.perFold) {
      expect(f.hi.AU43).toBe(1);
      expect(f.hi.AU06).toBeLessThan(1);
    }
    for (const a of ["baseline", "facr", "permuted", "cbmSequential", "wrongG2"]) {
      const s = r.arms[a];
      for (const slot of r.slots) expect(Number.isFinite(s.agreement[slot].kappa.estimate)).toBe(true);
      expect(s.eraser && s.channels && s.auRecovery && s.perCluster).toBeTruthy();
      expect(s.auRecovery!.macro.estimate).toBeGreaterThan(0.5); // z recovers the true AUs above chance
      expect(s.perCluster!.map((p) => p.cluster)).toEqual([1]);
    }
    // do(z := 1) extrapolates past the in-support hi: |Δ| differs between the two slots
    expect(r.arms.facr.agreement["G@1"].kappa.estimate).not.toBe(r.arms.facr.agreement.G.kappa.estimate);
    // a bottleneck head does not read h: fixing h leaves its decisions unchanged
    expect(r.arms.cbmSequential.channels!.hFixed.auc.estimate).toBeCloseTo(r.arms.cbmSequential.detection.auc.estimate, 9);
    // the Gtrain slot is the arm's own graph: G for FACR, its seed's G_perm and G_2 for the others
    expect(r.arms.facr.agreement.Gtrain.kappa.estimate).toBe(r.arms.facr.agreement.G.kappa.estimate);
    expect(r.arms.permuted.agreement.Gtrain.kappa.estimate).toBe(r.arms.permuted.agreement.Gperm.kappa.estimate);
    expect(r.arms.wrongG2.trainGraph).toBe("G_2");
    expect(r.arms.permuted.overlapKappa).not.toBeNull();
    expect(r.arms.facr.overlapKappa).toBeNull();
    expect(r.differences["facr-permuted"]).toBeDefined();
    expect(r.differences["permuted-cbmSequential"]).toBeUndefined(); // only pairs with baseline or FACR
  });
});
