import { describe, expect, it } from "vitest";
import { pspiFigures } from "../../src/figures/pspi";
import { channelsFigure, controlsFigure, Protocol2ResultLike, wrongGraphFigure } from "../../src/figures/pspi-protocol";
import { ciSign, mapCells, regimeMapFigure, sensitivityFigures, SensitivityResultLike } from "../../src/figures/sensitivity";
import { count, countInMarks, fakePspiResult, iv, linesText, markGroups } from "./fixtures";

/** The fixture with the second protocol's arms and measures: G_perm, wrong G_1..3, channels, the Gtrain slot, overlap-predicted κ. */
function protocol2Result(): Protocol2ResultLike {
  const r = fakePspiResult() as Protocol2ResultLike;
  const arms = r.arms;
  const clone = (a: string) => JSON.parse(JSON.stringify(arms[a]));
  arms.permuted = { ...clone("control"), overlapKappa: { mean: 0.4 } };
  for (const k of [1, 2, 3]) arms[`wrongG${k}`] = { ...clone("facr"), overlapKappa: { mean: 1 - 0.3 * k } };
  for (const [a, s] of Object.entries(arms)) {
    s.agreement.Gtrain = { ...s.agreement.G, kappa: a === "control" || a === "permuted" ? iv(0.8, 0.7, 0.9) : s.agreement.G.kappa };
    s.channels = { hFixed: { auc: iv(0.6, 0.55, 0.65) }, zFixed: { auc: iv(0.9, 0.85, 0.95) } };
  }
  for (const k of [1, 2, 3]) arms[`wrongG${k}`].agreement.G = { ...arms[`wrongG${k}`].agreement.G, kappa: iv(0.95 - 0.3 * k, 0.9 - 0.3 * k, 0.99 - 0.3 * k) };
  return r;
}

describe("second-protocol PSPI figures", () => {
  it("are drawn only when their arms exist: a first-protocol result builds without them", () => {
    const old = pspiFigures(fakePspiResult()).map((f) => f.name);
    for (const n of ["pspi-wrong-graph", "pspi-channels", "pspi-controls"]) expect(old).not.toContain(n);
    const names = pspiFigures(protocol2Result()).map((f) => f.name);
    for (const n of ["pspi-agreement", "pspi-wrong-graph", "pspi-channels", "pspi-controls"]) expect(names).toContain(n);
  });

  it("the clean regime's set: every name prefixed pspi-clean-, every title suffixed", () => {
    const figs = pspiFigures(protocol2Result(), { prefix: "pspi-clean-", titleSuffix: "(clean regime)" });
    expect(figs.map((f) => f.name)).toContain("pspi-clean-wrong-graph");
    expect(figs.every((f) => f.name.startsWith("pspi-clean-"))).toBe(true);
    // titles may wrap between the two words
    for (const f of figs) if (f.svg) expect(f.svg).toMatch(/\(clean(<\/text><text[^>]*>| )regime\)/);
    for (const f of figs) if (f.plotly) expect(JSON.stringify(f.plotly.layout.title)).toContain("(clean regime)");
    // the suffix does not leak into figures drawn afterwards
    expect(pspiFigures(protocol2Result())[0].svg).not.toContain("(clean regime)");
  });

  it("wrong G: three panels, one point per k = 0…3, CI bars, the question in the title, SYNTHETIC", () => {
    const svg = wrongGraphFigure(protocol2Result())!;
    const estimates = markGroups(svg, "facr-estimate");
    expect(estimates).toHaveLength(3);
    for (const g of estimates) expect(count(g, "<circle")).toBe(4);
    expect(countInMarks(svg, "facr-interval", "<line")).toBe(12);
    expect(svg).toContain("Does enforcing a wrong graph cost anything, and can the data tell?");
    expect(svg).toContain("κ with the graph it was trained");
    expect(svg).toContain("κ with the true G");
    expect(linesText(svg, "data-line")).toContain("SYNTHETIC");
    // skips missing arms; needs FACR and one wrong G
    const r = protocol2Result();
    delete r.arms.wrongG2;
    expect(count(markGroups(wrongGraphFigure(r)!, "facr-estimate")[0], "<circle")).toBe(3);
    delete r.arms.wrongG1;
    delete r.arms.wrongG3;
    expect(wrongGraphFigure(r)).toBeNull();
  });

  it("channels: AUC with everything, h fixed and z fixed, one estimate per arm in each", () => {
    const r = protocol2Result();
    const svg = channelsFigure(r)!;
    const estimates = markGroups(svg, "facr-estimate");
    expect(estimates).toHaveLength(3);
    for (const g of estimates) expect(count(g, "<circle")).toBe(Object.keys(r.arms).length);
    expect(svg).toContain("h fixed: z decides alone");
    expect(svg).toContain("z fixed: h decides alone");
    expect(channelsFigure(fakePspiResult() as Protocol2ResultLike)).toBeNull();
  });

  it("controls: κ with G and with the own graph for baseline, FACR and both controls; the overlap prediction for G_perm only", () => {
    const svg = controlsFigure(protocol2Result())!;
    const estimates = markGroups(svg, "facr-estimate");
    expect(estimates).toHaveLength(2);
    for (const g of estimates) expect(count(g, "<circle")).toBe(4);
    expect(countInMarks(svg, "facr-overlap-predicted", "<path")).toBe(1);
    expect(svg).toContain("predicted 0.40");
    expect(controlsFigure(fakePspiResult() as Protocol2ResultLike)).toBeNull();
  });
});

/** A 2 × 2 regime map with the pre-registered cell, arms baseline, FACR and RRR, and the bypass sweep. */
function sensitivityResult(): SensitivityResultLike {
  const arm = (gain: [number, number, number], change: [number, number, number]) => ({
    kappa: iv(0.5, 0.4, 0.6),
    auc: iv(0.9, 0.85, 0.95),
    aucHFixed: iv(0.7, 0.6, 0.8),
    kappaGain: iv(...gain),
    aucChange: iv(...change),
  });
  const cells = [0.5, 1].flatMap((v) =>
    [0.5, 1].map((s) => ({
      auVisibility: v,
      shortcutStrength: s,
      arms: {
        baseline: { ...arm([0, 0, 0], [0, 0, 0]), kappaGain: null, aucChange: null },
        // FACR: a gain with a CI above 0 everywhere; a cost (CI below 0) only at shortcut 1
        facr: arm([0.6, 0.5, 0.7], s === 1 ? [-0.05, -0.08, -0.02] : [-0.01, -0.03, 0.01]),
        // RRR: nothing distinguishable from 0
        rrr: arm([0.02, -0.05, 0.09], [0.001, -0.01, 0.012]),
      },
    })),
  );
  return {
    data: { name: "TinyPain (test fixture)", source: "synthetic", synthetic: true },
    profile: "smoke",
    config: { labelNoise: 0.1, pspi: { seeds: [1], folds: 2, bootstrap: { resamples: 50 } } },
    cells,
    bypass: [0, 16].flatMap((d) => ["baseline", "facr"].map((a) => ({ d, arm: a, trainedArm: a, measures: arm([0, 0, 0], [0, 0, 0]) }))),
  };
}

describe("sensitivity figures", () => {
  const r = sensitivityResult();

  it("names the three figures", () => {
    expect(sensitivityFigures(r).map((f) => f.name)).toEqual(["sensitivity-fidelity-gain", "sensitivity-detection-change", "sensitivity-bypass"]);
    expect(sensitivityFigures({ ...r, cells: [] }).map((f) => f.name)).toEqual(["sensitivity-bypass"]);
  });

  it("heatmaps: one cell per arm × regime (baseline left out), the pre-registered cell outlined once per arm", () => {
    for (const measure of ["kappaGain", "aucChange"] as const) {
      const svg = regimeMapFigure(r, measure);
      expect(countInMarks(svg, "facr-map-cell", "<rect")).toBe(2 * 4);
      expect(countInMarks(svg, "facr-preregistered", "<rect")).toBe(2);
      expect(svg).toContain("FACR (G)");
      expect(svg).toContain("RRR (input-gradient penalty)");
      expect(svg).not.toContain("baseline (λ_cf = 0)</text>");
      expect(linesText(svg, "data-line")).toContain("SYNTHETIC");
      expect(linesText(svg, "caption")).toContain("The outlined cell is the pre-registered regime");
    }
  });

  it("marks the cells whose CI excludes 0, and only those", () => {
    // fidelity gain: FACR's 4 cells, none of RRR's
    expect(countInMarks(regimeMapFigure(r, "kappaGain"), "facr-ci-excludes-0", "<text")).toBe(4);
    // detection change: FACR's 2 cells at shortcut 1
    const det = regimeMapFigure(r, "aucChange");
    expect(countInMarks(det, "facr-ci-excludes-0", "<text")).toBe(2);
    expect(det).toContain("−0.050*");
    expect(det).toContain("−0.010<");
    const cells = mapCells(r, "aucChange").filter((c) => c.excludesZero);
    expect(cells.map((c) => `${c.arm} ${c.visibility}/${c.shortcut}`)).toEqual(["facr 0.5/1", "facr 1/1"]);
    expect([ciSign(iv(0.1, 0.05, 0.2)), ciSign(iv(-0.1, -0.2, -0.05)), ciSign(iv(0, -0.1, 0.1)), ciSign(null)]).toEqual([1, -1, 0, 0]);
  });

  it("says the pre-registered regime is off the grid when it is", () => {
    const off = { ...r, cells: r.cells.filter((c) => !(c.auVisibility === 0.5 && c.shortcutStrength === 0.5)) };
    const svg = regimeMapFigure(off, "kappaGain");
    expect(countInMarks(svg, "facr-preregistered", "<rect")).toBe(0);
    expect(linesText(svg, "caption")).toContain("is not on this grid");
  });

  it("bypass: κ, AUC and AUC with h fixed against d, one point per series and d, CI bars", () => {
    const svg = sensitivityFigures(r).find((f) => f.name === "sensitivity-bypass")!.svg!;
    const estimates = markGroups(svg, "facr-estimate");
    expect(estimates).toHaveLength(3);
    for (const g of estimates) expect(count(g, "<circle")).toBe(4);
    expect(countInMarks(svg, "facr-interval", "<line")).toBe(12);
    expect(svg).toContain("λ_cf = 0");
    expect(svg).toContain("AUC with h fixed");
  });
});
