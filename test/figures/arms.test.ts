import { describe, expect, it } from "vitest";
import { ARM_LABELS } from "../../src/experiments/arms";
import { agreementFigure, detectionFigure, foldAgreementFigure, tauSweepFigure } from "../../src/figures/arms";
import { effectCells, effectHeatmapFigure, niceRange } from "../../src/figures/effects";
import { pspiFigures } from "../../src/figures/pspi";
import { ARM_DISPLAY_LABELS, dataLine, fmt } from "../../src/figures/theme";
import { attributeNumbersRounded, count, fakePspiResult, linesText, markGroups } from "./fixtures";

const r = fakePspiResult();

describe("arm figures (Observable Plot SVG)", () => {
  it("agreement: one estimate per arm and graph, intervals only where the CI is given, synthetic caveat and τ in the text", async () => {
    const svg = agreementFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/agreement.svg");
    const estimates = markGroups(svg, "facr-estimate");
    expect(estimates).toHaveLength(2); // one panel per graph
    for (const g of estimates) expect(count(g, "<circle")).toBe(4); // one per arm
    const intervals = markGroups(svg, "facr-interval");
    expect(count(intervals[0], "<line")).toBe(3); // κ with G: bottleneck has no CI
    expect(count(intervals[1], "<line")).toBe(4);
    expect(linesText(svg, "data-line")).toBe("TinyPain (test fixture) — SYNTHETIC data with a known causal structure");
    expect(linesText(svg, "caption")).toContain("τ = 0.5 nats of log-odds");
    expect(svg).toContain("agreement with G (PSPI)");
    expect(svg).toContain("agreement with G′ (control graph)");
    expect(svg).toContain(">0.123<"); // value labels are formatted, raw 0.1234567 never printed
    expect(svg).not.toContain("0.1234567");
    expect(attributeNumbersRounded(svg)).toBe(true);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it("says nothing about synthetic data for real data", () => {
    const real = fakePspiResult({ synthetic: false });
    const svg = agreementFigure(real);
    expect(svg).not.toContain("SYNTHETIC");
    expect(svg).toContain("/data/UNBC (unbc data)");
    expect(dataLine({ name: "SynPain", synthetic: true })).toContain("SYNTHETIC");
  });

  it("detection: AUC and F1 panels with one estimate per arm", async () => {
    const svg = detectionFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/detection.svg");
    const estimates = markGroups(svg, "facr-estimate");
    expect(estimates).toHaveLength(2);
    for (const g of estimates) expect(count(g, "<circle")).toBe(4);
    expect(svg).toContain("AUC (unitless; 0.5 = chance)");
  });

  it("τ sweep: one line per arm on a log τ axis, the reported τ marked", async () => {
    const svg = tauSweepFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/tau-sweep.svg");
    expect(count(markGroups(svg, "facr-sweep")[0], "<path")).toBe(4);
    expect(count(markGroups(svg, "facr-sweep-point")[0], "<circle")).toBe(12);
    expect(svg).toContain("invocation threshold τ (nats of log-odds, log scale)");
    expect(svg).toContain("reported τ = 0.5");
    // log axis: 0.1 → 0.5 spans log10(5) of the 0.1 → 2 span log10(20)
    const xs = [...markGroups(svg, "facr-sweep-point")[0].matchAll(/cx="([\d.]+)"/g)].slice(0, 3).map((m) => Number(m[1]));
    expect((xs[1] - xs[0]) / (xs[2] - xs[0])).toBeCloseTo(Math.log10(5) / Math.log10(20), 2);
  });

  it("effects: one cell per arm × AU with its value, causal AUs of G flagged", async () => {
    const svg = effectHeatmapFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/effects.svg");
    expect(effectCells(r)).toHaveLength(4 * 11);
    expect(count(markGroups(svg, "facr-effect")[0], "<rect")).toBe(44);
    expect(count(markGroups(svg, "facr-causal")[0], "<rect")).toBe(6); // PSPI AUs
    expect(svg).toContain("mean |Δ| on the predicted class (nats of log-odds)");
    expect(svg).toContain(">1.30<");
  });

  it("folds: one dot per fold × seed × arm and one pooled bar per arm", async () => {
    const svg = foldAgreementFigure(r);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/folds.svg");
    expect(count(markGroups(svg, "facr-fold")[0], "<circle")).toBe(r.perFold!.length);
    expect(count(markGroups(svg, "facr-pooled")[0], "<line")).toBe(4);
  });

  it("the PSPI figure set names the files the paper cites, each with the caveat", () => {
    const figs = pspiFigures(r);
    const names = figs.map((f) => f.name);
    for (const n of ["pspi-agreement", "pspi-effects", "pspi-tau-sweep"]) expect(names).toContain(n);
    for (const f of figs) {
      expect(f.svg).toBeDefined();
      expect(f.svg).toContain("SYNTHETIC");
    }
    expect(figs.filter((f) => f.plotly).map((f) => f.name)).toEqual(["pspi-agreement", "pspi-effects", "pspi-tau-sweep"]);
  });

  it("labels arms as the experiments do, and rounds ticks to nice steps", () => {
    expect(ARM_DISPLAY_LABELS).toEqual(ARM_LABELS);
    expect(niceRange(4.58)).toEqual({ top: 5, step: 1 });
    expect(niceRange(0.31)).toEqual({ top: 0.4, step: 0.1 });
    expect(fmt(-0.0001, 2)).toBe("0.00");
    expect(fmt(-0.5, 1)).toBe("−0.5");
    expect(fmt(null)).toBe("–");
  });
});
