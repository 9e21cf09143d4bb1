/**
 * The numerical kernels of fitL1Logistic (./logistic-l1.ts): row compaction,
 * linear predictor, objective, gradient, working-set Hessian, KKT violation and
 * soft-thresholding, each a loop over contiguous float64 columns.
 */

/**
 * Curvature floor for the IRLS weights p(1 − p). Near separation most fitted
 * probabilities are 0 or 1 and the raw weights vanish, which would make the
 * quadratic model flat and its minimizer enormous; glmnet clamps probabilities at
 * 1e-5 for the same reason. The floor only changes the step direction (still a
 * descent direction; the line search guarantees decrease), not the solution.
 */
const MIN_CURVATURE = 1e-5;

export function softThreshold(u: number, t: number): number {
  return u > t ? u - t : u < -t ? u + t : 0;
}

export interface Columns {
  /** Column j of the kept rows (not read when column j is inactive). */
  x: readonly Float64Array[];
  active: Uint8Array;
  y: Float64Array;
  /** Weights divided by their sum. */
  w: Float64Array;
  n: number;
}

/** The rows with weight > 0 (the columns as given when that is every row). */
export function compactColumns(columns: readonly Float64Array[], n: number, y: ArrayLike<number>, w: Float64Array, W: number, active: Uint8Array): Columns {
  let m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) m++;
  const kept = new Int32Array(m);
  const ys = new Float64Array(m);
  const ws = new Float64Array(m);
  for (let i = 0, r = 0; i < n; i++) {
    if (!(w[i] > 0)) continue;
    kept[r] = i;
    ys[r] = y[i];
    ws[r] = w[i] / W;
    r++;
  }
  const cols =
    m === n
      ? columns
      : columns.map((col, j) => {
          const c = new Float64Array(active[j] ? m : 0);
          for (let r = 0; r < c.length; r++) c[r] = col[kept[r]];
          return c;
        });
  return { x: cols, active, y: ys, w: ws, n: m };
}

/** out = θ_0 + Σ_j θ_j · column j (columns with θ_j = 0 skipped). */
export function linearPredictor(cols: readonly Float64Array[], theta: Float64Array, out: Float64Array): void {
  out.fill(theta[0]);
  for (let j = 0; j < cols.length; j++) {
    const b = theta[j + 1];
    if (b === 0) continue;
    const c = cols[j];
    for (let i = 0; i < out.length; i++) out[i] += b * c[i];
  }
}

/** Σ a_i b_i, four accumulators (the adds of one running sum would wait on each other). */
export function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

/**
 * F at linear predictor η (weights w summing to 1); also writes the fitted
 * probabilities p_i = σ(η_i) into `prob`. log(1 + e^η) and σ(η) share one
 * exp(−|η|), without overflow.
 */
export function objectiveAt(eta: Float64Array, y: ArrayLike<number>, w: Float64Array, theta: Float64Array, lambda: number, prob: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i];
    const t = Math.exp(-Math.abs(e));
    prob[i] = e >= 0 ? 1 / (1 + t) : t / (1 + t);
    if (w[i] === 0) continue;
    loss += w[i] * ((e > 0 ? e : 0) + Math.log1p(t) - y[i] * e);
  }
  let l1 = 0;
  for (let j = 1; j < theta.length; j++) l1 += Math.abs(theta[j]);
  return loss + lambda * l1;
}

/**
 * g = gradient of the smooth part (index 0 the intercept; inactive columns 0);
 * resid_i = w_i (p_i − y_i); curv_i = w_i · max(p_i(1 − p_i), MIN_CURVATURE),
 * the IRLS weights.
 */
export function gradient(cols: Columns, prob: Float64Array, g: Float64Array, resid: Float64Array, curv: Float64Array): void {
  const { y, w } = cols;
  let g0 = 0;
  for (let i = 0; i < cols.n; i++) {
    const pr = prob[i];
    const r = w[i] * (pr - y[i]);
    resid[i] = r;
    g0 += r;
    const v = pr * (1 - pr);
    curv[i] = w[i] * (v > MIN_CURVATURE ? v : MIN_CURVATURE);
  }
  g[0] = g0;
  for (let j = 0; j < cols.x.length; j++) g[j + 1] = cols.active[j] ? dot(resid, cols.x[j]) : 0;
}

/**
 * H = Σ_i curv_i u_i u_iᵀ restricted to the working set (m coefficients, `set`
 * holds their indices, 0 = intercept), u_i = (1, x_i); m × m, row-major.
 * `scratch` holds curv ∘ column a while row a is filled.
 */
export function hessian(cols: readonly Float64Array[], curv: Float64Array, set: Int32Array, m: number, H: Float64Array, scratch: Float64Array): void {
  for (let a = 0; a < m; a++) {
    let left = curv;
    if (set[a] !== 0) {
      const ca = cols[set[a] - 1];
      for (let i = 0; i < curv.length; i++) scratch[i] = curv[i] * ca[i];
      left = scratch;
    }
    for (let b = a; b < m; b++) {
      if (set[b] === 0) {
        let s = 0;
        for (let i = 0; i < left.length; i++) s += left[i];
        H[a * m + b] = s;
      } else {
        H[a * m + b] = dot(left, cols[set[b] - 1]);
      }
    }
  }
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) H[b * m + a] = H[a * m + b];
}

export function kktViolation(g: Float64Array, theta: Float64Array, active: Uint8Array, lambda: number): number {
  let v = Math.abs(g[0]);
  for (let j = 1; j < theta.length; j++) {
    if (!active[j - 1]) continue;
    const b = theta[j];
    const e = b > 0 ? Math.abs(g[j] + lambda) : b < 0 ? Math.abs(g[j] - lambda) : Math.max(0, Math.abs(g[j]) - lambda);
    if (e > v) v = e;
  }
  return v;
}
