/** Index of the largest value of each row of an N × C matrix (first one on ties). */
export function argmaxRows(values: ArrayLike<number>, C: number): Int32Array {
  const N = Math.floor(values.length / C);
  const out = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (values[i * C + c] > values[i * C + best]) best = c;
    out[i] = best;
  }
  return out;
}
