import { FacrInputError } from "../util/errors";
import { checkKeys, checkNumber } from "../util/options";
import { checkDesign, Design } from "./design-matrix";
import { compactColumns, dot, gradient, hessian, kktViolation, linearPredictor, objectiveAt, softThreshold } from "./logistic-l1-kernels";

export type { Design } from "./design-matrix";

/**
 * L1-regularized logistic regression in plain TypeScript (float64), the solver
 * behind graph induction (spec §6). Objective, with frequency weights w_i ≥ 0
 * (a bootstrap multiplicity) and W = Σ w_i:
 *
 *     F(b, β) = (1/W) Σ_i w_i [log(1 + e^{η_i}) − y_i η_i] + λ Σ_j |β_j|,   η_i = b + x_i·β
 *
 * The intercept b is not penalized. This is glmnet's objective (per-observation
 * mean deviance / 2 plus the lasso penalty), so λ has glmnet's scale and
 * λ_max = max_j |(1/W) Σ_i w_i x_ij (y_i − ȳ)| is the smallest λ at which every
 * β_j is 0.
 *
 * Method: proximal Newton (newGLMNET, Yuan, Ho & Lin 2012). Each outer step forms
 * the quadratic (IRLS) model of the log-likelihood at the current point,
 * minimizes model + penalty by cyclic coordinate descent with soft-thresholding
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

/** Armijo sufficient-decrease constant and the most halvings of a step. */
const ARMIJO = 1e-4;
const MAX_HALVINGS = 40;

/** Fit L1-penalized logistic regression; `y` holds 0/1 per row. */
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
  // normalized to sum 1, copied out column by column: every pass below is then
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

    // Minimize the quadratic model + penalty over the working set by coordinate descent, from theta.
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
