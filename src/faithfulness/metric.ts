import * as tf from "@tensorflow/tfjs";
import { CausalGraph } from "../graph/graph";
import { checkKeys, checkNumber } from "../util/options";
import { Rng, Seed } from "../util/random";
import { ClassIndices, toClassArray } from "./labels";
import { aucFromGroups, ascendingOrder, GroupAuc, groupAuc, weightedAuc } from "./auc";
import { intervalsOf, Interval, pairedBootstrap, subjectResampler } from "../util/bootstrap";

/** Effects Δ [N, K, C] as a tensor, or already read into memory (row-major). */
export type EffectsLike = tf.Tensor3D | { data: Float32Array; shape: readonly [number, number, number] };

/** Default invocation threshold τ: 0.5 nats of log-odds (spec §5). */
export const DEFAULT_TAU = 0.5;

/** Default τ sweep, in nats. */
export const DEFAULT_TAUS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2, 4];

/**
 * The matching interventional metric (spec §5). For sample i with predicted class
 * ĉ, the invoked set is I_i = {k : |Δ[i,k,ĉ]| ≥ τ} and the reference set
 * C(ĉ) = {k : G[k][ĉ] ≠ 0}. All ratios are over the (sample, AU) pairs of the
 * evaluation set; NaN where a denominator is empty.
 *
 * This measures fidelity to the *supplied* structure G, not its rediscovery.
 */
export interface Agreement {
  /** Cohen's κ between 1[k ∈ I_i] and 1[k ∈ C(ĉ)] over all pairs; 0 when either indicator is constant. */
  kappa: number;
  /** Mean over samples of |I ∩ C| / |I ∪ C| (1 when both are empty). */
  jaccard: number;
  /** Invoked pairs that are causal, over invoked pairs. */
  precision: number;
  /** Causal pairs that are invoked, over causal pairs. */
  recall: number;
  /** 2·TP / (2·TP + FP + FN). */
  f1: number;
  /** Among invoked causal pairs, the share whose sign of Δ equals G's sign. */
  polarityAccuracy: number;
  /** τ-free: AUROC of |Δ| separating causal from irrelevant pairs (ties count ½). */
  auroc: number;
  /** Share of pairs invoked. */
  invokedRate: number;
}

export const AGREEMENT_KEYS: readonly (keyof Agreement)[] = ["kappa", "jaccard", "precision", "recall", "f1", "polarityAccuracy", "auroc", "invokedRate"];

export interface AgreementOptions {
  /** Invocation threshold τ in the effects' units. Default 0.5. */
  tau?: number;
}

/**
 * The per-pair facts the metric needs, read once from the effects. Every
 * agreement number is a weighted sum over these, so a bootstrap over subjects
 * only reweights samples and never touches the effects again.
 */
export class AgreementTable {
  readonly N: number;
  readonly K: number;
  /** |Δ[i,k,ĉ_i]|, row-major [N, K]. */
  readonly absEffect: Float32Array;
  /** sign(Δ[i,k,ĉ_i]) · G[k][ĉ_i] ∈ {−1, 0, 1}: 1 when the effect has G's sign. */
  readonly signMatch: Int8Array;
  /** 1 when G[k][ĉ_i] ≠ 0. */
  readonly causal: Uint8Array;
  /** Pair indices sorted by |Δ| ascending (for AUROC). */
  private readonly order: Uint32Array;
  private aucCache: { groupOf: Int32Array; auc: GroupAuc } | null = null;
  private unweightedAuroc: number | undefined;

  /**
   * `graph` is one graph for every sample, or the graph of sample i (pooled rows
   * of several seeds, each scored against its own seeded control).
   */
  constructor(effects: EffectsLike, predictedClass: ClassIndices, graph: CausalGraph | ((i: number) => CausalGraph)) {
    const { data, shape } = readEffects(effects);
    const [N, K, C] = shape;
    const graphOf = typeof graph === "function" ? graph : () => graph;
    const checked = new Set<CausalGraph>();
    const check = (g: CausalGraph) => {
      if (checked.has(g)) return;
      if (K !== g.aus.length || C !== g.classes.length) throw new Error(`agreement: effects are [${shape}], graph has ${g.aus.length} AUs × ${g.classes.length} classes`);
      checked.add(g);
    };
    if (N === 0 && typeof graph !== "function") check(graph);
    const pred = toClassArray(predictedClass, N, C, "predictedClass");
    this.N = N;
    this.K = K;
    this.absEffect = new Float32Array(N * K);
    this.signMatch = new Int8Array(N * K);
    this.causal = new Uint8Array(N * K);
    for (let i = 0; i < N; i++) {
      const c = pred[i];
      const gi = graphOf(i);
      check(gi);
      for (let k = 0; k < K; k++) {
        const d = data[(i * K + k) * C + c];
        const g = gi.polarity[k][c];
        this.absEffect[i * K + k] = Math.abs(d);
        this.causal[i * K + k] = g !== 0 ? 1 : 0;
        this.signMatch[i * K + k] = Math.sign(d) * g;
      }
    }
    this.order = ascendingOrder(this.absEffect);
  }

  /** All agreement measures at threshold τ, each sample weighted by `weights[i]` (default 1). */
  summarize(tau: number, weights?: ArrayLike<number>): Agreement {
    let tp = 0, fp = 0, fn = 0, tn = 0, jac = 0, wsum = 0, polOk = 0, polAll = 0;
    const c = new Int32Array(4);
    for (let i = 0; i < this.N; i++) {
      const w = weights ? weights[i] : 1;
      if (w === 0) continue;
      this.countSample(i, tau, c);
      const [itp, ifp, ifn, iok] = c;
      tp += w * itp;
      fp += w * ifp;
      fn += w * ifn;
      tn += w * (this.K - itp - ifp - ifn);
      polAll += w * itp;
      polOk += w * iok;
      const union = itp + ifp + ifn;
      jac += w * (union === 0 ? 1 : itp / union);
      wsum += w;
    }
    const n = tp + fp + fn + tn;
    return {
      kappa: cohenKappa(tp, fp, fn, tn),
      jaccard: wsum ? jac / wsum : NaN,
      precision: tp + fp ? tp / (tp + fp) : NaN,
      recall: tp + fn ? tp / (tp + fn) : NaN,
      f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : NaN,
      polarityAccuracy: polAll ? polOk / polAll : NaN,
      auroc: this.auroc(weights),
      invokedRate: n ? (tp + fp) / n : NaN,
    };
  }

  /**
   * Per-group sufficient statistics at τ (`groupOf[i]` ∈ [0, nGroups) for sample i):
   * the agreement of any resample of groups is then computed from nGroups numbers per
   * count, not from every pair.
   */
  grouped(groupOf: Int32Array, nGroups: number, tau: number): GroupedAgreement {
    const { N, K } = this;
    if (groupOf.length !== N) throw new Error(`grouped: ${groupOf.length} group ids for ${N} samples`);
    const z = () => new Float64Array(nGroups);
    const st = { tp: z(), fp: z(), fn: z(), tn: z(), jac: z(), samples: z(), polOk: z(), polAll: z() };
    const c = new Int32Array(4);
    for (let i = 0; i < N; i++) {
      const g = groupOf[i];
      this.countSample(i, tau, c);
      const [itp, ifp, ifn, iok] = c;
      st.polAll[g] += itp;
      st.polOk[g] += iok;
      st.tp[g] += itp;
      st.fp[g] += ifp;
      st.fn[g] += ifn;
      st.tn[g] += K - itp - ifp - ifn;
      const union = itp + ifp + ifn;
      st.jac[g] += union === 0 ? 1 : itp / union;
      st.samples[g]++;
    }
    // AUROC is τ-free: its group statistics are built once per grouping
    if (this.aucCache?.groupOf !== groupOf) this.aucCache = { groupOf, auc: groupAuc(this.order, this.absEffect, this.causal, (pair) => groupOf[Math.floor(pair / K)], nGroups) };
    return new GroupedAgreement(nGroups, st, this.aucCache.auc);
  }

  /** Sample i at τ into out: [invoked ∧ causal, invoked ∧ ¬causal, ¬invoked ∧ causal, invoked ∧ causal with G's sign]. */
  private countSample(i: number, tau: number, out: Int32Array): void {
    const { K, absEffect, causal, signMatch } = this;
    out.fill(0);
    for (let k = 0; k < K; k++) {
      const j = i * K + k;
      const inv = absEffect[j] >= tau;
      if (inv && causal[j]) {
        out[0]++;
        if (signMatch[j] === 1) out[3]++;
      } else if (inv) out[1]++;
      else if (causal[j]) out[2]++;
    }
  }

  /** Weighted Mann–Whitney AUROC of |Δ| for causal vs irrelevant pairs (ties ½); the unweighted value is computed once. */
  auroc(weights?: ArrayLike<number>): number {
    const K = this.K;
    if (!weights) return (this.unweightedAuroc ??= weightedAuc(this.order, this.absEffect, this.causal));
    return weightedAuc(this.order, this.absEffect, this.causal, (pair) => weights[Math.floor(pair / K)]);
  }
}

/** Agreement sufficient statistics per group (see `AgreementTable.grouped`). */
export class GroupedAgreement {
  constructor(
    readonly nGroups: number,
    private readonly st: Record<"tp" | "fp" | "fn" | "tn" | "jac" | "samples" | "polOk" | "polAll", Float64Array>,
    private readonly auc: GroupAuc,
  ) {}

  /** Every measure with group g counted `counts[g]` times (default once). */
  summarize(counts?: ArrayLike<number>): Agreement {
    const sum = (a: Float64Array) => {
      let s = 0;
      for (let g = 0; g < this.nGroups; g++) s += (counts ? counts[g] : 1) * a[g];
      return s;
    };
    const { st } = this;
    const tp = sum(st.tp), fp = sum(st.fp), fn = sum(st.fn), tn = sum(st.tn);
    const samples = sum(st.samples), polAll = sum(st.polAll), n = tp + fp + fn + tn;
    return {
      kappa: cohenKappa(tp, fp, fn, tn),
      jaccard: samples ? sum(st.jac) / samples : NaN,
      precision: tp + fp ? tp / (tp + fp) : NaN,
      recall: tp + fn ? tp / (tp + fn) : NaN,
      f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : NaN,
      polarityAccuracy: polAll ? sum(st.polOk) / polAll : NaN,
      auroc: aucFromGroups(this.auc, counts),
      invokedRate: n ? (tp + fp) / n : NaN,
    };
  }
}

/** Cohen's κ from a 2×2 table (invoked × causal); 0 when either indicator is constant. */
export function cohenKappa(tp: number, fp: number, fn: number, tn: number): number {
  const n = tp + fp + fn + tn;
  if (n === 0) return 0;
  const pI = (tp + fp) / n;
  const pR = (tp + fn) / n;
  if (pI === 0 || pI === 1 || pR === 0 || pR === 1) return 0;
  const po = (tp + tn) / n;
  const pe = pI * pR + (1 - pI) * (1 - pR);
  return (po - pe) / (1 - pe);
}

/** Agreement of the invoked AUs with G at one τ (spec §5). */
export function agreement(effects: EffectsLike, predictedClass: ClassIndices, graph: CausalGraph, opts: AgreementOptions = {}): Agreement {
  checkKeys(opts, ["tau"], "agreement options");
  const tau = checkNumber(opts.tau ?? DEFAULT_TAU, "tau", { min: 0 });
  return new AgreementTable(effects, predictedClass, graph).summarize(tau);
}

/** Agreement at each τ of a sweep (the effects are read once). */
export function tauSweep(effects: EffectsLike, predictedClass: ClassIndices, graph: CausalGraph, taus: readonly number[] = DEFAULT_TAUS): (Agreement & { tau: number })[] {
  const table = new AgreementTable(effects, predictedClass, graph);
  return taus.map((tau) => ({ tau: checkNumber(tau, "tau", { min: 0 }), ...table.summarize(tau) }));
}

export type { Interval } from "../util/bootstrap";

export interface AgreementCIOptions extends AgreementOptions {
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
  /** Coverage of the percentile interval. Default 0.95. */
  level?: number;
  /** Seed of the resampling. Default 0. */
  seed?: Seed;
}

export interface AgreementWithCI {
  tau: number;
  /** Every measure with its percentile bootstrap interval over subjects. */
  metrics: Record<keyof Agreement, Interval>;
  /** Number of distinct subjects resampled. */
  subjects: number;
  resamples: number;
  level: number;
}

/**
 * Agreement with a bootstrap CI over *subjects*: each resample draws subjects
 * with replacement and recomputes every measure on the pooled pairs of the drawn
 * subjects (a subject drawn twice counts twice). `subjects[i]` names sample i's
 * subject.
 */
export function agreementCI(
  effects: EffectsLike,
  predictedClass: ClassIndices,
  graph: CausalGraph,
  subjects: readonly (string | number)[],
  opts: AgreementCIOptions = {},
): AgreementWithCI {
  checkKeys(opts, ["tau", "resamples", "level", "seed"], "agreementCI options");
  const tau = checkNumber(opts.tau ?? DEFAULT_TAU, "tau", { min: 0 });
  const B = checkNumber(opts.resamples ?? 1000, "resamples", { min: 1, integer: true });
  const level = checkNumber(opts.level ?? 0.95, "level", { min: 0, max: 1 });
  const table = new AgreementTable(effects, predictedClass, graph);
  if (subjects.length !== table.N) throw new Error(`agreementCI: ${subjects.length} subject ids for ${table.N} samples`);
  const full = table.summarize(tau);
  const r = subjectResampler(subjects);
  const grouped = table.grouped(r.unitOf, r.nUnits, tau);
  const boot = pairedBootstrap(r, (counts) => grouped.summarize(counts) as Record<keyof Agreement, number>, {
    resamples: B,
    level,
    rng: new Rng(opts.seed ?? 0).fork("agreementCI"),
    estimate: full as Record<keyof Agreement, number>,
  });
  return { tau, metrics: intervalsOf(boot, AGREEMENT_KEYS), subjects: r.nUnits, resamples: B, level };
}

function readEffects(effects: EffectsLike): { data: Float32Array; shape: readonly [number, number, number] } {
  if (effects instanceof tf.Tensor) {
    if (effects.rank !== 3) throw new Error(`effects must be [N, K, C], got [${effects.shape}]`);
    return { data: effects.dataSync() as Float32Array, shape: effects.shape as [number, number, number] };
  }
  const [N, K, C] = effects.shape;
  if (effects.data.length !== N * K * C) throw new Error(`effects: data holds ${effects.data.length} values, shape [${effects.shape}] needs ${N * K * C}`);
  return effects;
}

/**
 * The κ a model perfectly faithful to graph `a` would score against graph `b`:
 * Cohen's κ between 1[a[k][ĉ_i] ≠ 0] and 1[b[k][ĉ_i] ≠ 0] over every (sample,
 * AU) pair, ĉ_i the sample's predicted class (0 when either indicator is
 * constant, as in `cohenKappa`). For the permutation control G_perm, the κ with G
 * that its overlap with G alone predicts (spec §11.3).
 */
export function overlapKappa(a: CausalGraph, b: CausalGraph, predictedClass: ArrayLike<number>): number {
  if (a.aus.join() !== b.aus.join() || a.classes.join() !== b.classes.join()) throw new Error("overlapKappa: the graphs have different AUs or classes");
  const perClass = new Float64Array(a.classes.length);
  for (let i = 0; i < predictedClass.length; i++) perClass[predictedClass[i]]++;
  let tp = 0, fp = 0, fn = 0, tn = 0;
  perClass.forEach((n, c) => {
    a.aus.forEach((_, k) => {
      const x = a.polarity[k][c] !== 0;
      const y = b.polarity[k][c] !== 0;
      if (x && y) tp += n;
      else if (x) fp += n;
      else if (y) fn += n;
      else tn += n;
    });
  });
  return cohenKappa(tp, fp, fn, tn);
}
