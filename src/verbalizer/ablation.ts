import { intervalsOf, pairedBootstrap, sampleWeights, subjectResampler } from "../util/bootstrap";
import { cohenKappa, Interval } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { DeepPartial, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { Rng } from "../util/random";
import { DECODE_DEFAULTS, decodeRationales, DecodedRationale, DecodeOptions } from "./decode";
import { Vocabulary } from "./grammar";
import { CausalLm } from "./lm-base";
import { scoreSequences } from "./lm";

/**
 * The verbalizer's ablation measurement of spec §8 (claims C5–C7; unrelated to
 * `facr audit`, src/audit/). For every test sample the verbalizer writes a
 * rationale from the reasoner's activations a = z; then, for every AU it
 * mentions, the AU is ablated (a_k := 0) and the rationale regenerated with the
 * same class and the same random numbers:
 *
 *   removal rate      share of ablations after which the ablated AU is no longer mentioned;
 *   stability rate    share of ablations after which the mentions other than the
 *                     ablated AU are exactly the same set (nothing lost, nothing added);
 *   resample removal  the chance level: share of mentioned AUs that vanish when the
 *                     rationale is merely re-sampled with another seed, no ablation;
 *   κ (active)        Cohen's κ between "mentioned" and "active" (a_k ≥ θ_gate) over all
 *                     (sample, AU) pairs of the task;
 *   κ (active causal) the same against "active and G[k][ĉ] = +1" (what the corpus teaches);
 *   mention precision share of mentions that are active;
 *   perplexity        fluency: exp(NLL per token) of the rationales under the unbiased
 *                     language model (no gate, no bias, no masks);
 *   acceptance        share of rationales the grammar accepts.
 * Every measure has a percentile bootstrap CI over subjects.
 *
 * The class is the reasoner's prediction on the unablated sample and is kept
 * fixed under ablation: the measurement isolates the verbalizer (it does not ask
 * whether the reasoner's decision would change).
 */
export interface AblationSamples {
  /** N × K activations in [0, 1], columns in `graph.aus` order. */
  activations: Float32Array;
  /** Predicted class index per sample (the conditioning class). */
  predicted: Int32Array;
  /** Subject per sample: the bootstrap unit. */
  subjects: readonly string[];
}

export interface AblationOptions {
  decode: DecodeOptions;
  /** Base of the per-sample sampling seeds. */
  seed: number;
  bootstrap: { resamples: number; seed: number; level: number };
  /** Example rationales (before / after one ablation) kept in the result. */
  examples: number;
}

export const ABLATION_DEFAULTS: AblationOptions = {
  decode: DECODE_DEFAULTS,
  seed: 0,
  bootstrap: { resamples: 1000, seed: 0, level: 0.95 },
  examples: 4,
};

export const ABLATION_MEASURES = ["removal", "stability", "resampleRemoval", "kappaActive", "kappaActiveCausal", "mentionPrecision", "perplexity", "acceptance", "meanMentions"] as const;
export type AblationMeasure = (typeof ABLATION_MEASURES)[number];

export interface AblationExample {
  subject: string;
  className: string;
  /** Active AUs (a ≥ θ_gate) with their activations, highest first. */
  active: { au: string; a: number }[];
  text: string;
  ablated: string;
  textAfter: string;
  removed: boolean;
  stable: boolean;
}

export interface AblationResult {
  mode: DecodeOptions["mode"];
  decode: DecodeOptions;
  samples: number;
  subjects: number;
  /** (sample, mentioned AU) ablations performed. */
  ablations: number;
  measures: Record<AblationMeasure, Interval>;
  examples: AblationExample[];
}

/** Per-sample sufficient statistics: every measure is a ratio of weighted sums of these. */
interface SampleStats {
  abl: number;
  removed: number;
  stable: number;
  resampleGone: number;
  kA: [number, number, number, number];
  kC: [number, number, number, number];
  mentions: number;
  mentionsActive: number;
  nll: number;
  tokens: number;
  accepted: number;
}

export function measureVerbalizer(lm: CausalLm, graph: CausalGraph, samples: AblationSamples, overrides: DeepPartial<AblationOptions> = {}): AblationResult {
  const opts = resolveConfig(ABLATION_DEFAULTS, overrides, "audit"); // "audit": the field path in error messages, as before
  const decode = opts.decode;
  const vocab = lm.vocab;
  const K = graph.aus.length;
  const N = samples.predicted.length;
  if (samples.activations.length !== N * K) throw new FacrInputError(`expected ${N} × ${K} activations, got ${samples.activations.length}`, { field: "activations" });
  if (samples.subjects.length !== N) throw new FacrInputError(`expected ${N} subjects, got ${samples.subjects.length}`, { field: "subjects" });
  if (N === 0) throw new FacrInputError("no samples to audit", { field: "samples" });
  const next = (p: Parameters<CausalLm["nextLogits"]>[0]) => lm.nextLogits(p);
  const classes = Array.from(samples.predicted, (c) => graph.classes[c]);
  const seeds = classes.map((_, i) => `${opts.seed}/${i}`);
  const original = decodeRationales(next, vocab, { classes, aus: graph.aus, activations: samples.activations, seeds }, decode);
  const resampled = decodeRationales(next, vocab, { classes, aus: graph.aus, activations: samples.activations, seeds: seeds.map((s) => `${s}/resample`) }, decode);

  // every (sample, mentioned AU) ablation in one batched decode
  const ablRows: { i: number; k: number }[] = [];
  const mentionIdx = original.map((d) => d.aus.map((a) => graph.aus.indexOf(a)));
  mentionIdx.forEach((ks, i) => ks.forEach((k) => ablRows.push({ i, k })));
  const ablAct = new Float32Array(ablRows.length * K);
  ablRows.forEach(({ i, k }, r) => {
    ablAct.set(samples.activations.subarray(i * K, (i + 1) * K), r * K);
    ablAct[r * K + k] = 0;
  });
  const ablated = ablRows.length
    ? decodeRationales(next, vocab, { classes: ablRows.map(({ i }) => classes[i]), aus: graph.aus, activations: ablAct, seeds: ablRows.map(({ i }) => seeds[i]) }, decode)
    : [];

  const scores = scoreSequences(lm, original.map((d) => d.tokens));
  const stats: SampleStats[] = original.map((d, i) => {
    const mentioned = new Set(mentionIdx[i]);
    const kA: SampleStats["kA"] = [0, 0, 0, 0];
    const kC: SampleStats["kC"] = [0, 0, 0, 0];
    let mentionsActive = 0;
    for (let k = 0; k < K; k++) {
      const m = mentioned.has(k);
      const active = samples.activations[i * K + k] >= decode.thetaGate;
      const activeCausal = active && graph.polarity[k][samples.predicted[i]] === 1;
      kA[cell(m, active)]++;
      kC[cell(m, activeCausal)]++;
      if (m && active) mentionsActive++;
    }
    const gone = new Set(resampled[i].aus);
    return {
      abl: 0,
      removed: 0,
      stable: 0,
      resampleGone: d.aus.filter((a) => !gone.has(a)).length,
      kA,
      kC,
      mentions: mentioned.size,
      mentionsActive,
      nll: scores.nll[i],
      tokens: scores.tokens[i],
      accepted: d.accepted ? 1 : 0,
    };
  });
  ablRows.forEach(({ i, k }, r) => {
    const after = new Set(ablated[r].aus.map((a) => graph.aus.indexOf(a)));
    const s = stats[i];
    s.abl++;
    if (!after.has(k)) s.removed++;
    if (sameOthers(mentionIdx[i], [...after], k)) s.stable++;
  });

  const measures = bootstrapMeasures(stats, samples.subjects, opts.bootstrap);
  return {
    mode: decode.mode,
    decode,
    samples: N,
    subjects: new Set(samples.subjects).size,
    ablations: ablRows.length,
    measures,
    examples: pickExamples(original, ablated, ablRows, samples, graph, classes, decode.thetaGate, opts),
  };
}

/** True when the mentions other than `ablated` are the same set before and after (nothing lost, nothing added). */
export function sameOthers<T>(before: readonly T[], after: readonly T[], ablated: T): boolean {
  const b = new Set(before.filter((x) => x !== ablated));
  const a = new Set(after.filter((x) => x !== ablated));
  return a.size === b.size && [...b].every((x) => a.has(x));
}

/** Index into [tp, fp, fn, tn] for (mentioned, reference). */
function cell(mentioned: boolean, reference: boolean): number {
  return mentioned ? (reference ? 0 : 1) : reference ? 2 : 3;
}

function summarize(stats: readonly SampleStats[], w: Float64Array | null): Record<AblationMeasure, number> {
  const sum = (f: (s: SampleStats) => number) => stats.reduce((acc, s, i) => acc + (w ? w[i] : 1) * f(s), 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
  const kappa = (key: "kA" | "kC") => cohenKappa(sum((s) => s[key][0]), sum((s) => s[key][1]), sum((s) => s[key][2]), sum((s) => s[key][3]));
  const n = sum(() => 1);
  const abl = sum((s) => s.abl);
  const mentions = sum((s) => s.mentions);
  return {
    removal: ratio(sum((s) => s.removed), abl),
    stability: ratio(sum((s) => s.stable), abl),
    resampleRemoval: ratio(sum((s) => s.resampleGone), mentions),
    kappaActive: kappa("kA"),
    kappaActiveCausal: kappa("kC"),
    mentionPrecision: ratio(sum((s) => s.mentionsActive), mentions),
    perplexity: Math.exp(ratio(sum((s) => s.nll), sum((s) => s.tokens))),
    acceptance: ratio(sum((s) => s.accepted), n),
    meanMentions: ratio(mentions, n),
  };
}

/** Every measure with a percentile CI; one draw of subjects per resample scores all measures (paired). */
function bootstrapMeasures(stats: readonly SampleStats[], subjects: readonly string[], b: AblationOptions["bootstrap"]): Record<AblationMeasure, Interval> {
  const r = subjectResampler(subjects);
  const w = new Float64Array(stats.length);
  const boot = pairedBootstrap(r, (counts) => summarize(stats, counts ? sampleWeights(r, counts, w) : null), {
    resamples: b.resamples,
    level: b.level,
    // the fork label is the function's former name, kept: it seeds the bootstrap, so changing it changes every CI
    rng: new Rng(b.seed).fork("auditVerbalizer"),
  });
  return intervalsOf(boot, ABLATION_MEASURES);
}

function pickExamples(
  original: DecodedRationale[],
  ablated: DecodedRationale[],
  ablRows: { i: number; k: number }[],
  samples: AblationSamples,
  graph: CausalGraph,
  classes: string[],
  thetaGate: number,
  opts: AblationOptions,
): AblationExample[] {
  const K = graph.aus.length;
  const firstAblation = new Map<number, number>();
  ablRows.forEach(({ i }, r) => {
    if (!firstAblation.has(i)) firstAblation.set(i, r);
  });
  const candidates = new Rng(opts.seed).fork("examples").shuffle([...firstAblation.keys()]);
  // one example per class first, then any
  const picked: number[] = [];
  const seenClass = new Set<string>();
  for (const i of candidates) {
    if (picked.length >= opts.examples) break;
    if (!seenClass.has(classes[i])) {
      picked.push(i);
      seenClass.add(classes[i]);
    }
  }
  for (const i of candidates) if (picked.length < opts.examples && !picked.includes(i)) picked.push(i);
  return picked.map((i) => {
    const r = firstAblation.get(i)!;
    const k = ablRows[r].k;
    const after = new Set(ablated[r].aus);
    return {
      subject: samples.subjects[i],
      className: classes[i],
      active: graph.aus
        .map((au, j) => ({ au, a: round3(samples.activations[i * K + j]) }))
        .filter((x) => x.a >= thetaGate)
        .sort((a, b) => b.a - a.a),
      text: original[i].text,
      ablated: graph.aus[k],
      textAfter: ablated[r].text,
      removed: !after.has(graph.aus[k]),
      stable: sameOthers(original[i].aus, ablated[r].aus, graph.aus[k]),
    };
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Check a vocabulary can voice a task (its classes and AUs are all tokens). */
export function checkTaskVocabulary(vocab: Vocabulary, graph: CausalGraph): void {
  for (const c of graph.classes) vocab.classToken(c);
  for (const a of graph.aus) vocab.auToken(a);
}

// ---------------------------------------------------------------- choosing β and θ

export interface GateCandidate {
  beta: number;
  theta: number;
  /** Mean over tasks of κ(mentioned, active) on the validation samples. */
  kappaActive: number;
  /** Mean over tasks of grammar acceptance. */
  acceptance: number;
  /** Per task: κ and acceptance. */
  perTask: Record<string, { kappaActive: number; acceptance: number }>;
}

export interface GateSelection {
  beta: number;
  theta: number;
  criterion: string;
  grid: GateCandidate[];
}

/**
 * Choose β and θ for gated decoding on validation samples (never test
 * samples), on one backbone: the setting with the highest κ(mentioned,
 * active), averaged over tasks, among settings whose mean grammar acceptance is
 * at least `minAcceptance` (ties: smaller β, then smaller θ); when none
 * qualifies, the most accepted setting. θ_gate is fixed, not chosen.
 */
export function selectGateParameters(
  lm: CausalLm,
  tasks: { name: string; graph: CausalGraph; samples: AblationSamples }[],
  grid: { betas: readonly number[]; thetas: readonly number[] },
  opts: { decode: DeepPartial<DecodeOptions>; seed: number; minAcceptance: number },
): GateSelection {
  const next = (p: Parameters<CausalLm["nextLogits"]>[0]) => lm.nextLogits(p);
  const thetaGate = resolveConfig(DECODE_DEFAULTS, opts.decode, "decode").thetaGate;
  const candidates: GateCandidate[] = [];
  for (const beta of grid.betas) {
    // with β = 0, θ has no effect: evaluate it once
    for (const theta of beta === 0 ? grid.thetas.slice(0, 1) : grid.thetas) {
      const perTask: GateCandidate["perTask"] = {};
      for (const t of tasks) {
        const K = t.graph.aus.length;
        const N = t.samples.predicted.length;
        const classes = Array.from(t.samples.predicted, (c) => t.graph.classes[c]);
        const d = decodeRationales(next, lm.vocab, { classes, aus: t.graph.aus, activations: t.samples.activations, seeds: classes.map((_, i) => `${opts.seed}/${t.name}/${i}`) }, { ...opts.decode, mode: "gated", beta, theta });
        const counts = [0, 0, 0, 0];
        let accepted = 0;
        d.forEach((r, i) => {
          const m = new Set(r.aus);
          t.graph.aus.forEach((a, k) => counts[cell(m.has(a), t.samples.activations[i * K + k] >= thetaGate)]++);
          if (r.accepted) accepted++;
        });
        perTask[t.name] = { kappaActive: cohenKappa(counts[0], counts[1], counts[2], counts[3]), acceptance: accepted / N };
      }
      const vals = Object.values(perTask);
      candidates.push({
        beta,
        theta,
        kappaActive: vals.reduce((s, v) => s + v.kappaActive, 0) / vals.length,
        acceptance: vals.reduce((s, v) => s + v.acceptance, 0) / vals.length,
        perTask,
      });
    }
  }
  const ok = candidates.filter((c) => c.acceptance >= opts.minAcceptance);
  const order = (a: GateCandidate, b: GateCandidate) => a.beta - b.beta || a.theta - b.theta;
  const best = ok.length
    ? [...ok].sort((a, b) => b.kappaActive - a.kappaActive || order(a, b))[0]
    : [...candidates].sort((a, b) => b.acceptance - a.acceptance || order(a, b))[0];
  return {
    beta: best.beta,
    theta: best.theta,
    criterion: `max mean κ(mentioned, active) over tasks on validation samples among settings with mean grammar acceptance ≥ ${opts.minAcceptance}${ok.length ? "" : " (none qualified: most accepted setting taken)"}; ties → smaller β, then smaller θ`,
    grid: candidates,
  };
}
