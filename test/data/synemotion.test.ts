import { describe, expect, it } from "vitest";
import { compareGraphs } from "../../src/graph/compare";
import { emotionPrototypeGraph, EMOTION_CLASSES } from "../../src/graph/known";
import { generateSynEmotion, GENERATING_PROTOTYPES, synEmotionGraph } from "../../src/data/synemotion";

describe("SynEmotion", () => {
  const data = generateSynEmotion({ seed: 1, profile: "quick" });

  it("has three domains with disjoint subjects, 7 classes and 17 OpenFace AUs", () => {
    const subj = (d: typeof data.source) => new Set(d.subjects);
    const [s, t, g] = [subj(data.source), subj(data.target), subj(data.graphSource)];
    for (const id of s) expect(t.has(id) || g.has(id)).toBe(false);
    for (const id of t) expect(g.has(id)).toBe(false);
    expect(data.source.aus.length).toBe(17);
    expect(data.source.labels!.classes).toEqual([...EMOTION_CLASSES]);
    expect(data.target.landmarks!.points).toBe(68);
  });

  it("is byte-identical per seed", () => {
    const again = generateSynEmotion({ seed: 1, profile: "quick" });
    expect(Buffer.from(again.target.intensities.buffer).equals(Buffer.from(data.target.intensities.buffer))).toBe(true);
    expect(Buffer.from(again.source.landmarks!.data.buffer).equals(Buffer.from(data.source.landmarks!.data.buffer))).toBe(true);
  });

  it("shows strong complete prototypes on source and weaker partial ones on target", () => {
    const rate = (d: typeof data.source, cls: string, au: string) => {
      const c = EMOTION_CLASSES.indexOf(cls as never);
      const k = d.aus.indexOf(au);
      let on = 0, n = 0, sum = 0;
      for (let i = 0; i < d.size; i++) if (d.labels!.y[i] === c) { n++; const v = d.intensities[i * d.aus.length + k]; if (v > 0) { on++; sum += v; } }
      return { share: on / n, mean: sum / Math.max(1, on) };
    };
    const src = rate(data.source, "happiness", "AU12");
    const tgt = rate(data.target, "happiness", "AU12");
    expect(src.share).toBeGreaterThan(0.9);
    expect(tgt.share).toBeLessThan(src.share);
    expect(tgt.mean).toBeLessThan(src.mean);
  });

  it("correlates head yaw with the class on source only (the nuisance)", () => {
    const meanYaw = (d: typeof data.source, c: number) => {
      const yaw = (d.meta.truth as { yawOffset: Float32Array }).yawOffset;
      let s = 0, n = 0;
      for (let i = 0; i < d.size; i++) if (d.labels!.y[i] === c) { s += yaw[i]; n++; }
      return s / n;
    };
    expect(meanYaw(data.source, 1)).toBeGreaterThan(0.2); // anger turned one way
    expect(meanYaw(data.source, 2)).toBeLessThan(-0.2); // disgust the other
    expect(meanYaw(data.target, 1)).toBe(0);
  });

  it("has a generating graph whose positive edges are the FACS-prototype graph's", () => {
    const g = synEmotionGraph();
    const cmp = compareGraphs(g, emotionPrototypeGraph());
    expect(cmp.edgePrecision).toBe(1);
    expect(cmp.edgeRecall).toBe(1);
    expect(cmp.signAgreement).toBe(1);
    for (const protos of Object.values(GENERATING_PROTOTYPES)) expect(protos.reduce((a, p) => a + p.p, 0)).toBeCloseTo(1, 12);
  });
});
