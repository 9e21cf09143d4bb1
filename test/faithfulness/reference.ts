/**
 * Slow, obvious plain-TypeScript twins of the faithfulness maths: loops over
 * samples, AUs and classes, float64, no tensors. The batched implementations must
 * agree with these within 1e-5.
 */
import { CausalGraph, groupPartners } from "../../src/graph/graph";

export type JsHead = (z: number[], h: number[]) => number[];

/** ℓ_c = log p_c − log(1 − p_c), written the textbook way (fine for moderate logits). */
export function refLogOdds(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((ei) => Math.log(ei / s) - Math.log(1 - ei / s));
}

export function refSoftmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Δ[i][k][c] by one head call per (sample, AU, class, arm). */
export function refEffects(
  head: JsHead,
  z: number[][],
  h: number[][],
  g: CausalGraph,
  opts: { hi?: number[]; lo?: number[]; scale?: "logodds" | "prob" } = {},
): number[][][] {
  const K = g.aus.length;
  const hi = opts.hi ?? new Array(K).fill(1);
  const lo = opts.lo ?? new Array(K).fill(0);
  const score = opts.scale === "prob" ? refSoftmax : refLogOdds;
  return z.map((zi, i) =>
    g.aus.map((_, k) =>
      g.classes.map((_c, c) => {
        const partners = groupPartners(g, k, c);
        const zHi = zi.slice();
        const zLo = zi.slice();
        for (const j of partners) {
          zHi[j] = lo[j];
          zLo[j] = lo[j];
        }
        zHi[k] = hi[k];
        zLo[k] = lo[k];
        return score(head(zHi, h[i]))[c] - score(head(zLo, h[i]))[c];
      }),
    ),
  );
}

/** L_cf with explicit case analysis per (sample, AU, class). */
export function refLoss(
  effects: number[][][],
  labels: number[],
  g: CausalGraph,
  opts: { margin?: number; causalWeight?: number; huberDelta?: number; penalty?: "square" | "huber"; allClasses?: boolean } = {},
): number {
  const m = opts.margin ?? 1;
  const w = opts.causalWeight ?? 0.5;
  const delta = opts.huberDelta ?? 1;
  let cs = 0, cn = 0, is = 0, inn = 0;
  effects.forEach((row, i) =>
    row.forEach((cells, k) =>
      cells.forEach((d, c) => {
        if (!opts.allClasses && c !== labels[i]) return;
        const p = g.polarity[k][c];
        if (p === 1) { cs += Math.max(0, m - d); cn++; }
        else if (p === -1) { cs += Math.max(0, m + d); cn++; }
        else {
          const a = Math.abs(d);
          is += opts.penalty === "huber" ? (a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta)) : d * d;
          inn++;
        }
      }),
    ),
  );
  if (cn && inn) return w * (cs / cn) + (1 - w) * (is / inn);
  return cn ? cs / cn : is / inn;
}

/** Agreement by building the invoked and reference sets explicitly. */
export function refAgreement(effects: number[][][], pred: number[], g: CausalGraph, tau: number) {
  let tp = 0, fp = 0, fn = 0, tn = 0, polOk = 0, polAll = 0;
  const jac: number[] = [];
  const scores: { s: number; pos: boolean }[] = [];
  effects.forEach((row, i) => {
    const c = pred[i];
    const invoked = new Set<number>();
    const causal = new Set<number>();
    row.forEach((cells, k) => {
      if (Math.abs(cells[c]) >= tau) invoked.add(k);
      if (g.polarity[k][c] !== 0) causal.add(k);
      scores.push({ s: Math.abs(cells[c]), pos: g.polarity[k][c] !== 0 });
    });
    for (let k = 0; k < row.length; k++) {
      const a = invoked.has(k), b = causal.has(k);
      if (a && b) {
        tp++;
        polAll++;
        if (Math.sign(row[k][c]) === g.polarity[k][c]) polOk++;
      } else if (a) fp++;
      else if (b) fn++;
      else tn++;
    }
    const inter = [...invoked].filter((k) => causal.has(k)).length;
    const union = new Set([...invoked, ...causal]).size;
    jac.push(union === 0 ? 1 : inter / union);
  });
  const n = tp + fp + fn + tn;
  const po = (tp + tn) / n;
  const pI = (tp + fp) / n, pR = (tp + fn) / n;
  const pe = pI * pR + (1 - pI) * (1 - pR);
  const kappa = pI === 0 || pI === 1 || pR === 0 || pR === 1 ? 0 : (po - pe) / (1 - pe);
  // AUROC as the probability that a random causal pair outranks a random irrelevant one
  let wins = 0, pairs = 0;
  for (const p of scores) if (p.pos) for (const q of scores) if (!q.pos) {
    pairs++;
    wins += p.s > q.s ? 1 : p.s === q.s ? 0.5 : 0;
  }
  return {
    kappa,
    jaccard: jac.reduce((a, b) => a + b, 0) / jac.length,
    precision: tp + fp ? tp / (tp + fp) : NaN,
    recall: tp + fn ? tp / (tp + fn) : NaN,
    f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : NaN,
    polarityAccuracy: polAll ? polOk / polAll : NaN,
    auroc: pairs ? wins / pairs : NaN,
    invokedRate: (tp + fp) / n,
  };
}
