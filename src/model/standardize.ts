/**
 * Column standardization of N × D row-major features, fitted on training rows:
 * the model input x of the Reasoner (model/features.ts) and the face geometry h
 * of the audit's external head (audit/external-reasoner.ts).
 *
 *   mean_j = Σ x_ij / n,   sd_j = max(1e-6, √max(0, Σ x_ij² / n − mean_j²))
 *
 * over the n rows whose D values are all finite (population variance, one
 * pass, in float64); standardized values (x − mean) / sd, non-finite → 0 (the
 * training mean).
 */
export interface ColumnStats {
  mean: number[];
  sd: number[];
}

/** Mean and sd of the columns of `x` (N × D) over `rows` (default: every row) with all D values finite; null when there is none. */
export function fitColumnStats(x: ArrayLike<number>, D: number, rows?: ArrayLike<number>): ColumnStats | null {
  const mean = new Float64Array(D);
  const sq = new Float64Array(D);
  const count = rows ? rows.length : x.length / D;
  let n = 0;
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r] : r;
    let finite = true;
    for (let j = 0; j < D; j++) if (!Number.isFinite(x[i * D + j])) finite = false;
    if (!finite) continue;
    n++;
    for (let j = 0; j < D; j++) {
      const v = x[i * D + j];
      mean[j] += v;
      sq[j] += v * v;
    }
  }
  if (n === 0) return null;
  const m = Array.from(mean, (s) => s / n);
  const sd = Array.from(sq, (s, j) => Math.max(1e-6, Math.sqrt(Math.max(0, s / n - m[j] * m[j]))));
  return { mean: m, sd };
}

/** The rows `rows` (default: every row) of `x` (N × D), standardized with `st` (non-finite → 0), as a new rows.length × D array. */
export function standardizeRows(x: ArrayLike<number>, D: number, st: ColumnStats, rows?: ArrayLike<number>): Float32Array {
  const count = rows ? rows.length : x.length / D;
  const out = new Float32Array(count * D);
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r] : r;
    for (let j = 0; j < D; j++) {
      const v = (x[i * D + j] - st.mean[j]) / st.sd[j];
      out[r * D + j] = Number.isFinite(v) ? v : 0;
    }
  }
  return out;
}
