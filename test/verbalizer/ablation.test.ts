import { describe, expect, it } from "vitest";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { measureVerbalizer, sameOthers } from "../../src/verbalizer/ablation";
import { createLm } from "../../src/verbalizer/lm";
import { BACKBONES } from "../../src/verbalizer/lm-base";
import { sharedVocabulary } from "./fixtures";

describe("ablation measurement", () => {
  it("stability compares the other mentions only (hand-worked)", () => {
    expect(sameOthers(["AU04", "AU07"], ["AU07"], "AU04")).toBe(true); // removed, rest kept
    expect(sameOthers(["AU04", "AU07"], ["AU07", "AU04"], "AU04")).toBe(true); // not removed, rest kept
    expect(sameOthers(["AU04", "AU07"], ["AU07", "AU06"], "AU04")).toBe(false); // a substitute came in
    expect(sameOthers(["AU04", "AU07"], [], "AU04")).toBe(false); // AU07 lost
    expect(sameOthers(["AU04"], [], "AU04")).toBe(true);
  });

  it("holds the gate's invariants whatever the model: gated removal 1 and mention precision 1, free removal 0 and stability 1", () => {
    const vocab = sharedVocabulary();
    const G = pspiGraph();
    const K = G.aus.length;
    const rng = new Rng(4);
    const n = 30;
    const samples = {
      activations: Float32Array.from({ length: n * K }, () => (rng.bernoulli(0.5) ? rng.next() : 0)),
      predicted: Int32Array.from({ length: n }, () => rng.int(2)),
      subjects: Array.from({ length: n }, (_, i) => `S${i % 5}`),
    };
    for (const kind of BACKBONES) {
      // untrained: the measurement must not depend on the model being any good
      const lm = createLm(vocab, { kind, seed: 3, ...(kind === "gru" ? { hidden: 16 } : { dModel: 16, heads: 2, layers: 1, mlpHidden: 16 }) });
      const gated = measureVerbalizer(lm, G, samples, { decode: { mode: "gated", beta: 3, theta: 0.3, maxTokens: 14 }, bootstrap: { resamples: 30 } });
      const free = measureVerbalizer(lm, G, samples, { decode: { mode: "free", maxTokens: 14 }, bootstrap: { resamples: 30 } });
      expect(gated.ablations).toBeGreaterThan(0);
      expect(gated.measures.removal).toMatchObject({ estimate: 1, lo: 1, hi: 1 });
      expect(gated.measures.mentionPrecision.estimate).toBe(1);
      expect(free.measures.removal.estimate).toBe(0);
      expect(free.measures.stability.estimate).toBe(1);
      expect(gated.samples).toBe(n);
      expect(gated.subjects).toBe(5);
      for (const r of [gated, free]) {
        for (const m of Object.values(r.measures)) if (!Number.isNaN(m.estimate)) expect(m.lo).toBeLessThanOrEqual(m.hi + 1e-12);
        expect(r.measures.kappaActive.estimate).toBeGreaterThanOrEqual(-1);
        expect(r.measures.kappaActive.estimate).toBeLessThanOrEqual(1);
        expect(r.measures.perplexity.estimate).toBeGreaterThan(1);
      }
      expect(() => measureVerbalizer(lm, G, { ...samples, subjects: ["x"] })).toThrow(/subjects/);
      lm.dispose();
    }
  });
});
