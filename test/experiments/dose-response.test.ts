import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runDoseResponse } from "../../src/experiments/dose-response";
import { CLEAN_REGIME } from "../../src/experiments/regimes";
import { doseResponseFigures } from "../../src/figures/dose-response";
import { FacrInputError } from "../../src/util/errors";

describe("dose-response sweeps (smoke profile)", () => {
  it("agreement with G grows from λ_cf = 0 (the baseline) to λ_cf = 1 on held-out subjects; shared points are trained once; written atomically", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-dose-"));
    const out = path.join(dir, "dose-response.json");
    const lines: string[] = [];
    // the clean regime, where the objective is known to move fidelity at smoke size: this checks the sweep's mechanics
    const r = await runDoseResponse({ profile: "smoke", out, log: (l) => lines.push(l), overrides: { pspi: { regime: { ...CLEAN_REGIME } } } });
    expect(r.lambdaSweep.map((p) => [p.lambdaCf, p.margin])).toEqual([[0, 1], [1, 1]]);
    expect(r.marginSweep.map((p) => [p.lambdaCf, p.margin])).toEqual([[1, 1], [1, 2]]);
    // a real check on trained models (seeded): the objective moves κ, the baseline sits near 0
    const [base, facr] = r.lambdaSweep;
    expect(facr.kappa.estimate).toBeGreaterThan(base.kappa.estimate + 0.2);
    expect(Math.abs(base.kappa.estimate)).toBeLessThan(0.2);
    for (const p of [...r.lambdaSweep, ...r.marginSweep]) {
      expect(p.kappa.lo).toBeLessThanOrEqual(p.kappa.estimate);
      expect(p.kappa.hi).toBeGreaterThanOrEqual(p.kappa.estimate);
      expect(p.auc.estimate).toBeGreaterThan(0.5);
    }
    // (λ_cf = 1, m = 1) is in both sweeps and trained once: three trainings, not four
    expect(lines.filter((l) => /^\[dose-response\] \d+\/3 /.test(l)).length).toBe(3);
    expect(r.marginSweep[0]).toEqual(r.lambdaSweep[1]);
    expect(r.pspiConfig.arms).toEqual(["facr"]);
    expect(r.data.synthetic).toBe(true);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).configHash).toBe(r.configHash);
    expect(fs.readdirSync(dir)).toEqual(["dose-response.json"]);

    // figures: one dot and one CI bar per point, the data caveat in the subtitle
    const figs = doseResponseFigures(r);
    expect(figs.map((f) => f.name)).toEqual(["dose-response-lambda", "dose-response-margin"]);
    for (const [f, n] of [[figs[0], r.lambdaSweep.length], [figs[1], r.marginSweep.length]] as const) {
      expect(f.svg!.match(/class="facr-estimate"/g)?.length).toBe(1 * 2); // one dot group per panel
      expect((f.svg!.match(/<circle/g) ?? []).length).toBeGreaterThanOrEqual(2 * n);
      expect(f.svg).toContain("SYNTHETIC");
    }
  });

  it("rejects an empty or negative grid with a message naming the field", async () => {
    await expect(runDoseResponse({ profile: "smoke", overrides: { lambdas: [] }, log: () => {} })).rejects.toThrow(FacrInputError);
    await expect(runDoseResponse({ profile: "smoke", overrides: { margins: [1, -1] }, log: () => {} })).rejects.toThrow(/margins/);
  });
});
