import { describe, expect, it } from "vitest";
import { graphComparisonFigure, polarityCells, polarityHeatmapFigure, polarityPanelsFigure, selectionFrequencyFigure } from "../../src/figures/graph";
import { makeGraph } from "../../src/graph/graph";
import { emotionPrototypeGraph, pspiGraph } from "../../src/graph/known";
import { attributeNumbersRounded, count, linesText, markGroups } from "./fixtures";

describe("graph figures", () => {
  it("polarity heatmap of the PSPI graph: 11 × 2 cells, six + and six −, substitute groups lettered", async () => {
    const g = pspiGraph();
    const svg = polarityHeatmapFigure(g);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/polarity-pspi.svg");
    expect(count(markGroups(svg, "facr-polarity")[0], "<rect")).toBe(22);
    expect(count(svg, />\+<\/text>/)).toBe(6 + 1); // six cells + the legend swatch
    expect(count(svg, />−<\/text>/)).toBe(6 + 1);
    const groups = markGroups(svg, "facr-group")[0];
    expect(count(groups, ">a<")).toBe(4); // {AU06, AU07} in both classes
    expect(count(groups, ">b<")).toBe(4); // {AU09, AU10}
    expect(svg).toContain("AU04 brow lowerer");
    expect(linesText(svg, "caption")).toContain("no_pain: a = {AU06, AU07}, b = {AU09, AU10}");
    expect(attributeNumbersRounded(svg)).toBe(true);
    // cell colors follow polarity: AU04 × pain is +1
    expect(polarityCells(g).find((c) => c.au === "AU04" && c.cls === "pain")?.p).toBe(1);
    expect(polarityCells(g).find((c) => c.au === "AU12" && c.cls === "pain")?.p).toBe(0);
  });

  it("draws the 17 × 7 emotion prototype graph and several graphs side by side", () => {
    const svg = polarityHeatmapFigure(emotionPrototypeGraph());
    expect(count(markGroups(svg, "facr-polarity")[0], "<rect")).toBe(17 * 7);
    const two = polarityPanelsFigure([{ graph: pspiGraph(), label: "G" }, { graph: pspiGraph(), label: "again" }], { data: { name: "X", synthetic: true } });
    expect(markGroups(two, "facr-polarity")).toHaveLength(2);
    expect(two).toContain("SYNTHETIC");
  });

  it("comparison: a verdict per edge and the compareGraphs scores in the caption", async () => {
    const reference = pspiGraph();
    // candidate: AU04 flipped for pain, AU43 missed, AU12 extra for pain (no_pain column as in PSPI)
    const polarity = reference.polarity.map((row, k) => {
      const au = reference.aus[k];
      if (au === "AU04") return [-1, -1];
      if (au === "AU43") return [-1, 0];
      if (au === "AU12") return [0, 1];
      return [...row];
    });
    const candidate = makeGraph({ aus: reference.aus, classes: reference.classes, polarity, groups: {}, provenance: { kind: "induced", source: "a test" } });
    const svg = graphComparisonFigure(candidate, reference, { candidateLabel: "induced", referenceLabel: "PSPI" });
    await expect(svg).toMatchFileSnapshot("./__snapshots__/graph-comparison.svg");
    const verdicts = markGroups(svg, "facr-verdict")[0];
    // 12 reference edges: 10 agree (incl. AU04 no_pain, AU43 no_pain), 1 flip, 1 missed; 1 extra
    expect(count(verdicts, "<rect")).toBe(13);
    expect(count(svg, ">✓</text>")).toBe(10 + 1); // + legend
    expect(count(svg, ">×</text>")).toBe(1 + 1);
    expect(count(svg, ">○</text>")).toBe(1 + 1);
    expect(linesText(svg, "caption")).toContain("Edge precision 0.92 (11 of the 12 candidate edges are reference edges), edge recall 0.92 (of 12), sign agreement 0.91.");
  });

  it("selection frequencies: one cell per AU × class, induced edges outlined, reference edges dotted", async () => {
    const g = makeGraph({ aus: ["AU04", "AU12"], classes: ["no_pain", "pain"], polarity: [[-1, 1], [0, 0]], groups: {}, provenance: { kind: "induced", source: "a test" } });
    const svg = selectionFrequencyFigure(
      { graph: g, frequencies: [[0.98, 1], [0.42, 0.5]], coefficients: [[-0.8, 0.9], [0, 0.05]], options: { resamples: 50, selectionThreshold: 0.8, minCoefficient: 0.15 }, resampling: { unit: "subjects" } },
      { reference: pspiGraph() },
    );
    await expect(svg).toMatchFileSnapshot("./__snapshots__/selection-frequency.svg");
    expect(count(markGroups(svg, "facr-edge")[0], "<rect")).toBe(2);
    expect(count(markGroups(svg, "facr-reference")[0], "<circle")).toBe(2);
    expect(svg).toContain(">−0.98<");
    expect(svg).toContain(">+0.50<");
    expect(linesText(svg, "caption")).toContain("π = 0.8");
    expect(linesText(svg, "caption")).toContain("Share of 50 subject-bootstrap resamples");
  });
});
