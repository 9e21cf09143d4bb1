import { describe, expect, it } from "vitest";
import { confusionCells, confusionMatrixFigure } from "../../src/figures/confusion";
import { auCooccurrence, auCooccurrenceFigure, auShareFigure, classCountsFigure, pspiHistogramFigure, UNBC_PUBLISHED_SHARES } from "../../src/figures/data";
import { count, countInMarks, linesText, markGroups } from "./fixtures";

/** Four frames, two AUs: AU04 on in frames 0, 1; AU06 on in frames 1, 2. */
const tiny = {
  name: "Tiny (test)",
  source: "synthetic" as const,
  aus: ["AU04", "AU06"],
  size: 4,
  intensities: Float32Array.from([2, 0, 1, 3, 0, 1, 0, 0]),
  pspi: Float32Array.from([2, 4, 1, 0]),
};

describe("data figures", () => {
  it("co-occurrence: joint shares and φ match a hand count", () => {
    const joint = auCooccurrence(tiny, "joint");
    expect(joint.find((c) => c.a === "AU04" && c.b === "AU06")?.value).toBeCloseTo(0.25);
    expect(joint.find((c) => c.a === "AU04" && c.b === "AU04")?.value).toBeCloseTo(0.5);
    // φ = (p11 − pa pb) / sqrt(pa(1−pa) pb(1−pb)) = (0.25 − 0.25) / 0.25 = 0
    expect(auCooccurrence(tiny, "phi").find((c) => c.a === "AU04" && c.b === "AU06")?.value).toBeCloseTo(0);
    const svg = auCooccurrenceFigure(tiny);
    expect(count(markGroups(svg, "facr-cooccurrence")[0], "<rect")).toBe(2); // diagonal left blank
    expect(svg).toContain("SYNTHETIC");
    expect(svg).toContain("φ: correlation of AU presence (unitless)");
  });

  it("AU shares: a bar per AU for the data and one per published UNBC share, PSPI > 0 beside them", async () => {
    const aus = ["AU04", "AU06", "AU27"];
    const svg = auShareFigure({ name: "TinyPain", source: "synthetic", auActiveShare: { AU04: 0.03, AU06: 0.12, AU27: 0.002 }, pspiPositiveShare: 0.19, frames: 1000 });
    await expect(svg).toMatchFileSnapshot("./__snapshots__/au-share.svg");
    // data: 3 AUs + PSPI; UNBC: AU04, AU06 (no AU27 share published) + PSPI
    expect(countInMarks(svg, "facr-share", "<rect")).toBe(4 + 3);
    expect(aus.filter((a) => a in UNBC_PUBLISHED_SHARES)).toEqual(["AU04", "AU06"]);
    expect(svg).toContain("frames with the AU active (%)");
    expect(svg).toContain("UNBC-McMaster (published)");
    expect(svg).toContain("SYNTHETIC");
  });

  it("PSPI histogram: a bar per PSPI value present, PSPI > 0 share in the caption", () => {
    const svg = pspiHistogramFigure(tiny);
    expect(count(markGroups(svg, "facr-pspi")[0], "<rect")).toBe(4);
    expect(linesText(svg, "caption")).toContain("PSPI > 0 in 75.0%");
    expect(() => pspiHistogramFigure({ name: "no pspi", source: "synthetic" })).toThrow(/no per-frame PSPI/);
  });

  it("class counts: a bar per domain × class", () => {
    const svg = classCountsFigure([
      { domain: "source", summary: { name: "SynEmotion source (profile smoke, seed 1)", source: "synthetic", classCounts: { anger: 5, fear: 5 } } },
      { domain: "target", summary: { name: "SynEmotion target (profile smoke, seed 1)", source: "synthetic", classCounts: { anger: 2, fear: 8 } } },
    ]);
    expect(countInMarks(svg, "facr-class", "<rect")).toBe(4);
    expect(svg).toContain("SynEmotion (profile smoke, seed 1) — SYNTHETIC");
  });

  it("confusion matrices: row shares, counts written in, shape checked", async () => {
    const m = { classes: ["no_pain", "pain"], counts: [[8, 2], [1, 3]], title: "FACR (G)" };
    expect(confusionCells(m).map((c) => c.share)).toEqual([0.8, 0.2, 0.25, 0.75]);
    const svg = confusionMatrixFigure([m, { ...m, title: "baseline" }], { data: { name: "TinyPain", synthetic: true } });
    await expect(svg).toMatchFileSnapshot("./__snapshots__/confusion.svg");
    expect(markGroups(svg, "facr-confusion")).toHaveLength(2);
    expect(svg).toContain(">8<");
    expect(svg).toContain("SYNTHETIC");
    expect(() => confusionMatrixFigure({ classes: ["a", "b"], counts: [[1, 2]] })).toThrow(/2 × 2/);
  });
});
