import { Scores } from "./score";

/** What the summaries need of one model's scores on evaluation rows. */
export type Evaluation = Pick<Scores, "probs" | "effects">;

/**
 * Optional per-row measures beyond probabilities and Δ (spec §11.5), pooled
 * alongside them when every part has them.
 */
export interface EvaluationExtras {
  /** N × K concept activations. */
  z?: Float32Array | null;
  /** Probabilities with h, or z, fixed at its training mean. */
  probsHFixed?: Float32Array | null;
  probsZFixed?: Float32Array | null;
  /** ERASER comprehensiveness and sufficiency per row. */
  comprehensiveness?: Float32Array | null;
  sufficiency?: Float32Array | null;
}

/** One evaluation's rows: scores, labels, subjects, and optionally the seed (cluster) and the true AU presence. */
export interface EvaluationPart {
  ev: Evaluation & EvaluationExtras;
  y: Int32Array;
  subjects: readonly string[];
  /** The training seed (or any cluster) of these rows: with it the bootstrap resamples seeds, then subjects. */
  cluster?: string | number;
  /** N × K: 1 where the AU is truly present (AU recovery of z). */
  truth?: Uint8Array;
}

/** Rows of several evaluations pooled (folds × seeds), with who they belong to. */
export interface Pooled {
  K: number;
  C: number;
  probs: Float32Array;
  effects: Float32Array[];
  y: Int32Array;
  subjects: string[];
  /** Cluster (seed) per row, when every part gave one. */
  clusters: (string | number)[] | null;
  /** Index of the part each row came from. */
  partOf: Int32Array;
  N: number;
  /** Extras present in every part. */
  extras: { [key in keyof EvaluationExtras]?: Float32Array } & { truth?: Uint8Array };
}

const EXTRA_KEYS = ["z", "probsHFixed", "probsZFixed", "comprehensiveness", "sufficiency"] as const;

export function poolEvaluations(parts: EvaluationPart[], K: number, C: number): Pooled {
  const N = parts.reduce((s, p) => s + p.y.length, 0);
  const nGraphs = parts[0]?.ev.effects.length ?? 0;
  const probs = new Float32Array(N * C);
  const effects = Array.from({ length: nGraphs }, () => new Float32Array(N * K * C));
  const y = new Int32Array(N);
  const partOf = new Int32Array(N);
  const subjects: string[] = [];
  const clusters: (string | number)[] | null = parts.length && parts.every((p) => p.cluster !== undefined) ? [] : null;
  const extras: Pooled["extras"] = {};
  const width = { z: K, probsHFixed: C, probsZFixed: C, comprehensiveness: 1, sufficiency: 1 };
  for (const key of EXTRA_KEYS) if (parts.length && parts.every((p) => p.ev[key])) extras[key] = new Float32Array(N * width[key]);
  if (parts.length && parts.every((p) => p.truth)) extras.truth = new Uint8Array(N * K);
  let at = 0;
  parts.forEach((p, j) => {
    const n = p.y.length;
    probs.set(p.ev.probs, at * C);
    p.ev.effects.forEach((e, g) => effects[g].set(e, at * K * C));
    y.set(p.y, at);
    partOf.fill(j, at, at + n);
    subjects.push(...p.subjects);
    if (clusters) for (let i = 0; i < n; i++) clusters.push(p.cluster!);
    for (const key of EXTRA_KEYS) extras[key]?.set(p.ev[key]!, at * width[key]);
    extras.truth?.set(p.truth!, at * K);
    at += n;
  });
  return { K, C, probs, effects, y, subjects, clusters, partOf, N, extras };
}
