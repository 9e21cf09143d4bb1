import { AGREEMENT_KEYS, Agreement, AgreementTable, DEFAULT_TAUS, GroupedAgreement } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { Interval, pairedBootstrap, subjectResampler } from "../util/bootstrap";
import { Rng } from "../util/random";
import { DETECTION_KEYS, Detection, DetectionTable, GroupedDetection } from "./detection";
import { Evaluation, Pooled } from "./pool";

/** Everything the reports show for one arm, computed from pooled rows. */
export interface ArmSummary {
  /** Agreement with each graph (e.g. G and G′), every measure with a subject-bootstrap CI. */
  agreement: Record<string, Record<keyof Agreement, Interval>>;
  detection: Record<keyof Detection, Interval>;
  /** Agreement with the first graph across τ. */
  tauSweep: (Agreement & { tau: number })[];
  /** Per AU: mean |Δ[i,k,ĉ_i]| under the first graph, nats. */
  meanAbsEffect: Record<string, number>;
  /** Per AU × class: mean Δ[i,k,c] (CaCE on the log-odds scale). */
  meanEffect: Record<string, Record<string, number>>;
}

/**
 * Summaries of several arms evaluated on the same rows, with paired subject
 * bootstraps: every resample draws one set of subjects and scores all arms on
 * it, so differences between arms get their own intervals.
 */
export function summarizeArms(
  pooled: Record<string, Pooled>,
  graphs: Record<string, CausalGraph>,
  opts: { tau: number; taus?: readonly number[]; resamples: number; seed: number; level?: number },
): { arms: Record<string, ArmSummary>; differences: Record<string, Record<string, Interval>> } {
  const level = opts.level ?? 0.95;
  const armNames = Object.keys(pooled);
  const graphNames = Object.keys(graphs);
  const first = pooled[armNames[0]];
  const resampler = subjectResampler(first.subjects);
  const { unitOf, nUnits } = resampler;
  const tables: Record<string, { agreement: Record<string, AgreementTable>; detection: DetectionTable }> = {};
  const grouped: Record<string, { agreement: Record<string, GroupedAgreement>; detection: GroupedDetection }> = {};
  for (const a of armNames) {
    const p = pooled[a];
    if (p.subjects.join("\u0000") !== first.subjects.join("\u0000")) throw new Error(`summarizeArms: arm ${a} was evaluated on other rows than ${armNames[0]}`);
    const detection = new DetectionTable(p.probs, p.y, p.C);
    const agreement: Record<string, AgreementTable> = {};
    graphNames.forEach((g, j) => {
      agreement[g] = new AgreementTable({ data: p.effects[j], shape: [p.N, p.K, p.C] }, detection.predicted, graphs[g]);
    });
    tables[a] = { agreement, detection };
    grouped[a] = {
      agreement: Object.fromEntries(graphNames.map((g) => [g, agreement[g].grouped(unitOf, nUnits, opts.tau)])),
      detection: detection.grouped(unitOf, nUnits),
    };
  }
  // Paired subject bootstrap: one draw of subjects per resample scores every arm.
  const score = (counts?: Float64Array) => {
    const out: Record<string, number> = {};
    for (const a of armNames) {
      for (const g of graphNames) {
        const s = grouped[a].agreement[g].summarize(counts);
        for (const k of AGREEMENT_KEYS) out[`${a}|agreement|${g}|${k}`] = s[k];
      }
      const d = grouped[a].detection.summarize(counts);
      for (const k of DETECTION_KEYS) out[`${a}|detection|${k}`] = d[k];
    }
    return out;
  };
  // the fork label keeps the old spelling: it seeds the bootstrap, so changing it would change every CI
  const boot = pairedBootstrap(resampler, score, { resamples: opts.resamples, level, rng: new Rng(opts.seed).fork("summariseArms") });
  const interval = (key: string): Interval => boot.interval(key);
  const arms: Record<string, ArmSummary> = {};
  for (const a of armNames) {
    const p = pooled[a];
    const g0 = graphs[graphNames[0]];
    arms[a] = {
      agreement: Object.fromEntries(graphNames.map((g) => [g, Object.fromEntries(AGREEMENT_KEYS.map((k) => [k, interval(`${a}|agreement|${g}|${k}`)]))])) as ArmSummary["agreement"],
      detection: Object.fromEntries(DETECTION_KEYS.map((k) => [k, interval(`${a}|detection|${k}`)])) as ArmSummary["detection"],
      tauSweep: (opts.taus ?? DEFAULT_TAUS).map((tau) => ({ tau, ...tables[a].agreement[graphNames[0]].summarize(tau) })),
      meanAbsEffect: Object.fromEntries(g0.aus.map((au, k) => [au, meanOver(tables[a].agreement[graphNames[0]].absEffect, p.N, p.K, k)])),
      meanEffect: meanEffects(p.effects[0], p.N, g0),
    };
  }
  // paired differences of every arm against every other, for agreement with each graph and for detection
  const keys = [...graphNames.flatMap((g) => AGREEMENT_KEYS.map((k) => `agreement|${g}|${k}`)), ...DETECTION_KEYS.map((k) => `detection|${k}`)];
  const differences: Record<string, Record<string, Interval>> = {};
  for (const a of armNames) {
    for (const b of armNames) {
      if (a !== b) differences[`${a}-${b}`] = Object.fromEntries(keys.map((key) => [key, boot.difference(`${a}|${key}`, `${b}|${key}`)]));
    }
  }
  return { arms, differences };
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
