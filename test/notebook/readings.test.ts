import { describe, expect, it } from "vitest";
import type { EmotionTransferResult } from "../../src/experiments/emotion-transfer";
import type { PspiResult } from "../../src/experiments/pspi";
import type { DomainDescription } from "../../src/notebook/domain-shift";
import { costWords, emotionReading, gainWords, majorityClass, pspiReading } from "../../src/notebook/readings";

const iv = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, dropped: 0 });
const arm = (k: number, acc = 0.3) => ({ agreement: { G: { kappa: iv(k, k - 0.05, k + 0.05) } }, detection: { accuracy: iv(acc, acc - 0.05, acc + 0.05) } });

/** A PSPI result with only what the reading reads. */
function pspi(o: { gain: [number, number, number]; auc: [number, number, number]; f1: [number, number, number]; cG?: [number, number, number]; cGp?: [number, number, number]; pb?: [number, number, number]; fp?: [number, number, number]; synthetic?: boolean; profile?: string }): PspiResult {
  const d: Record<string, Record<string, ReturnType<typeof iv>>> = {
    "facr-baseline": { "agreement|G|kappa": iv(...o.gain), "detection|auc": iv(...o.auc), "detection|f1": iv(...o.f1) },
    "facr-bottleneck": { "agreement|G|kappa": iv(0.3, 0.1, 0.5) },
  };
  if (o.cG && o.cGp) d["control-baseline"] = { "agreement|G|kappa": iv(...o.cG), "agreement|G'|kappa": iv(...o.cGp) };
  if (o.pb && o.fp) {
    d["permuted-baseline"] = { "agreement|Gperm|kappa": iv(...o.pb) };
    d["facr-permuted"] = { "agreement|G|kappa": iv(...o.fp) };
  }
  const withAuroc = (a: ReturnType<typeof arm>) => ({ ...a, agreement: { ...a.agreement, G: { ...a.agreement.G, auroc: iv(0.7, 0.6, 0.8) } } });
  return {
    profile: o.profile ?? "smoke",
    data: { name: "SynPain (profile smoke, seed 1)", synthetic: o.synthetic ?? true, summary: { frames: 800, subjects: 8 }, regime: { name: "preregistered", auVisibility: 0.5, shortcutStrength: 0.5, auLabelNoise: 0.1 } },
    config: { folds: 2, seeds: [1], bootstrap: { resamples: 200 } },
    interventions: { quantile: 0.95 },
    arms: {
      baseline: withAuroc(arm(0.1)),
      facr: withAuroc(arm(0.5)),
      bottleneck: arm(0.2),
      ...(o.pb ? { permuted: { ...arm(0.15), overlapKappa: { mean: 0.1, perSeed: {} } } } : {}),
    },
    differences: d,
  } as unknown as PspiResult;
}

const bullet = (text: string, label: string) => text.split("\n").find((l) => l.includes(`**${label}`)) ?? "";

describe("interval words", () => {
  it("never calls an interval below 0 'no cost', nor one including 0 a gain", () => {
    expect(costWords(iv(-0.02, -0.04, -0.01))).toBe("lower than the baseline's, the CI below 0: a cost");
    expect(costWords(iv(-0.02, -0.04, -0.01))).not.toMatch(/no cost/);
    expect(costWords(iv(0.02, 0.01, 0.04))).toMatch(/CI above 0: no cost/);
    expect(costWords(iv(0, -0.02, 0.02))).toMatch(/not distinguishable/);
    expect(costWords(iv(0, -0.02, 0.02))).not.toMatch(/no cost/);
    expect(gainWords(iv(0.1, -0.01, 0.2))).toMatch(/includes 0: no gain shown/);
    expect(gainWords(iv(0.3, 0.1, 0.5))).toMatch(/excludes 0: the objective raises/);
    expect(gainWords(iv(-0.3, -0.5, -0.1))).toMatch(/\*less\* faithful/);
  });

  it("with C2's margin: a cost within or beyond −0.05 by the lower bound", () => {
    expect(costWords(iv(-0.02, -0.04, -0.01), true)).toBe("lower than the baseline's, the CI below 0: a cost, within C2's 0.05 margin");
    expect(costWords(iv(-0.05, -0.08, -0.01), true)).toBe("lower than the baseline's, the CI below 0: a cost, beyond C2's 0.05 margin");
    expect(costWords(iv(0, -0.06, 0.02), true)).toBe("not distinguishable from the baseline's, the CI includes 0; the lower bound is beyond C2's 0.05 margin: a cost beyond it is not ruled out");
    expect(costWords(iv(0, -0.02, 0.02), true)).toBe("not distinguishable from the baseline's, the CI includes 0; the lower bound is within C2's 0.05 margin");
  });
});

describe("pspiReading", () => {
  const good = { gain: [0.4, 0.3, 0.5], auc: [-0.01, -0.03, 0.01], f1: [-0.02, -0.04, 0], cG: [-0.1, -0.2, 0.0], cGp: [0.5, 0.4, 0.6], pb: [0.4, 0.3, 0.5], fp: [0.3, 0.2, 0.4] } as const;

  it("says SYNTHETIC with a known structure, and the profile caveat", () => {
    const text = pspiReading(pspi({ ...good } as never));
    expect(bullet(text, "Data")).toMatch(/SYNTHETIC with a known structure/);
    expect(bullet(text, "Data")).toMatch(/Profile \*\*smoke\*\* — a small run/);
    expect(text).toMatch(/anything about real faces — the data are synthetic/);
    const real = pspiReading(pspi({ ...good, synthetic: false, profile: "paper" } as never));
    expect(real).not.toMatch(/SYNTHETIC/);
    expect(real).toMatch(/real data, not synthetic/);
  });

  it("takes C1–C3's verdicts from the claims criteria", () => {
    const text = pspiReading(pspi({ ...good } as never));
    expect(bullet(text, "C1")).toMatch(/Claim C1 \*\*reproduced\*\* at profile smoke \(criterion: FACR − baseline κ > 0 .*≥ 0\.245\)\)/);
    expect(bullet(pspiReading(pspi({ ...good, profile: "paper" } as never)), "C1")).toMatch(/Claim C1 \*\*reproduced\*\* \(criterion/);
    expect(bullet(text, "C2")).toMatch(/Claim C2 \*\*reproduced\*\*/);
    expect(bullet(text, "C3 (random")).toMatch(/Claim C3 \*\*reproduced\*\*/);
    expect(bullet(text, "C3 (random")).toMatch(/overlap with G alone predicts 0\.100/);
    expect(bullet(pspiReading(pspi({ ...good, fp: [0.05, -0.02, 0.1] } as never)), "C3 (random")).toMatch(/Claim C3 \*\*not reproduced\*\* .*does not exceed/);
    expect(bullet(text, "C3′")).toMatch(/Claim C3′ \*\*reproduced\*\*/);
    expect(bullet(text, "C3′")).toMatch(/attributable to the objective/);
    // a gain with the CI above 0 but under half the paper's: not reproduced, and says why
    const small = pspiReading(pspi({ ...good, gain: [0.2, 0.1, 0.3] } as never));
    expect(bullet(small, "C1")).toMatch(/the CI excludes 0/);
    expect(bullet(small, "C1")).toMatch(/\*\*not reproduced\*\* .*gain smaller than half the paper's/);
  });

  it("calls a detection CI below 0 a cost, and fails C2 beyond the margin", () => {
    const text = pspiReading(pspi({ ...good, auc: [-0.06, -0.09, -0.03] } as never));
    const c2 = bullet(text, "C2");
    expect(c2).toMatch(/AUC = -0\.060 \[-0\.090, -0\.030\] \(lower than the baseline's, the CI below 0: a cost, beyond C2's 0\.05 margin\)/);
    expect(c2).not.toMatch(/no cost/);
    expect(c2).toMatch(/Claim C2 \*\*not reproduced\*\* .*a lower bound at or below −0\.05/);
  });

  it("reads the control with C3's tolerance (upper bound ≤ 0.05), and attributes no gain when there is none", () => {
    // control − baseline on G slightly above 0 but within 0.05: the pattern holds
    const within = pspiReading(pspi({ ...good, cG: [0.01, -0.02, 0.04] } as never));
    expect(bullet(within, "C3′")).toMatch(/fidelity follows whichever graph/);
    const above = pspiReading(pspi({ ...good, cG: [0.05, 0.02, 0.08] } as never));
    expect(bullet(above, "C3′")).toMatch(/not the clean pattern/);
    expect(bullet(above, "C3′")).toMatch(/Claim C3′ \*\*not reproduced\*\*/);
    const noGain = pspiReading(pspi({ ...good, gain: [0.05, -0.05, 0.15] } as never));
    expect(bullet(noGain, "C3′")).toMatch(/no FACR gain shown at this profile there is no gain to attribute/);
    expect(bullet(noGain, "C3′")).not.toMatch(/attributable/);
    expect(pspiReading(pspi({ gain: good.gain, auc: good.auc, f1: good.f1 } as never))).not.toMatch(/\*\*C3/);
  });
});

describe("emotionReading", () => {
  function emotion(gain: [number, number, number], acc: [number, number, number]): EmotionTransferResult {
    const summary = (frames: number, classCounts?: Record<string, number>) => ({ frames, subjects: 4, classCounts });
    return {
      profile: "smoke",
      config: { seeds: [1], bootstrap: { resamples: 200 } },
      data: {
        source: { name: "SynEmotion source", synthetic: true, summary: summary(300) },
        target: { name: "SynEmotion target", synthetic: true, summary: summary(200, { neutral: 80, happiness: 120 }) },
        graphSource: { name: "SynEmotion graphSource", synthetic: true, summary: summary(200) },
      },
      induction: { subjectIds: ["a", "b", "c"], vsPrototypesPositive: { edgePrecision: 0.75, edgeRecall: 0.5, counts: { shared: 6, reference: 12 } } },
      arms: { baseline: arm(0.2, 0.3), facr: arm(0.6, 0.35) },
      differences: {
        "facr-baseline": { "agreement|G|kappa": iv(...gain), "agreement|prototypes|kappa": iv(0.1, 0.05, 0.15), "detection|accuracy": iv(...acc), "detection|macroF1": iv(0, -0.1, 0.1) },
      },
    } as unknown as EmotionTransferResult;
  }
  const shift = [
    { domain: "source", protoPresent: 0.9, protoIntensity: 3.2, background: 0.021, maxYaw: 12.34 },
    { domain: "target", protoPresent: 0.55, protoIntensity: 2.1, background: 0.083, maxYaw: 0 },
  ] as DomainDescription[];

  it("takes C4's verdict from checkC4 and quotes its criterion", () => {
    const ok = emotionReading(emotion([0.4, 0.3, 0.5], [0.05, 0.01, 0.09]), shift);
    expect(bullet(ok, "C4")).toMatch(/Claim C4 \*\*reproduced\*\* at profile smoke \(criterion: FACR − baseline fidelity κ on target: .*≥ 0\.17\)\)/);
    const no = emotionReading(emotion([0.1, -0.1, 0.3], [0.05, 0.01, 0.09]), shift);
    expect(bullet(no, "C4")).toMatch(/the CI includes 0: no gain shown/);
    expect(bullet(no, "C4")).toMatch(/\*\*not reproduced\*\* .*CI of the gain includes 0/);
  });

  it("never calls an accuracy drop 'no cost'", () => {
    const text = emotionReading(emotion([0.4, 0.3, 0.5], [-0.1, -0.15, -0.05]), shift);
    expect(bullet(text, "Accuracy cost")).toMatch(/accuracy = -0\.100 \[-0\.150, -0\.050\] \(lower than the baseline's, the CI below 0: a cost\)/);
  });

  it("says SYNTHETIC, the majority share, and the shift (or that it cannot be quantified)", () => {
    const r = emotion([0.4, 0.3, 0.5], [0.05, 0.01, 0.09]);
    expect(majorityClass(r)).toEqual({ name: "happiness", share: 0.6 });
    const text = emotionReading(r, shift);
    expect(bullet(text, "Data")).toMatch(/SYNTHETIC SynEmotion with a known structure/);
    expect(bullet(text, "Target accuracy")).toMatch(/0\.300–0\.350, against chance 1\/7 = 0\.143 and a majority-class \(happiness\) share of 0\.600 — every arm is below/);
    expect(bullet(text, "Target accuracy")).toMatch(/present in 55% of target cases against 90% in the source, at mean intensity 2\.10 against 3\.20, .* fire in 8\.3% against 2\.1%; .* up to 12\.3°\), .* gone on the target \(0\.0°\)/);
    expect(emotionReading(r, null)).toMatch(/cannot be quantified/);
    expect(emotionReading(r, null)).toMatch(/\*\*Control\*\*: the control arm was not run/);
  });
});
