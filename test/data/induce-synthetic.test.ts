import { describe, expect, it } from "vitest";
import { generateSynEmotion, synEmotionGraph } from "../../src/data/synemotion";
import { generateSynPain } from "../../src/data/synpain";
import { compareGraphs } from "../../src/graph/compare";
import { causalAus } from "../../src/graph/graph";
import { formatInductionTable, inducePolarityGraph } from "../../src/graph/induce";
import { emotionPrototypeGraph, pspiGraph } from "../../src/graph/known";

/** Graph induction on the generators' graph-source data (spec §6; disjoint cohorts). */
describe("inducePolarityGraph on synthetic graph-source data", () => {
  it("recovers every PSPI AU as a positive edge for pain on SynPain (presence features)", () => {
    for (const seed of [7, 8, 9]) {
      // a separate cohort (other subjects, other seed) standing in for graph-source data
      const pain = generateSynPain({ seed, profile: "paper", observations: false, subjectPrefix: "GS" });
      const presence = { ...pain, intensities: pain.intensities.map((v) => (v > 0 ? 1 : 0)) };
      const r = inducePolarityGraph(presence, pain.labels!, { seed });
      const cmp = compareGraphs(r.graph, pspiGraph());
      console.log(`seed ${seed}: pain edges ${cmp.perClass.pain.candidate.join(" ")}`);
      expect(cmp.edgeRecall).toBe(1); // all six PSPI AUs, both classes, right signs
      expect(cmp.signAgreement).toBe(1);
      // extra edges, if any, are weaker than every PSPI edge (AU12, the "pain smile", rides on AU6 in Duchenne smiles)
      const pain1 = 1;
      const weakestPspi = Math.min(...causalAus(pspiGraph(), pain1).map((k) => r.coefficients[k][pain1]));
      for (const k of causalAus(r.graph, pain1)) {
        if (pspiGraph().polarity[k][pain1] === 0) expect(r.coefficients[k][pain1]).toBeLessThan(weakestPspi);
      }
    }
  });

  it("recovers the generating prototypes of SynEmotion with edge precision and recall ≥ 0.9, and prints the FACS comparison", () => {
    const em = generateSynEmotion({ seed: 1, profile: "paper", observations: false });
    const r = inducePolarityGraph(em.graphSource, em.graphSource.labels!, { seed: 1 });
    const positive = compareGraphs(r.graph, synEmotionGraph(), { edges: "positive" });
    expect(positive.edgePrecision).toBeGreaterThanOrEqual(0.9);
    expect(positive.edgeRecall).toBeGreaterThanOrEqual(0.9);
    expect(positive.signAgreement).toBe(1);
    // neutral: every prototype AU lowers it
    const negative = compareGraphs(r.graph, synEmotionGraph(), { edges: "negative" });
    expect(negative.perClass.neutral.edgeRecall).toBe(1);
    const facs = compareGraphs(r.graph, emotionPrototypeGraph(), { edges: "positive" });
    console.log(formatInductionTable(r, emotionPrototypeGraph()));
    console.log(`positive edges vs FACS prototypes: precision ${facs.edgePrecision.toFixed(2)}, recall ${facs.edgeRecall.toFixed(2)}`);
    expect(facs.edgeRecall).toBeGreaterThanOrEqual(0.9);
  });

  it("never sees source or target data: it reads the graph-source subjects only", () => {
    const em = generateSynEmotion({ seed: 2, profile: "smoke", observations: false });
    const r = inducePolarityGraph(em.graphSource, em.graphSource.labels!, { seed: 2, resamples: 5 });
    const used = new Set(em.graphSource.subjects);
    for (const s of [...em.source.subjects, ...em.target.subjects]) expect(used.has(s)).toBe(false);
    expect(r.resampling.units).toBe(used.size);
  });
});
