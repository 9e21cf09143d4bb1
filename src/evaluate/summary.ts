import { aucFromGroups, ascendingOrder, GroupAuc, groupAuc } from "../faithfulness/auc";
import { AGREEMENT_KEYS, Agreement, AgreementTable, DEFAULT_TAUS, GroupedAgreement } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { hierarchicalResampler, Interval, pairedBootstrap, quantileSorted, subjectResampler } from "../util/bootstrap";
import { Rng } from "../util/random";
import { DETECTION_KEYS, Detection, DetectionTable, GroupedDetection } from "./detection";
import { Evaluation, Pooled } from "./pool";

/** A graph to score agreement against: one graph, or the graph of an arm's row (e.g. each seed's own control). */
export type GraphSlot = CausalGraph | ((arm: string, row: number) => CausalGraph);

/** Everything the reports show for one arm, computed from pooled rows. */
export interface ArmSummary {
  /** Agreement with each graph slot (e.g. G and G′), every measure with a bootstrap CI. */
  agreement: Record<string, Record<keyof Agreement, Interval>>;
  detection: Record<keyof Detection, Interval>;
  /** Agreement with the first graph across τ. */
  tauSweep: (Agreement & { tau: number })[];
  /** Per AU: mean |Δ[i,k,ĉ_i]| under the first graph, nats. */
  meanAbsEffect: Record<string, number>;
  /** Per AU × class: mean Δ[i,k,c] (CaCE on the log-odds scale). */
  meanEffect: Record<string, Record<string, number>>;
  /**
   * Agreement with the first graph at τ scaled to this arm's effects: τ_arm =
   * tauScale × the median |Δ| over its G-causal pairs (spec §11.5), so an arm whose
   * effects are all small is not read as unfaithful for that alone.
   */
  scaledTau?: { tau: number; agreement: Record<keyof Agreement, Interval> };
  /** ERASER comprehensiveness and sufficiency of the invoked set on z (probability of ĉ). */
  eraser?: { comprehensiveness: Interval; sufficiency: Interval };
  /** Detection with h (z decides alone) and with z (h decides alone) fixed at the training mean. */
  channels?: { hFixed: Record<keyof Detection, Interval>; zFixed: Record<keyof Detection, Interval> };
  /** How well z recovers the true AUs: per-AU AUROC of z_k for "AU k present", and their mean with a CI. */
  auRecovery?: { macro: Interval; perAu: Record<string, number> };
  /** The same measures on each cluster's (seed's) rows alone, point estimates. */
  perCluster?: { cluster: string | number; kappa: Record<string, number>; auroc: Record<string, number>; detection: Detection }[];
}

export interface SummaryOptions {
  tau: number;
  taus?: readonly number[];
  resamples: number;
  seed: number;
  level?: number;
  /** τ_arm = tauScale × median causal |Δ| (`ArmSummary.scaledTau`); none when absent. */
  tauScale?: number;
  /** Differences only for pairs with one of these arms on either side (default: every pair). */
  references?: readonly string[];
}

/**
 * Summaries of several arms evaluated on the same rows, with paired bootstraps:
 * every resample draws one set of units and scores all arms on it, so
 * differences between arms get their own intervals. Units are subjects, or, when
 * the pooled rows carry clusters (training seeds), seeds and then subjects within
 * each drawn seed (spec §11.7).
 */
export function summarizeArms(
  pooled: Record<string, Pooled>,
  graphs: Record<string, GraphSlot>,
  opts: SummaryOptions,
): { arms: Record<string, ArmSummary>; differences: Record<string, Record<string, Interval>> } {
  const level = opts.level ?? 0.95;
  const armNames = Object.keys(pooled);
  const graphNames = Object.keys(graphs);
  const first = pooled[armNames[0]];
  const resampler = first.clusters ? hierarchicalResampler(first.clusters, first.subjects) : subjectResampler(first.subjects);
  const { unitOf, nUnits } = resampler;
  const slotGraph = (a: string, g: string) => {
    const slot = graphs[g];
    return typeof slot === "function" ? (row: number) => slot(a, row) : slot;
  };
  type Grouped = {
    agreement: Record<string, GroupedAgreement>;
    detection: GroupedDetection;
    scaled?: GroupedAgreement;
    eraser?: { comprehensiveness: GroupedMean; sufficiency: GroupedMean };
    channels?: { hFixed: GroupedDetection; zFixed: GroupedDetection };
    auRecovery?: GroupAuc[];
  };
  const tables: Record<string, { agreement: Record<string, AgreementTable>; detection: DetectionTable; scaledTau: number }> = {};
  const grouped: Record<string, Grouped> = {};
  for (const a of armNames) {
    const p = pooled[a];
    if (p.subjects.join("\u0000") !== first.subjects.join("\u0000")) throw new Error(`summarizeArms: arm ${a} was evaluated on other rows than ${armNames[0]}`);
    if (p.effects.length !== graphNames.length) throw new Error(`summarizeArms: arm ${a} has effects under ${p.effects.length} graphs, ${graphNames.length} slots given`);
    const detection = new DetectionTable(p.probs, p.y, p.C);
    const agreement: Record<string, AgreementTable> = {};
    const built: { graph: CausalGraph | null; effects: Float32Array; table: AgreementTable }[] = [];
    graphNames.forEach((g, j) => {
      const graph = slotGraph(a, g);
      // a slot with the same graph on every row and the same effects as an earlier one (e.g. the graph an arm trained on, when it is G) shares its table
      const constant = typeof graph === "function" ? constantGraph(graph, p.N) : graph;
      const same = constant && built.find((b) => b.graph === constant && equalArrays(b.effects, p.effects[j]));
      agreement[g] = same ? same.table : new AgreementTable({ data: p.effects[j], shape: [p.N, p.K, p.C] }, detection.predicted, constant ?? graph);
      if (!same) built.push({ graph: constant, effects: p.effects[j], table: agreement[g] });
    });
    const scaledTau = opts.tauScale === undefined ? NaN : opts.tauScale * medianCausal(agreement[graphNames[0]]);
    tables[a] = { agreement, detection, scaledTau };
    const gr: Grouped = {
      agreement: Object.fromEntries(graphNames.map((g) => [g, agreement[g].grouped(unitOf, nUnits, opts.tau)])),
      detection: detection.grouped(unitOf, nUnits),
    };
    if (scaledTau > 0) gr.scaled = agreement[graphNames[0]].grouped(unitOf, nUnits, scaledTau);
    const x = p.extras;
    if (x.comprehensiveness && x.sufficiency) gr.eraser = { comprehensiveness: new GroupedMean(x.comprehensiveness, unitOf, nUnits), sufficiency: new GroupedMean(x.sufficiency, unitOf, nUnits) };
    if (x.probsHFixed && x.probsZFixed) gr.channels = { hFixed: new DetectionTable(x.probsHFixed, p.y, p.C).grouped(unitOf, nUnits), zFixed: new DetectionTable(x.probsZFixed, p.y, p.C).grouped(unitOf, nUnits) };
    if (x.z && x.truth) gr.auRecovery = auRecoveryTables(x.z, x.truth, p.N, p.K, unitOf, nUnits);
    grouped[a] = gr;
  }
  // Paired bootstrap: one draw of units per resample scores every arm.
  const score = (counts?: Float64Array) => {
    const out: Record<string, number> = {};
    for (const a of armNames) {
      const gr = grouped[a];
      for (const g of graphNames) {
        const s = gr.agreement[g].summarize(counts);
        for (const k of AGREEMENT_KEYS) out[`${a}|agreement|${g}|${k}`] = s[k];
      }
      const d = gr.detection.summarize(counts);
      for (const k of DETECTION_KEYS) out[`${a}|detection|${k}`] = d[k];
      if (gr.scaled) {
        const s = gr.scaled.summarize(counts);
        for (const k of AGREEMENT_KEYS) out[`${a}|scaledTau|${k}`] = s[k];
      }
      if (gr.eraser) {
        out[`${a}|eraser|comprehensiveness`] = gr.eraser.comprehensiveness.summarize(counts);
        out[`${a}|eraser|sufficiency`] = gr.eraser.sufficiency.summarize(counts);
      }
      if (gr.channels) {
        const h = gr.channels.hFixed.summarize(counts);
        const z = gr.channels.zFixed.summarize(counts);
        for (const k of DETECTION_KEYS) {
          out[`${a}|hFixed|${k}`] = h[k];
          out[`${a}|zFixed|${k}`] = z[k];
        }
      }
      if (gr.auRecovery) out[`${a}|auRecovery|macro`] = meanFinite(gr.auRecovery.map((t) => aucFromGroups(t, counts)));
    }
    return out;
  };
  // the fork label keeps the old spelling: it seeds the bootstrap, so changing it would change every CI
  const boot = pairedBootstrap(resampler, score, { resamples: opts.resamples, level, rng: new Rng(opts.seed).fork("summariseArms") });
  const interval = (key: string): Interval => boot.interval(key);
  const detectionOf = (prefix: string) => Object.fromEntries(DETECTION_KEYS.map((k) => [k, interval(`${prefix}|${k}`)])) as Record<keyof Detection, Interval>;
  const clusters = clusterUnits(first, unitOf, nUnits);
  const arms: Record<string, ArmSummary> = {};
  for (const a of armNames) {
    const p = pooled[a];
    const gr = grouped[a];
    const g0 = firstGraph(graphs[graphNames[0]], a);
    const sum: ArmSummary = {
      agreement: Object.fromEntries(graphNames.map((g) => [g, Object.fromEntries(AGREEMENT_KEYS.map((k) => [k, interval(`${a}|agreement|${g}|${k}`)]))])) as ArmSummary["agreement"],
      detection: detectionOf(`${a}|detection`),
      tauSweep: (opts.taus ?? DEFAULT_TAUS).map((tau) => ({ tau, ...tables[a].agreement[graphNames[0]].summarize(tau) })),
      meanAbsEffect: Object.fromEntries(g0.aus.map((au, k) => [au, meanOver(tables[a].agreement[graphNames[0]].absEffect, p.N, p.K, k)])),
      meanEffect: meanEffects(p.effects[0], p.N, g0),
    };
    if (gr.scaled) sum.scaledTau = { tau: tables[a].scaledTau, agreement: Object.fromEntries(AGREEMENT_KEYS.map((k) => [k, interval(`${a}|scaledTau|${k}`)])) as Record<keyof Agreement, Interval> };
    if (gr.eraser) sum.eraser = { comprehensiveness: interval(`${a}|eraser|comprehensiveness`), sufficiency: interval(`${a}|eraser|sufficiency`) };
    if (gr.channels) sum.channels = { hFixed: detectionOf(`${a}|hFixed`), zFixed: detectionOf(`${a}|zFixed`) };
    if (gr.auRecovery) sum.auRecovery = { macro: interval(`${a}|auRecovery|macro`), perAu: Object.fromEntries(g0.aus.map((au, k) => [au, aucFromGroups(gr.auRecovery![k])])) };
    if (clusters) {
      sum.perCluster = clusters.map(({ cluster, counts }) => ({
        cluster,
        kappa: Object.fromEntries(graphNames.map((g) => [g, gr.agreement[g].summarize(counts).kappa])),
        auroc: Object.fromEntries(graphNames.map((g) => [g, gr.agreement[g].summarize(counts).auroc])),
        detection: gr.detection.summarize(counts),
      }));
    }
    arms[a] = sum;
  }
  // paired differences of arms (every pair, or every pair with a reference arm), for every bootstrapped measure both arms have
  const differences: Record<string, Record<string, Interval>> = {};
  const measureKeys = (a: string) => Object.keys(boot.estimate).filter((k) => k.startsWith(`${a}|`)).map((k) => k.slice(a.length + 1));
  for (const a of armNames) {
    for (const b of armNames) {
      if (a === b || (opts.references && !opts.references.includes(a) && !opts.references.includes(b))) continue;
      const bKeys = new Set(measureKeys(b));
      differences[`${a}-${b}`] = Object.fromEntries(measureKeys(a).filter((k) => bKeys.has(k)).map((key) => [key, boot.difference(`${a}|${key}`, `${b}|${key}`)]));
    }
  }
  return { arms, differences };
}

/** The one graph a per-row slot gives every row, or null when rows differ. */
function constantGraph(graphOf: (row: number) => CausalGraph, N: number): CausalGraph | null {
  const first = N ? graphOf(0) : null;
  for (let i = 1; i < N; i++) if (graphOf(i) !== first) return null;
  return first;
}

function equalArrays(a: Float32Array, b: Float32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** The graph of an arm's first row under a slot (for AU names and the mean effects). */
function firstGraph(slot: GraphSlot, arm: string): CausalGraph {
  return typeof slot === "function" ? slot(arm, 0) : slot;
}

/** Median |Δ| over the causal pairs of a table (NaN without any). */
function medianCausal(t: AgreementTable): number {
  let n = 0;
  for (let j = 0; j < t.causal.length; j++) n += t.causal[j];
  if (!n) return NaN;
  const vals = new Float64Array(n);
  let at = 0;
  for (let j = 0; j < t.absEffect.length; j++) if (t.causal[j]) vals[at++] = t.absEffect[j];
  vals.sort(); // a typed array sorts numerically
  return quantileSorted(vals as unknown as number[], 0.5);
}

/** A per-row value's mean with rows weighted by their unit's count. */
class GroupedMean {
  private readonly sum: Float64Array;
  private readonly n: Float64Array;
  constructor(values: Float32Array, unitOf: Int32Array, nUnits: number) {
    this.sum = new Float64Array(nUnits);
    this.n = new Float64Array(nUnits);
    values.forEach((v, i) => {
      this.sum[unitOf[i]] += v;
      this.n[unitOf[i]]++;
    });
  }
  summarize(counts?: ArrayLike<number>): number {
    let s = 0;
    let n = 0;
    for (let u = 0; u < this.sum.length; u++) {
      const w = counts ? counts[u] : 1;
      s += w * this.sum[u];
      n += w * this.n[u];
    }
    return n ? s / n : NaN;
  }
}

/** Per AU k: grouped AUROC statistics of z_k for "AU k truly present". */
function auRecoveryTables(z: Float32Array, truth: Uint8Array, N: number, K: number, unitOf: Int32Array, nUnits: number): GroupAuc[] {
  return Array.from({ length: K }, (_, k) => {
    const score = Float32Array.from({ length: N }, (_, i) => z[i * K + k]);
    const positive = Uint8Array.from({ length: N }, (_, i) => truth[i * K + k]);
    return groupAuc(ascendingOrder(score), score, positive, (i) => unitOf[i], nUnits);
  });
}

function meanFinite(xs: number[]): number {
  const f = xs.filter((v) => Number.isFinite(v));
  return f.length ? f.reduce((s, v) => s + v, 0) / f.length : NaN;
}

/** Unit counts selecting each cluster's units alone (null without clusters). */
function clusterUnits(p: Pooled, unitOf: Int32Array, nUnits: number): { cluster: string | number; counts: Float64Array }[] | null {
  if (!p.clusters) return null;
  const names: (string | number)[] = [];
  const index = new Map<string | number, number>();
  const clusterOfUnit = new Int32Array(nUnits);
  p.clusters.forEach((c, i) => {
    if (!index.has(c)) {
      index.set(c, names.length);
      names.push(c);
    }
    clusterOfUnit[unitOf[i]] = index.get(c)!;
  });
  return names.map((cluster, j) => ({ cluster, counts: Float64Array.from(clusterOfUnit, (c) => (c === j ? 1 : 0)) }));
}

function meanOver(abs: Float32Array, N: number, K: number, k: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += abs[i * K + k];
  return N ? s / N : NaN;
}

function meanEffects(effects: Float32Array, N: number, g: CausalGraph): Record<string, Record<string, number>> {
  const K = g.aus.length;
  const C = g.classes.length;
  const out: Record<string, Record<string, number>> = {};
  g.aus.forEach((au, k) => {
    out[au] = {};
    g.classes.forEach((cls, c) => {
      let s = 0;
      for (let i = 0; i < N; i++) s += effects[(i * K + k) * C + c];
      out[au][cls] = N ? s / N : NaN;
    });
  });
  return out;
}

/** Agreement (one τ) and detection on one fold's rows, for the per-fold table. */
export function foldScores(ev: Evaluation, y: Int32Array, graph: CausalGraph, tau: number): Agreement & Detection {
  const C = graph.classes.length;
  const det = new DetectionTable(ev.probs, y, C);
  const agr = new AgreementTable({ data: ev.effects[0], shape: [y.length, graph.aus.length, C] }, det.predicted, graph).summarize(tau);
  return { ...agr, ...det.summarize() };
}
