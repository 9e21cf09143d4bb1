import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSynEmotion } from "../../src/data/synemotion";
import { checkDisjoint, runEmotionTransfer } from "../../src/experiments/emotion-transfer";

describe("emotion transfer (smoke profile)", () => {
  it("induces G from the graph-source subjects only and scores arms on the target domain", async () => {
    const domains = generateSynEmotion({ seed: 3, profile: "smoke" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-emotion-"));
    const r = await runEmotionTransfer({ profile: "smoke", domains, out: path.join(dir, "emotion.json"), log: () => {} });
    // induction read exactly the graph-source subjects, none of source or target
    expect(new Set(r.induction.subjectIds)).toEqual(new Set(domains.graphSource.subjects));
    const used = new Set(r.induction.subjectIds);
    for (const s of [...domains.source.subjects, ...domains.target.subjects]) expect(used.has(s)).toBe(false);
    // arms evaluated on the target domain, with CIs and a confusion matrix over the 7 classes
    expect(Object.keys(r.arms)).toEqual(["baseline", "facr", "control", "bottleneck"]);
    const facr = r.arms.facr;
    expect(facr.confusion.flat().reduce((a, b) => a + b, 0)).toBe(domains.target.size);
    expect(facr.agreement.G.kappa.lo).toBeLessThanOrEqual(facr.agreement.G.kappa.estimate);
    expect(facr.agreement.prototypes).toBeDefined();
    expect(r.graphs.induced.provenance.kind).toBe("induced");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "emotion.json"), "utf8")).experiment).toBe("emotion-transfer");
    // examples: the same target frames for every arm, one per true class first, invoked AUs consistent with τ
    expect(r.examples.length).toBe(r.config.examples);
    expect(new Set(r.examples.map((e) => e.trueClass)).size).toBe(Math.min(r.config.examples, new Set(domains.target.labels!.y).size));
    const G = r.graphs.induced;
    for (const e of r.examples) {
      expect(domains.target.subjects[e.row]).toBe(e.subject);
      expect(domains.target.labels!.classes[domains.target.labels!.y[e.row]]).toBe(e.trueClass);
      expect(Object.keys(e.arms)).toEqual(["baseline", "facr", "control", "bottleneck"]);
      for (const a of Object.values(e.arms)) {
        expect(G.classes).toContain(a.predicted);
        for (const d of a.invoked) expect(Math.abs(d.delta)).toBeGreaterThanOrEqual(r.config.tau - 1e-3);
        const c = G.classes.indexOf(a.predicted);
        expect(a.causal.map((d) => d.au)).toEqual(G.aus.filter((_, k) => G.polarity[k][c] !== 0));
      }
    }
  });

  it("refuses domains that share subjects", () => {
    const d = generateSynEmotion({ seed: 4, profile: "smoke", observations: false });
    expect(() => checkDisjoint(d.source, d.target, d.graphSource)).not.toThrow();
    expect(() => checkDisjoint(d.source, d.source, d.graphSource)).toThrow(/appears in both the source and the target domain/);
    const leaky = { ...d.target, subjects: d.target.subjects.map((s, i) => (i === 0 ? d.graphSource.subjects[0] : s)) };
    expect(() => checkDisjoint(d.source, leaky, d.graphSource)).toThrow(/appears in both the target and the graphSource domain/);
  });
});
