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
