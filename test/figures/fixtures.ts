import { pspiGraph } from "../../src/graph/known";
import type { PspiResultLike } from "../../src/figures/pspi";
import type { FoldRowLike, IntervalLike } from "../../src/figures/result-types";
import type { VerbalizerAuditRowLike, VerbalizerResultLike } from "../../src/figures/verbalizer";

/** An interval; `null` ends mean "no CI" (as the JSON writes NaN). */
export const iv = (estimate: number, lo: number | null, hi: number | null): IntervalLike => ({ estimate, lo, hi });

const AGREEMENT = ["kappa", "jaccard", "precision", "recall", "f1", "polarityAccuracy", "auroc", "invokedRate"] as const;

function agreement(kappa: IntervalLike) {
  return Object.fromEntries(AGREEMENT.map((k) => [k, k === "kappa" ? kappa : iv(0.5, 0.4, 0.6)]));
}

/**
 * A tiny hand-built result shaped like PspiResult: four arms, agreement with G
 * and G′, detection, a 3-point τ sweep, per-AU effects and 2 seeds × 2 folds.
 * The bottleneck arm has no CI for κ with G (null ends), so no interval is drawn for it.
 */
export function fakePspiResult(opts: { synthetic?: boolean } = {}): PspiResultLike {
  const G = pspiGraph();
  const control = {
    ...G,
    polarity: G.polarity.map((row) => (row.some((p) => p !== 0) ? [0, 0] : [-1, 1])),
    groups: {},
    provenance: { kind: "permuted", source: "permuted control of: PSPI (Prkachin & Solomon, 2008)", seed: 1 },
  };
  const kappas: Record<string, [IntervalLike, IntervalLike]> = {
    baseline: [iv(0.1234567, 0.05, 0.2), iv(0.02, -0.03, 0.07)],
    facr: [iv(0.95, 0.9, 0.99), iv(-0.9, -0.95, -0.85)],
    control: [iv(-0.9, -0.96, -0.84), iv(0.93, 0.88, 0.97)],
    bottleneck: [iv(0.01, null, null), iv(-0.01, -0.05, 0.03)],
  };
  const arms: PspiResultLike["arms"] = {};
  for (const [arm, [kG, kGp]] of Object.entries(kappas)) {
    const causalEffect = arm === "facr" ? 1.3 : arm === "bottleneck" ? 2.5 : 0.2;
    const otherEffect = arm === "control" ? 1.3 : arm === "bottleneck" ? 1.8 : 0.05;
    arms[arm] = {
      agreement: { G: agreement(kG), "G'": agreement(kGp) },
      detection: { accuracy: iv(0.9, 0.85, 0.93), macroF1: iv(0.85, 0.8, 0.9), f1: iv(0.78, 0.72, 0.83), auc: iv(0.94, 0.92, 0.96) },
      tauSweep: [0.1, 0.5, 2].map((tau) => ({ tau, kappa: kG.estimate === null ? null : kG.estimate * (tau === 2 ? 0.2 : 1) })),
      meanAbsEffect: Object.fromEntries(G.aus.map((au, k) => [au, G.polarity[k][1] !== 0 ? causalEffect : otherEffect])),
    };
  }
  const perFold: FoldRowLike[] = [];
  for (const seed of [1, 2]) for (const fold of [0, 1]) for (const arm of Object.keys(arms)) perFold.push({ seed, fold, arm, scores: { kappa: (arms[arm].agreement.G.kappa!.estimate ?? 0) + 0.01 * (seed + fold), auc: 0.9 } });
  const synthetic = opts.synthetic ?? true;
  return {
    experiment: "pspi",
    profile: "smoke",
    data: {
      name: synthetic ? "TinyPain (test fixture)" : "/data/UNBC",
      source: synthetic ? "synthetic" : "unbc",
      synthetic,
      summary: { name: "TinyPain (test fixture)", source: synthetic ? "synthetic" : "unbc", auActiveShare: Object.fromEntries(G.aus.map((a, k) => [a, 0.01 * (k + 1)])), pspiPositiveShare: 0.2, frames: 1000 },
    },
    config: { tau: 0.5, seeds: [1, 2], folds: 2, bootstrap: { resamples: 50 } },
    graphs: { G, controls: { seed1: control } },
    arms,
    perFold,
  };
}

/** Number of times `needle` occurs in `s`. */
export function count(s: string, needle: string | RegExp): number {
  if (typeof needle === "string") return s.split(needle).length - 1;
  return (s.match(new RegExp(needle.source, needle.flags.includes("g") ? needle.flags : needle.flags + "g")) ?? []).length;
}

/** The markup of the mark group with class `cls` (Plot puts className on the mark's <g>). */
export function markGroups(svg: string, cls: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<g[^>]*class="${cls}"[^>]*>`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) {
    // the group's content up to its closing tag (mark groups do not nest <g>)
    const end = svg.indexOf("</g>", m.index);
    out.push(svg.slice(m.index, end));
  }
  return out;
}

/** Every decimal number in attribute values has at most 2 decimals. */
export function attributeNumbersRounded(svg: string): boolean {
  const attrs = svg.match(/\s[\w:-]+="[^"]*"/g) ?? [];
  return attrs.every((a) => !/\d\.\d{3,}/.test(a));
}

/** The text of every <text class="cls"> line joined by spaces, entities decoded (captions wrap over lines). */
export function linesText(svg: string, cls: string): string {
  const out: string[] = [];
  const re = new RegExp(`<text[^>]*class="${cls}"[^>]*>([^<]*)</text>`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) out.push(m[1]);
  return out.join(" ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/** Occurrences of `tag` summed over every group of the mark with class `cls` (faceted marks make one group per facet). */
export function countInMarks(svg: string, cls: string, tag: string): number {
  return markGroups(svg, cls).reduce((s, g) => s + count(g, tag), 0);
}

/**
 * A tiny hand-built verbalizer result: two tasks × two backbones × two modes.
 * Gated rows remove every ablated AU, free rows none; the pain Transformer's
 * free row mentions nothing (removal and stability null: no CI drawn).
 */
export function fakeVerbalizerResult(opts: { synthetic?: boolean } = {}): VerbalizerResultLike {
  const m = (removal: IntervalLike, stability: IntervalLike, kappa: IntervalLike, ppl: IntervalLike, acc: IntervalLike) => ({
    removal,
    stability,
    resampleRemoval: iv(0.6, 0.5, 0.7),
    kappaActive: kappa,
    kappaActiveCausal: iv(0.4, 0.3, 0.5),
    perplexity: ppl,
    acceptance: acc,
  });
  const none: IntervalLike = { estimate: null, lo: null, hi: null };
  const audit: VerbalizerAuditRowLike[] = [];
  for (const task of ["pain", "emotion"]) {
    for (const backbone of ["gru", "transformer"]) {
      const empty = task === "pain" && backbone === "transformer";
      audit.push({ task, backbone, mode: "free", samples: 40, subjects: 8, ablations: empty ? 0 : 30, measures: m(empty ? none : iv(0, 0, 0), empty ? none : iv(1, 1, 1), iv(0.1234567, 0.05, 0.2), iv(3.2, 2.9, 3.6), iv(0.9, 0.8, 0.97)) });
      audit.push({ task, backbone, mode: "gated", samples: 40, subjects: 8, ablations: 25, measures: m(iv(1, 1, 1), iv(0.7, 0.6, 0.8), iv(0.8, 0.7, 0.9), iv(2.1, 1.9, 2.4), iv(0.95, 0.9, 1)) });
    }
  }
  return {
    experiment: "verbalizer",
    profile: "smoke",
    config: { bootstrap: { resamples: 50 } },
    data: {
      synthetic: opts.synthetic ?? true,
      tasks: { pain: { dataset: "TinyPain (profile smoke, seed 1)" }, emotion: { dataset: "TinyEmotion source (profile smoke, seed 1) → TinyEmotion target (profile smoke, seed 1)" } },
    },
    gate: { beta: 5, theta: 0.3, thetaGate: 0.1, selectedOn: "gru" },
    languageModels: { gru: { perTaskValidationPerplexity: { pain: 2.5, emotion: 3 } }, transformer: { perTaskValidationPerplexity: { pain: 2.2, emotion: 2.8 } } },
    perplexityBaselines: { uniform: 67, unigram: 40 },
    audit,
  };
}
