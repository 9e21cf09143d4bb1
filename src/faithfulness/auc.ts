/**
 * Weighted Mann–Whitney AUROC: the probability that a random positive item
 * scores above a random negative one, ties counting ½, each item counted
 * `weight(i)` times. `order` lists item indices by ascending score (computed once
 * so bootstrap resamples only reweight).
 */
export function weightedAuc(
  order: ArrayLike<number>,
  score: ArrayLike<number>,
  positive: ArrayLike<number | boolean>,
  weight?: (item: number) => number,
): number {
  let negBelow = 0; // weight of negatives with a strictly smaller score
  let u = 0;
  let posTotal = 0;
  let negTotal = 0;
  let j = 0;
  while (j < order.length) {
    let end = j;
    while (end < order.length && score[order[end]] === score[order[j]]) end++;
    let pos = 0;
    let neg = 0;
    for (let t = j; t < end; t++) {
      const item = order[t];
      const w = weight ? weight(item) : 1;
      if (positive[item]) pos += w;
      else neg += w;
    }
    u += pos * (negBelow + 0.5 * neg);
    negBelow += neg;
    posTotal += pos;
    negTotal += neg;
    j = end;
  }
  return posTotal && negTotal ? u / (posTotal * negTotal) : NaN;
}

/** Item indices sorted by ascending score. */
export function ascendingOrder(score: ArrayLike<number>): Uint32Array {
  const idx = Array.from({ length: score.length }, (_, i) => i);
  idx.sort((a, b) => score[a] - score[b]);
  return Uint32Array.from(idx);
}

/**
 * AUROC sufficient statistics by group: U[s·G + t] counts (positive of group s,
 * negative of group t) pairs won by the positive (ties ½). With per-group weights
 * w, AUROC = Σ w_s w_t U[s,t] / (Σ w_s pos_s · Σ w_t neg_t): a subject bootstrap
 * then costs O(G²) per resample instead of a pass over every item.
 */
export interface GroupAuc {
  G: number;
  U: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
}

export function groupAuc(order: ArrayLike<number>, score: ArrayLike<number>, positive: ArrayLike<number | boolean>, groupOfItem: (item: number) => number, G: number): GroupAuc {
  const U = new Float64Array(G * G);
  const pos = new Float64Array(G);
  const neg = new Float64Array(G);
  const negBelow = new Float64Array(G);
  const negInBlock = new Float64Array(G);
  let j = 0;
  while (j < order.length) {
    let end = j;
    while (end < order.length && score[order[end]] === score[order[j]]) end++;
    for (let t = j; t < end; t++) if (!positive[order[t]]) negInBlock[groupOfItem(order[t])]++;
    for (let t = j; t < end; t++) {
      const item = order[t];
      if (!positive[item]) continue;
      const row = groupOfItem(item) * G;
      for (let g = 0; g < G; g++) U[row + g] += negBelow[g] + 0.5 * negInBlock[g];
    }
    for (let t = j; t < end; t++) {
      const g = groupOfItem(order[t]);
      if (positive[order[t]]) pos[g]++;
      else neg[g]++;
    }
    for (let g = 0; g < G; g++) {
      negBelow[g] += negInBlock[g];
      negInBlock[g] = 0;
    }
    j = end;
  }
  return { G, U, pos, neg };
}

/** AUROC from group statistics with per-group weights (default 1). NaN without positives or negatives. */
export function aucFromGroups(a: GroupAuc, w?: ArrayLike<number>): number {
  const { G, U, pos, neg } = a;
  let num = 0;
  let P = 0;
  let Nn = 0;
  for (let s = 0; s < G; s++) {
    const ws = w ? w[s] : 1;
    if (ws === 0) continue;
    P += ws * pos[s];
    Nn += ws * neg[s];
    let row = 0;
    for (let t = 0; t < G; t++) row += (w ? w[t] : 1) * U[s * G + t];
    num += ws * row;
  }
  return P && Nn ? num / (P * Nn) : NaN;
}
