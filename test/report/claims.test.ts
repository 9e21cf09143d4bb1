import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { claimsMarkdown, claimsTable } from "../../src/report/claims";

const iv = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, dropped: 0 });
const prov = { commit: "0000000000000000000000000000000000000000", dirty: false };

function pspi(gain: number, gainLo: number, opts: { permGperm?: [number, number]; facrMinusPerm?: [number, number]; regime?: string } = {}) {
  const arm = (k: number) => ({
    agreement: { G: { kappa: iv(k, k - 0.05, k + 0.05) }, "G'": { kappa: iv(-k, -k - 0.05, -k + 0.05) }, Gperm: { kappa: iv(0.5, 0.4, 0.6) } },
    detection: { auc: iv(0.9, 0.88, 0.92), f1: iv(0.8, 0.75, 0.85) },
  });
  const [pg, pgLo] = opts.permGperm ?? [0.4, 0.3];
  const [fp, fpLo] = opts.facrMinusPerm ?? [0.3, 0.2];
  return {
    profile: "paper",
    configHash: "x",
    provenance: prov,
    data: { name: "SynPain", synthetic: true, regime: { name: opts.regime ?? "preregistered" } },
    arms: { baseline: arm(0.1), facr: arm(0.1 + gain), control: arm(-0.9), permuted: arm(0.05) },
    differences: {
      "facr-baseline": { "agreement|G|kappa": iv(gain, gainLo, gain + 0.1), "detection|auc": iv(0.01, -0.01, 0.03), "detection|f1": iv(-0.02, -0.06, 0.02) },
      "control-baseline": { "agreement|G|kappa": iv(-1, -1.1, -0.9), "agreement|G'|kappa": iv(0.9, 0.8, 1) },
      "permuted-baseline": { "agreement|Gperm|kappa": iv(pg, pgLo, pg + 0.1) },
      "facr-permuted": { "agreement|G|kappa": iv(fp, fpLo, fp + 0.1) },
    },
    perFold: [],
  };
}

function write(dir: string, name: string, value: unknown) {
  fs.writeFileSync(path.join(dir, name), JSON.stringify(value));
}

describe("claims table", () => {
  it("applies each criterion: size, CI excluding the null, non-inferiority", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-claims-"));
    write(dir, "pspi.json", pspi(0.4, 0.2));
    const rows = claimsTable(dir);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId.C1.verdict).toBe("reproduced");
    expect(byId.C2.verdict).toBe("not reproduced"); // F1 difference lower bound −0.06 ≤ −0.05
    expect(byId.C3.verdict).toBe("reproduced");
    expect(byId["C3′"].verdict).toBe("reproduced");
    expect(byId.C4.verdict).toBe("missing");
    // what kind of evidence each row is, and the observed sign in words: a detection gain is not a "cost"
    expect(byId.C1.evidence).toBe("informative");
    expect(byId["C3′"].evidence).toBe("implied by the design");
    expect(byId.C2.observed).toMatch(/AUC \+0\.010 \(a gain, not a cost\); F1 −0\.020 \(a cost\)/);
    expect(rows.some((r) => r.id.endsWith("(clean)"))).toBe(false); // the clean regime was not run
    // C3 fails when the control does not install its own graph, or when FACR is no more faithful to G than it
    write(dir, "pspi.json", pspi(0.4, 0.2, { permGperm: [0.05, -0.02] }));
    expect(claimsTable(dir).find((r) => r.id === "C3")).toMatchObject({ verdict: "not reproduced", reason: /own G_perm/ });
    write(dir, "pspi.json", pspi(0.4, 0.2, { facrMinusPerm: [0.05, -0.01] }));
    expect(claimsTable(dir).find((r) => r.id === "C3")).toMatchObject({ verdict: "not reproduced", reason: /does not exceed/ });
    // the clean regime is a second row set, labelled implied by the design
    write(dir, "pspi.json", pspi(0.4, 0.2));
    write(dir, "pspi-clean.json", pspi(0.8, 0.7, { regime: "clean" }));
    const withClean = claimsTable(dir);
    expect(withClean.find((r) => r.id === "C1 (clean)")).toMatchObject({ verdict: "reproduced", evidence: "implied by the design" });
    fs.rmSync(path.join(dir, "pspi-clean.json"));
    expect(byId.C1.stale).toMatch(/cannot compare/); // the fake commit is not in this checkout
    write(dir, "pspi.json", pspi(0.2, 0.1)); // positive, CI excludes 0, but under half the paper's gain
    expect(claimsTable(dir)[0]).toMatchObject({ verdict: "not reproduced", reason: "gain smaller than half the paper's" });
    write(dir, "pspi.json", pspi(0.5, -0.01));
    expect(claimsTable(dir)[0]).toMatchObject({ verdict: "not reproduced", reason: "CI of the gain includes 0" });
  });

  it("reports a result file without the expected fields as missing, with the reason", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-claims-"));
    write(dir, "pspi.json", { profile: "paper", provenance: prov });
    const rows = claimsTable(dir).slice(0, 4);
    expect(rows.map((r) => r.verdict)).toEqual(["missing", "missing", "missing", "missing"]);
    expect(rows[0].reason).toMatch(/pspi\.json lacks the expected fields/);
  });

  it("reads the verbalizer audit for C5–C7 and renders Markdown", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-claims-"));
    write(dir, "verbalizer.json", {
      profile: "smoke",
      configHash: "y",
      provenance: prov,
      audit: [
        { task: "pain", backbone: "gru", mode: "gated", measures: { removal: iv(1, 0.97, 1), stability: iv(0.5, 0.4, 0.6) } },
        { task: "pain", backbone: "gru", mode: "free", measures: { removal: iv(0.05, 0.01, 0.1), stability: iv(1, 1, 1) } },
        { task: "pain", backbone: "transformer", mode: "gated", measures: { removal: iv(0.95, 0.85, 1), stability: iv(0.5, 0.4, 0.6) } },
        { task: "pain", backbone: "transformer", mode: "free", measures: { removal: iv(0.1, 0.02, 0.25), stability: iv(1, 1, 1) } },
      ],
    });
    const rows = claimsTable(dir);
    expect(rows.find((r) => r.id === "C5")!.verdict).toBe("reproduced");
    expect(rows.find((r) => r.id === "C6")!.verdict).toBe("not reproduced"); // lower bound 0.85 < 0.9
    expect(rows.find((r) => r.id === "C7")!.verdict).toBe("not reproduced"); // Transformer upper bound 0.25 > 0.2
    const md = claimsMarkdown(rows);
    expect(md.split("\n")).toHaveLength(2 + 8); // C1, C2, C3, C3′ (pspi.json missing), C4, C5–C7
    expect(md).toContain("| C5 |");
    expect(rows.find((r) => r.id === "C5")!.evidence).toBe("true by construction");
    expect(md.split("\n")[0]).toContain("| observed | verdict | evidence |");
  });
});
