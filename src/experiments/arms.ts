import * as tf from "@tensorflow/tfjs";
import { interventionEffects } from "../faithfulness/effects";
import { AGREEMENT_KEYS, Agreement, AgreementTable, DEFAULT_TAUS, GroupedAgreement, Interval } from "../faithfulness/metric";
import { drawGroupCounts, groupIndex, percentileInterval } from "../faithfulness/bootstrap";
import { CausalGraph } from "../graph/graph";
import { permuteGraph } from "../graph/permute";
import { Reasoner, ReasonerConfig } from "../model/reasoner";
import { formatEpoch, TrainConfig, TrainData, trainReasoner } from "../train/train";
import { DeepPartial } from "../util/config";
import { Rng } from "../util/random";
import { DETECTION_KEYS, Detection, DetectionTable, GroupedDetection } from "./detection";

/**
 * The arms every experiment compares (spec §4, §6), identical but for the
 * objective's weight, the graph it reads and the head's inputs:
 *
 *   baseline    λ_cf = 0 (no objective)
 *   facr        λ_cf > 0 with the true graph G
 *   control     λ_cf > 0 with the permuted graph G′ (the unfaithfulness control)
 *   bottleneck  λ_cf = 0, head reads z only (the concept-bottleneck ablation)
 */
export type ArmName = "baseline" | "facr" | "control" | "bottleneck";
export const ARM_NAMES: readonly ArmName[] = ["baseline", "facr", "control", "bottleneck"];

export const ARM_LABELS: Record<ArmName, string> = {
  baseline: "baseline (λ_cf = 0)",
  facr: "FACR (G)",
  control: "control (permuted G′)",
  bottleneck: "bottleneck-only (λ_cf = 0)",
};

export interface ArmSpec {
  name: ArmName;
  lambdaCf: number;
  /** Graph the objective reads (G, or G′ for the control). */
  trainGraph: CausalGraph;
  bottleneckOnly: boolean;
}

export function armSpec(name: ArmName, G: CausalGraph, Gp: CausalGraph, lambdaCf: number): ArmSpec {
  switch (name) {
    case "baseline":
      return { name, lambdaCf: 0, trainGraph: G, bottleneckOnly: false };
    case "facr":
      return { name, lambdaCf, trainGraph: G, bottleneckOnly: false };
    case "control":
      return { name, lambdaCf, trainGraph: Gp, bottleneckOnly: false };
    case "bottleneck":
      return { name, lambdaCf: 0, trainGraph: G, bottleneckOnly: true };
  }
}

/** The control graph of a run: permuteGraph(G, seed). */
export function controlGraph(G: CausalGraph, seed: number): CausalGraph {
  return permuteGraph(G, seed);
}

/** Train one arm's reasoner and evaluate it on test rows under several graphs. */
export function trainAndEvaluateArm(a: {
  arm: ArmName;
  G: CausalGraph;
  Gp: CausalGraph;
  lambdaCf: number;
  reasoner: Omit<ReasonerConfig, "aus" | "classes" | "bottleneckOnly"> | (Partial<ReasonerConfig> & { inputDim: number });
  train: TrainData;
  validation: TrainData | null;
  test: TrainData;
  trainConfig: DeepPartial<TrainConfig>;
  evalGraphs: readonly CausalGraph[];
  label: string;
  log: (line: string) => void;
}): { evaluation: Evaluation; trainSeconds: number; evaluateSeconds: number; epochs: number; steps: number; samples: number } {
  const spec = armSpec(a.arm, a.G, a.Gp, a.lambdaCf);
  const reasoner = new Reasoner({ ...a.reasoner, aus: [...a.G.aus], classes: [...a.G.classes], bottleneckOnly: spec.bottleneckOnly } as ReasonerConfig);
  try {
    const res = trainReasoner(reasoner, a.train, a.validation, spec.trainGraph, { ...a.trainConfig, lambdaCf: spec.lambdaCf }, (e) => {
      if (e.best || e.epoch === e.epochs) a.log(formatEpoch(e, a.label));
    });
    const te = performance.now();
    const evaluation = evaluateReasoner(reasoner, a.test, a.evalGraphs);
    return {
      evaluation,
      trainSeconds: res.seconds,
      evaluateSeconds: (performance.now() - te) / 1000,
      epochs: res.history.length,
      steps: res.steps,
      samples: res.samplesPerSecond * res.seconds,
    };
  } finally {
    reasoner.dispose();
  }
}

/** What one trained reasoner produced on evaluation rows. */
export interface Evaluation {
  /** N × C class probabilities. */
  probs: Float32Array;
  /** Δ [N, K, C] (log-odds) under each graph's interventions, in the order given. */
  effects: Float32Array[];
}

/** Probabilities and intervention effects on `data`, in chunks of `chunk` rows (each one batched head call). */
export function evaluateReasoner(reasoner: Reasoner, data: TrainData, graphs: readonly CausalGraph[], chunk = 2048): Evaluation {
  const { N, D } = data;
  const C = reasoner.C;
  const K = reasoner.K;
  const probs = new Float32Array(N * C);
  const effects = graphs.map(() => new Float32Array(N * K * C));
  for (let start = 0; start < N; start += chunk) {
    const n = Math.min(chunk, N - start);
    tf.tidy(() => {
      const x = tf.tensor2d(data.x.subarray(start * D, (start + n) * D), [n, D]);
      const { z, h } = reasoner.encode(x);
      probs.set(tf.softmax(reasoner.head(z, h)).dataSync(), start * C);
      graphs.forEach((g, j) => effects[j].set(interventionEffects(reasoner.head, z, h, g).dataSync(), start * K * C));
    });
  }
  return { probs, effects };
}

/** Rows of several evaluations pooled (folds × seeds), with who they belong to. */
export interface Pooled {
  K: number;
  C: number;
  probs: Float32Array;
  effects: Float32Array[];
  y: Int32Array;
  subjects: string[];
  N: number;
}

export function poolEvaluations(parts: { ev: Evaluation; y: Int32Array; subjects: readonly string[] }[], K: number, C: number): Pooled {
  const N = parts.reduce((s, p) => s + p.y.length, 0);
  const G = parts[0]?.ev.effects.length ?? 0;
  const probs = new Float32Array(N * C);
  const effects = Array.from({ length: G }, () => new Float32Array(N * K * C));
  const y = new Int32Array(N);
  const subjects: string[] = [];
  let at = 0;
  for (const p of parts) {
    probs.set(p.ev.probs, at * C);
    p.ev.effects.forEach((e, j) => effects[j].set(e, at * K * C));
    y.set(p.y, at);
    subjects.push(...p.subjects);
    at += p.y.length;
  }
  return { K, C, probs, effects, y, subjects, N };
}

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
export function summariseArms(
  pooled: Record<string, Pooled>,
  graphs: Record<string, CausalGraph>,
  opts: { tau: number; taus?: readonly number[]; resamples: number; seed: number; level?: number },
): { arms: Record<string, ArmSummary>; differences: Record<string, Record<string, Interval>> } {
  const level = opts.level ?? 0.95;
  const armNames = Object.keys(pooled);
  const graphNames = Object.keys(graphs);
  const first = pooled[armNames[0]];
  const { index, names } = groupIndex(first.subjects);
  const G = names.length;
  const tables: Record<string, { agreement: Record<string, AgreementTable>; detection: DetectionTable }> = {};
  const grouped: Record<string, { agreement: Record<string, GroupedAgreement>; detection: GroupedDetection }> = {};
  for (const a of armNames) {
    const p = pooled[a];
    if (p.subjects.join("\u0000") !== first.subjects.join("\u0000")) throw new Error(`summariseArms: arm ${a} was evaluated on other rows than ${armNames[0]}`);
    const detection = new DetectionTable(p.probs, p.y, p.C);
    const agreement: Record<string, AgreementTable> = {};
    graphNames.forEach((g, j) => {
      agreement[g] = new AgreementTable({ data: p.effects[j], shape: [p.N, p.K, p.C] }, detection.predicted, graphs[g]);
    });
    tables[a] = { agreement, detection };
    grouped[a] = {
      agreement: Object.fromEntries(graphNames.map((g) => [g, agreement[g].grouped(index, G, opts.tau)])),
      detection: detection.grouped(index, G),
    };
  }
  // Paired subject bootstrap: one draw of subjects per resample scores every arm.
  const rng = new Rng(opts.seed).fork("summariseArms");
  const reps: Record<string, number[]> = {};
  const score = (counts?: Float64Array) => {
    const out: Record<string, number> = {};
    for (const a of armNames) {
      for (const g of graphNames) {
        const s = grouped[a].agreement[g].summarise(counts);
        for (const k of AGREEMENT_KEYS) out[`${a}|agreement|${g}|${k}`] = s[k];
      }
      const d = grouped[a].detection.summarise(counts);
      for (const k of DETECTION_KEYS) out[`${a}|detection|${k}`] = d[k];
    }
    return out;
  };
  const full = score();
  for (let b = 0; b < opts.resamples; b++) {
    for (const [k, v] of Object.entries(score(drawGroupCounts(G, rng)))) (reps[k] ??= []).push(v);
  }
  const interval = (key: string): Interval => ({ estimate: full[key], ...percentileInterval(reps[key] ?? [], level) });
  const arms: Record<string, ArmSummary> = {};
  for (const a of armNames) {
    const p = pooled[a];
    const g0 = graphs[graphNames[0]];
    arms[a] = {
      agreement: Object.fromEntries(graphNames.map((g) => [g, Object.fromEntries(AGREEMENT_KEYS.map((k) => [k, interval(`${a}|agreement|${g}|${k}`)]))])) as ArmSummary["agreement"],
      detection: Object.fromEntries(DETECTION_KEYS.map((k) => [k, interval(`${a}|detection|${k}`)])) as ArmSummary["detection"],
      tauSweep: (opts.taus ?? DEFAULT_TAUS).map((tau) => ({ tau, ...tables[a].agreement[graphNames[0]].summarise(tau) })),
      meanAbsEffect: Object.fromEntries(g0.aus.map((au, k) => [au, meanOver(tables[a].agreement[graphNames[0]].absEffect, p.N, p.K, k)])),
      meanEffect: meanEffects(p.effects[0], p.N, g0),
    };
  }
  // paired differences of every arm against every other, for agreement with each graph and for detection
  const differences: Record<string, Record<string, Interval>> = {};
  for (const a of armNames) {
    for (const b of armNames) {
      if (a === b) continue;
      const out: Record<string, Interval> = {};
      const keys = [...graphNames.flatMap((g) => AGREEMENT_KEYS.map((k) => `agreement|${g}|${k}`)), ...DETECTION_KEYS.map((k) => `detection|${k}`)];
      for (const key of keys) {
        const ra = reps[`${a}|${key}`] ?? [];
        const rb = reps[`${b}|${key}`] ?? [];
        out[key] = { estimate: full[`${a}|${key}`] - full[`${b}|${key}`], ...percentileInterval(ra.map((v, i) => v - rb[i]), level) };
      }
      differences[`${a}-${b}`] = out;
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
  const agr = new AgreementTable({ data: ev.effects[0], shape: [y.length, graph.aus.length, C] }, det.predicted, graph).summarise(tau);
  return { ...agr, ...det.summarise() };
}
