import { Scores } from "./score";

/** What the summaries need of one model's scores on evaluation rows. */
export type Evaluation = Pick<Scores, "probs" | "effects">;

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
  const nGraphs = parts[0]?.ev.effects.length ?? 0;
  const probs = new Float32Array(N * C);
  const effects = Array.from({ length: nGraphs }, () => new Float32Array(N * K * C));
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
