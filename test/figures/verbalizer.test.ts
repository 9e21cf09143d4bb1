import { describe, expect, it } from "vitest";
import { verbalizerAuditFigure, verbalizerFigures, verbalizerFluencyFigure } from "../../src/figures/verbalizer";
import { attributeNumbersRounded, count, countInMarks, fakeVerbalizerResult, linesText, markGroups } from "./fixtures";

const r = fakeVerbalizerResult();

describe("verbalizer figures (Observable Plot SVG)", () => {
  it("audit: removal, stability and κ per backbone × mode, one row of panels per task, chance level on removal", async () => {
    const svg = verbalizerAuditFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/verbalizer-audit.svg");
    for (const task of ["pain", "emotion"]) expect(svg).toContain(`>${task} — removal rate<`);
    expect(count(svg, ">stability rate<")).toBe(2);
    expect(count(svg, ">κ(mentioned, active)<")).toBe(2);
    // 2 tasks × 3 panels; estimates split by backbone symbol (circle / square) → 12 dot groups
    expect(markGroups(svg, "facr-estimate")).toHaveLength(12);
    // 8 rows × 3 measures, minus removal and stability of the empty pain-Transformer-free row
    expect(countInMarks(svg, "facr-estimate", "<path") + countInMarks(svg, "facr-estimate", "<circle")).toBe(8 * 3 - 2);
    expect(countInMarks(svg, "facr-interval", "<line")).toBe(8 * 3 - 2);
    // the re-sampling chance level: one ring per row, on the removal panels only
    expect(countInMarks(svg, "facr-chance", "<circle")).toBe(8);
    for (const label of ["GRU, free", "GRU, gated", "Transformer, free", "Transformer, gated"]) expect(svg).toContain(`>${label}<`);
    expect(linesText(svg, "data-line")).toBe("pain: TinyPain; emotion: TinyEmotion source → TinyEmotion target — SYNTHETIC data with a known causal structure");
    const caption = linesText(svg, "caption");
    expect(caption).toContain("β = 5, θ = 0.3, θ_gate = 0.1");
    expect(caption).toContain("50 resamples");
    expect(caption).toContain("pain: 40 test faces of 8 subjects");
    expect(svg).toContain("share of ablations (unitless)");
    expect(svg).toContain("Cohen's κ (unitless)");
    expect(svg).toContain(">0.12<"); // formatted, never the raw 0.1234567
    expect(svg).not.toContain("0.1234567");
    expect(attributeNumbersRounded(svg)).toBe(true);
  });

  it("fluency: perplexity with the LM's validation level, references drawn on the axis or named beyond it, and acceptance", async () => {
    const svg = verbalizerFluencyFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/verbalizer-fluency.svg");
    expect(svg).toContain(">pain — perplexity under the unbiased LM<");
    expect(count(svg, ">accepted by the grammar<")).toBe(2);
    expect(svg).toContain("perplexity (per token; 1 = certain)");
    expect(countInMarks(svg, "facr-interval", "<line")).toBe(8 * 2);
    expect(countInMarks(svg, "facr-validation", "<line")).toBe(8); // one tick per row: its backbone's validation perplexity
    // perplexities up to 3.6: the axis ends at 4, so unigram 40 and uniform 67 are named, not drawn
    expect(markGroups(svg, "facr-baseline")).toHaveLength(0);
    expect(svg).toContain("references beyond the axis: unigram 40.0, uniform 67");
    expect(linesText(svg, "caption")).toContain("67-token vocabulary");
    // a reference inside the axis is drawn as a dashed rule in each perplexity panel
    const near = verbalizerFluencyFigure({ ...r, perplexityBaselines: { uniform: 67, unigram: 3 } });
    expect(countInMarks(near, "facr-baseline", "<line")).toBe(2);
    expect(near).toContain(">unigram 3.0<");
    expect(near).toContain("reference beyond the axis: uniform 67");
  });

  it("the set names verbalizer-audit and verbalizer-fluency, each with the synthetic caveat; none for real data", () => {
    const figs = verbalizerFigures(r);
    expect(figs.map((f) => f.name)).toEqual(["verbalizer-audit", "verbalizer-fluency"]);
    for (const f of figs) expect(f.svg).toContain("SYNTHETIC");
    for (const f of verbalizerFigures(fakeVerbalizerResult({ synthetic: false }))) expect(f.svg).not.toContain("SYNTHETIC");
    expect(count(figs[0].svg!, "<svg")).toBeGreaterThan(6);
  });
});
