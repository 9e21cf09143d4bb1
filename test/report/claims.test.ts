import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { claimsMarkdown, claimsTable } from "../../src/report/claims";

const iv = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, dropped: 0 });
const prov = { commit: "0000000000000000000000000000000000000000", dirty: false };

function pspi(gain: number, gainLo: number) {
  const arm = (k: number) => ({ agreement: { G: { kappa: iv(k, k - 0.05, k + 0.05) }, "G'": { kappa: iv(-k, -k - 0.05, -k + 0.05) } }, detection: { auc: iv(0.9, 0.88, 0.92), f1: iv(0.8, 0.75, 0.85) } });
  return {
    profile: "paper",
    configHash: "x",
    provenance: prov,
    data: { name: "SynPain", synthetic: true },
    arms: { baseline: arm(0.1), facr: arm(0.1 + gain), control: arm(-0.9) },
    differences: {
      "facr-baseline": { "agreement|G|kappa": iv(gain, gainLo, gain + 0.1), "detection|auc": iv(-0.01, -0.03, 0.01), "detection|f1": iv(-0.02, -0.06, 0.02) },
      "control-baseline": { "agreement|G|kappa": iv(-1, -1.1, -0.9), "agreement|G'|kappa": iv(0.9, 0.8, 1) },
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
    expect(byId.C4.verdict).toBe("missing");
    expect(byId.C1.stale).toMatch(/cannot compare/); // the fake commit is not in this checkout
    write(dir, "pspi.json", pspi(0.2, 0.1)); // positive, CI excludes 0, but under half the paper's gain
    expect(claimsTable(dir)[0]).toMatchObject({ verdict: "not reproduced", reason: "gain smaller than half the paper's" });
    write(dir, "pspi.json", pspi(0.5, -0.01));
    expect(claimsTable(dir)[0]).toMatchObject({ verdict: "not reproduced", reason: "CI of the gain includes 0" });
  });

  it("reports a result file without the expected fields as missing, with the reason", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-claims-"));
    write(dir, "pspi.json", { profile: "paper", provenance: prov });
    const rows = claimsTable(dir).slice(0, 3);
    expect(rows.map((r) => r.verdict)).toEqual(["missing", "missing", "missing"]);
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
    expect(md.split("\n")).toHaveLength(2 + 7);
    expect(md).toContain("| C5 |");
  });
});
