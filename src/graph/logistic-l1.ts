import { FacrInputError } from "../util/errors";
import { checkKeys, checkNumber } from "../util/options";

/**
 * L1-regularised logistic regression in plain TypeScript (float64), the solver
 * behind graph induction (spec §6). Objective, with frequency weights w_i ≥ 0
 * (a bootstrap multiplicity) and W = Σ w_i:
 *
 *     F(b, β) = (1/W) Σ_i w_i [log(1 + e^{η_i}) − y_i η_i] + λ Σ_j |β_j|,   η_i = b + x_i·β
 *
 * The intercept b is not penalised. This is glmnet's objective (per-observation
 * mean deviance / 2 plus the lasso penalty), so λ has glmnet's scale and
 * λ_max = max_j |(1/W) Σ_i w_i x_ij (y_i − ȳ)| is the smallest λ at which every
 * β_j is 0.
 *
 * Method: proximal Newton (newGLMNET, Yuan, Ho & Lin 2012). Each outer step forms
 * the quadratic (IRLS) model of the log-likelihood at the current point,
 * minimises model + penalty by cyclic coordinate descent with soft-thresholding
 * on the weighted Gram matrix of a working set (intercept, non-zero coefficients
 * and KKT violators: one O(n·m²) pass per outer step, cheap for m ≤ p ≪ n), then
 * backtracks along the step until the objective decreases enough
 * (Armijo on F, Tseng & Yun 2009). The line search is what keeps (quasi-)separable
 * data from blowing up: plain IRLS overshoots once fitted probabilities reach 0
 * or 1, while here F decreases monotonically, and the L1 penalty makes F coercive
 * in β, so the solution is finite. Convergence is declared when the largest KKT
 * violation (below) is at most `tolerance`.
 *
 * KKT conditions at the solution, with g_j = ∂/∂β_j of the smooth part
 * = −(1/W) Σ_i w_i x_ij (y_i − p_i):   g_b = 0;   g_j = −λ·sign(β_j) when β_j ≠ 0;
 * |g_j| ≤ λ when β_j = 0.
 */

/**
 * A dense design matrix of n rows (observations) stored column by column
 * (p = columns.length), as glmnet does: coordinate descent and the Hessian are
 * dot products over columns.
 */
export interface Design {
  readonly columns: readonly Float64Array[];
  readonly n: number;
}

export interface L1LogisticOptions {
  /** Penalty λ ≥ 0 (glmnet scale, per-observation mean loss). Required. */
  lambda: number;
  /** Frequency weights (≥ 0, one per row; 0 leaves a row out). Default: all 1. */
  weights?: Float64Array;
  /**
   * Columns the solver may use (1) or must keep at 0 (0), e.g. constant columns.
   * Default: all.
   */
  active?: Uint8Array;
  /**
   * Stop when the largest KKT violation is at most this, in gradient units
   * (log-likelihood per observation per unit of x). Default 1e-6: far below any
   * λ worth using (so the zero pattern is decided by λ, not by the tolerance) and
   * reached in a few outer steps.
   */
  tolerance?: number;
  /** Outer (proximal Newton) steps at most. Default 100: typical fits need 5–20. */
  maxIterations?: number;
  /** Warm start. Default: b = logit(ȳ), β = 0. */
  init?: { intercept: number; beta: ArrayLike<number> };
}

export interface L1LogisticFit {
  intercept: number;
  beta: Float64Array;
  lambda: number;
  /** F at the solution. */
  objective: number;
  /** Largest KKT violation at the solution (gradient units). */
  kktViolation: number;
  /** Outer steps taken. */
  iterations: number;
  converged: boolean;
}

/**
 * Curvature floor for the IRLS weights p(1 − p). Near separation most fitted
 * probabilities are 0 or 1 and the raw weights vanish, which would make the
 * quadratic model flat and its minimiser enormous; glmnet clamps probabilities at
 * 1e-5 for the same reason. The floor only changes the step direction (still a
 * descent direction; the line search guarantees decrease), not the solution.
 */
const MIN_CURVATURE = 1e-5;
/** Armijo sufficient-decrease constant and the most halvings of a step. */
const ARMIJO = 1e-4;
const MAX_HALVINGS = 40;


/** Fit L1-penalised logistic regression; `y` holds 0/1 per row. */
export function fitL1Logistic(design: Design, y: ArrayLike<number>, opts: L1LogisticOptions): L1LogisticFit {
  checkKeys(opts, ["lambda", "weights", "active", "tolerance", "maxIterations", "init"], "fitL1Logistic options");
  const { n, p } = checkDesign(design);
  const lambda = checkNumber(opts.lambda, "lambda", { min: 0 });
  const tol = checkNumber(opts.tolerance ?? 1e-6, "tolerance", { min: 0 });
  const maxIter = checkNumber(opts.maxIterations ?? 100, "maxIterations", { min: 1, integer: true });
  const w = opts.weights ?? new Float64Array(n).fill(1);
  const active = opts.active ?? new Uint8Array(p).fill(1);
  if (y.length !== n) throw new FacrInputError(`holds ${y.length} labels, expected n = ${n}`, { field: "y" });
  if (w.length !== n) throw new FacrInputError(`holds ${w.length} weights, expected n = ${n}`, { field: "weights" });
  if (active.length !== p) throw new FacrInputError(`holds ${active.length} flags, expected p = ${p}`, { field: "active" });
  let W = 0;
  let Wy = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new FacrInputError(`weights must be finite and ≥ 0, got ${w[i]}`, { field: `weights[${i}]` });
    if (y[i] !== 0 && y[i] !== 1) throw new FacrInputError(`labels must be 0 or 1, got ${y[i]}`, { field: `y[${i}]` });
    W += w[i];
    Wy += w[i] * y[i];
  }
  if (!(W > 0)) throw new FacrInputError("the weights sum to 0: no observation to fit", { field: "weights" });
  if (Wy === 0 || Wy === W) {
    throw new FacrInputError(`every weighted label is ${Wy === 0 ? 0 : 1}: the intercept would be infinite`, { field: "y" });
  }

  const P = p + 1; // coefficient 0 is the intercept
  const theta = new Float64Array(P);
  if (opts.init) {
    if (opts.init.beta.length !== p) throw new FacrInputError(`init.beta holds ${opts.init.beta.length} values, expected p = ${p}`, { field: "init" });
    theta[0] = opts.init.intercept;
    for (let j = 0; j < p; j++) theta[j + 1] = active[j] ? opts.init.beta[j] : 0;
  } else {
    const ybar = Wy / W;
    theta[0] = Math.log(ybar / (1 - ybar));
  }

  // Rows with weight > 0 only (a bootstrap leaves out about a third), weights
  // normalised to sum 1, copied out column by column: every pass below is then
  // a dot product or an axpy over contiguous memory.
  const cols = compactColumns(design.columns, n, y, w, W, active);
  const nr = cols.n;
  const eta = new Float64Array(nr);
  const prob = new Float64Array(nr);
  linearPredictor(cols.x, theta, eta);
  let F = objectiveAt(eta, cols.y, cols.w, theta, lambda, prob);
  const g = new Float64Array(P);
  const resid = new Float64Array(nr);
  const curv = new Float64Array(nr);
  const scratch = new Float64Array(nr);
  const H = new Float64Array(P * P);
  const next = new Float64Array(P);
  const Hd = new Float64Array(P);
  const xd = new Float64Array(nr);
  const etaTry = new Float64Array(nr);
  const probTry = new Float64Array(nr);
  const trial = new Float64Array(P);
  const set = new Int32Array(P);
  let viol = Infinity;
  let iter = 0;
  for (;;) {
    gradient(cols, prob, g, resid, curv);
    viol = kktViolation(g, theta, active, lambda);
    if (viol <= tol || iter === maxIter) break;
    iter++;

    // Working set: the intercept, non-zero coefficients and zeros that violate
    // |g_j| ≤ λ. The others stay 0 this step; the next KKT check catches any
    // that should move. With sparse solutions this makes the O(n·|set|²)
    // Hessian pass several times cheaper than the full (p+1)².
    let m = 0;
    set[m++] = 0;
    for (let j = 1; j < P; j++) if (active[j - 1] && (theta[j] !== 0 || Math.abs(g[j]) > lambda)) set[m++] = j;
    hessian(cols.x, curv, set, m, H, scratch);

    // Minimise the quadratic model + penalty over the working set by coordinate descent, from theta.
    next.set(theta);
    Hd.fill(0);
    const innerTol = Math.max(tol * 1e-3, 1e-14);
    for (let sweep = 0; sweep < 10_000; sweep++) {
      let biggest = 0;
      for (let a = 0; a < m; a++) {
        const j = set[a];
        const hjj = H[a * m + a];
        if (!(hjj > 0)) continue;
        const grad = g[j] + Hd[a];
        const old = next[j];
        const nv = j === 0 ? old - grad / hjj : softThreshold(old - grad / hjj, lambda / hjj);
        const delta = nv - old;
        if (delta !== 0) {
          next[j] = nv;
          const row = a * m;
          for (let b = 0; b < m; b++) Hd[b] += delta * H[row + b];
          const change = Math.abs(delta) * hjj;
          if (change > biggest) biggest = change;
        }
      }
      if (biggest < innerTol) break;
    }

    // Line search along d = next − theta.
    let gd = 0;
    let l1Old = 0;
    let l1New = 0;
    for (let j = 0; j < P; j++) gd += g[j] * (next[j] - theta[j]);
    for (let j = 1; j < P; j++) {
      l1Old += Math.abs(theta[j]);
      l1New += Math.abs(next[j]);
    }
    const decrease = gd + lambda * (l1New - l1Old);
    if (!(decrease < 0)) break; // no descent left at machine precision
    for (let j = 0; j < P; j++) next[j] -= theta[j]; // next now holds d
    linearPredictor(cols.x, next, xd);
    // Below what F can resolve in float64 the Armijo test is rounding noise:
    // take the full step (this close to the solution the quadratic model is exact to that order).
    const unresolvable = -decrease < 1e-13 * Math.max(1, Math.abs(F));
    let t = 1;
    let accepted = false;
    for (let h = 0; h < MAX_HALVINGS; h++, t /= 2) {
      for (let i = 0; i < nr; i++) etaTry[i] = eta[i] + t * xd[i];
      for (let j = 0; j < P; j++) trial[j] = theta[j] + t * next[j];
      const Ft = objectiveAt(etaTry, cols.y, cols.w, trial, lambda, probTry);
      if (unresolvable || Ft <= F + ARMIJO * t * decrease) {
        theta.set(trial);
        eta.set(etaTry);
        prob.set(probTry);
        F = Ft;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return {
    intercept: theta[0],
    beta: theta.slice(1),
    lambda,
    objective: F,
    kktViolation: viol,
    iterations: iter,
    converged: viol <= tol,
  };
}

/**
 * The smallest λ at which every β_j is 0: max_j |(1/W) Σ_i w_i x_ij (y_i − ȳ_w)|
 * over the active columns, ȳ_w the weighted mean label.
 */
export function lambdaMax(design: Design, y: ArrayLike<number>, weights?: Float64Array, active?: Uint8Array): number {
  const { n, p } = checkDesign(design);
  let W = 0;
  let Wy = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[i] : 1;
    W += wi;
    Wy += wi * y[i];
  }
  const ybar = Wy / W;
  const r = Float64Array.from({ length: n }, (_, i) => (weights ? weights[i] : 1) * (y[i] - ybar));
  let m = 0;
  for (let j = 0; j < p; j++) if (!active || active[j]) m = Math.max(m, Math.abs(dot(r, design.columns[j])) / W);
  return m;
}

/** F(b, β) as defined above (for tests and reports). */
export function l1LogisticObjective(design: Design, y: ArrayLike<number>, intercept: number, beta: ArrayLike<number>, lambda: number, weights?: Float64Array): number {
  const { n, p } = checkDesign(design);
  const theta = new Float64Array(p + 1);
  theta[0] = intercept;
  for (let j = 0; j < p; j++) theta[j + 1] = beta[j];
  const eta = new Float64Array(n);
  linearPredictor(design.columns, theta, eta);
  const w = new Float64Array(n).fill(1);
  if (weights) w.set(weights);
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  for (let i = 0; i < n; i++) w[i] /= W;
  return objectiveAt(eta, y, w, theta, lambda, new Float64Array(n));
}

function checkDesign(d: Design): { n: number; p: number } {
  const p = d.columns.length;
  if (!Number.isInteger(d.n) || d.n < 1 || p < 1) {
    throw new FacrInputError(`a design needs n ≥ 1 rows and p ≥ 1 columns, got n = ${d.n}, p = ${p}`, { field: "design" });
  }
  d.columns.forEach((c, j) => {
    if (c.length !== d.n) throw new FacrInputError(`holds ${c.length} values, expected n = ${d.n}`, { field: `design.columns[${j}]` });
  });
  return { n: d.n, p };
}

function softThreshold(u: number, t: number): number {
  return u > t ? u - t : u < -t ? u + t : 0;
}

interface Columns {
  /** Column j of the kept rows (not read when column j is inactive). */
  x: readonly Float64Array[];
  active: Uint8Array;
  y: Float64Array;
  /** Weights divided by their sum. */
  w: Float64Array;
  n: number;
}

/** The rows with weight > 0 (the columns as given when that is every row). */
function compactColumns(columns: readonly Float64Array[], n: number, y: ArrayLike<number>, w: Float64Array, W: number, active: Uint8Array): Columns {
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
function linearPredictor(cols: readonly Float64Array[], theta: Float64Array, out: Float64Array): void {
  out.fill(theta[0]);
  for (let j = 0; j < cols.length; j++) {
    const b = theta[j + 1];
    if (b === 0) continue;
    const c = cols[j];
    for (let i = 0; i < out.length; i++) out[i] += b * c[i];
  }
}

/** Σ a_i b_i, four accumulators (the adds of one running sum would wait on each other). */
function dot(a: Float64Array, b: Float64Array): number {
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
function objectiveAt(eta: Float64Array, y: ArrayLike<number>, w: Float64Array, theta: Float64Array, lambda: number, prob: Float64Array): number {
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
function gradient(cols: Columns, prob: Float64Array, g: Float64Array, resid: Float64Array, curv: Float64Array): void {
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
function hessian(cols: readonly Float64Array[], curv: Float64Array, set: Int32Array, m: number, H: Float64Array, scratch: Float64Array): void {
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

function kktViolation(g: Float64Array, theta: Float64Array, active: Uint8Array, lambda: number): number {
  let v = Math.abs(g[0]);
  for (let j = 1; j < theta.length; j++) {
    if (!active[j - 1]) continue;
    const b = theta[j];
    const e = b > 0 ? Math.abs(g[j] + lambda) : b < 0 ? Math.abs(g[j] - lambda) : Math.max(0, Math.abs(g[j]) - lambda);
    if (e > v) v = e;
  }
  return v;
}
