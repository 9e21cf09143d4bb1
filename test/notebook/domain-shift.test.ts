import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/data/dataset";
import { generateSynEmotion, synEmotionGraph } from "../../src/data/synemotion";
import type { CausalGraph } from "../../src/graph/graph";
import { describeDomain, domainShiftRows, synEmotionTruth } from "../../src/notebook/domain-shift";

/** Four frames, AUs 01 / 12 / 45, classes neutral / happiness; the graph marks AU12 +1 for happiness only. */
function tiny(truth: boolean): Dataset {
  return {
    name: "tiny",
    source: "synthetic",
    size: 4,
    aus: ["AU01", "AU12", "AU45"],
    // frame: AU01 AU12 AU45
    intensities: Float32Array.from([0, 0, 1, /* neutral */ 2, 0, 0, /* happiness */ 0, 4, 0, /* happiness */ 1, 0, 3]),
    subjects: ["s", "s", "s", "s"],
    sequences: ["s", "s", "s", "s"],
    frames: Int32Array.from([0, 1, 2, 3]),
    labels: { classes: ["neutral", "happiness"], y: Int32Array.from([0, 0, 1, 1]) },
    skipped: {},
    meta: truth ? { generator: "SynEmotion", truth: { prototypeOf: [0, 0, 0, 0], yawOffset: Float32Array.from([0, Math.PI / 18, Math.PI / 9, Math.PI / 9]) } } : {},
  } as unknown as Dataset;
}
const graph = { aus: ["AU12", "AU01", "AU45"], classes: ["happiness", "neutral"], polarity: [[1, 0], [0, 0], [0, 0]], groups: {}, provenance: {} } as unknown as CausalGraph;

describe("describeDomain (worked by hand)", () => {
  it("prototype presence and intensity, background without AU45, per-class yaw", () => {
    const d = describeDomain("x", tiny(true), graph);
    // prototype pairs: (frame 2, AU12) = 4 present, (frame 3, AU12) = 0 → 1 of 2, mean intensity 4
    expect(d.protoPresent).toBe(0.5);
    expect(d.protoIntensity).toBe(4);
    // background pairs: AU01 in all 4 frames + AU12 in the 2 neutral frames = 6; present: AU01 in frames 1, 3 → 2/6
    expect(d.background).toBeCloseTo(1 / 3, 12);
    // yaw: neutral (0° + 10°)/2 = 5°, happiness 20°
    expect(d.perClass.map((c) => c.meanYawDeg)).toEqual([expect.closeTo(5, 5), expect.closeTo(20, 5)]);
    expect(d.maxYaw).toBeCloseTo(20, 5);
    expect(d.perClass[1].prototype).toEqual([{ au: "AU12", present: 0.5 }]);
    expect(d.perClass[0].prototype).toEqual([]);
    expect(d.perClass[0].meanNoseOffset).toBeNull(); // no landmarks
    expect(domainShiftRows([d])[0]).toEqual({ domain: "x", "prototype AUs present": "50%", "mean intensity when present (FACS 1–5)": "4.00", "non-prototype AUs firing": "33.3%", "largest per-class mean yaw offset": "20.0°" });
  });

  it("reads meta.truth only from SynEmotion data; without it the yaw is n/a", () => {
    expect(synEmotionTruth(tiny(false))).toBeNull();
    const d = describeDomain("x", tiny(false), graph);
    expect(d.maxYaw).toBeNaN();
    expect(domainShiftRows([d])[0]["largest per-class mean yaw offset"]).toBe("n/a");
  });

  it("on SynEmotion: the source's yaw is class-correlated, the target's is not", () => {
    const emo = generateSynEmotion({ seed: 1, profile: "smoke", observations: false });
    expect(synEmotionTruth(emo.source)?.yawOffset.length).toBe(emo.source.size);
    const src = describeDomain("source", emo.source, synEmotionGraph());
    const tgt = describeDomain("target", emo.target, synEmotionGraph());
    expect(src.maxYaw).toBeGreaterThan(1);
    expect(tgt.maxYaw).toBeLessThan(src.maxYaw);
    expect(tgt.protoPresent).toBeLessThan(src.protoPresent);
  });
});
