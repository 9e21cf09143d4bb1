/**
 * Test helpers for graph induction: a slow, obvious reference solver for the
 * L1-logistic objective (FISTA, float64) and toy generators with a known
 * structure.
 */
import { Design } from "../../src/graph/logistic-l1";
import { Rng } from "../../src/util/random";

/** x_ij of a column-major design. */
export const at = (d: Design, i: number, j: number) => d.columns[j][i];

/** A column-major design from rows (for building test cases by hand). */
export function designFromRows(rows: readonly (readonly number[])[]): Design {
  const p = rows[0].length;
  return { columns: Array.from({ length: p }, (_, j) => Float64Array.from(rows, (r) => r[j])), n: rows.length };
}

/** The smooth part's gradient (index 0 the intercept), one loop per row: the KKT conditions are checked against it. */
export function refGradient(d: Design, y: ArrayLike<number>, intercept: number, beta: ArrayLike<number>, weights?: ArrayLike<number>): number[] {
  const p = d.columns.length;
  const g = new Array(p + 1).fill(0);
  let W = 0;
  for (let i = 0; i < d.n; i++) {
    const w = weights ? weights[i] : 1;
    let eta = intercept;
    for (let j = 0; j < p; j++) eta += at(d, i, j) * beta[j];
    const r = w * (1 / (1 + Math.exp(-eta)) - y[i]);
    g[0] += r;
    for (let j = 0; j < p; j++) g[j + 1] += r * at(d, i, j);
    W += w;
  }
  return g.map((v) => v / W);
}

/**
 * Proximal gradient with Nesterov momentum (FISTA, Beck & Teboulle 2009) on
 * (1/W) Σ w_i [log(1 + e^η) − y η] + λ‖β‖₁, step 1/L with L = ¼ · (trace bound on
 * the largest eigenvalue of the weighted Gram matrix). Slow and obvious: many iterations.
 */
export function refFista(d: Design, y: ArrayLike<number>, lambda: number, iterations: number, weights?: ArrayLike<number>): { intercept: number; beta: number[] } {
  const p = d.columns.length;
  let W = 0;
  let trace = 0;
  for (let i = 0; i < d.n; i++) {
    const w = weights ? weights[i] : 1;
    W += w;
    let s = 1;
    for (let j = 0; j < p; j++) s += at(d, i, j) ** 2;
    trace += w * s;
  }
  const L = (0.25 * trace) / W;
  let theta = new Array(p + 1).fill(0);
  let z = theta.slice();
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    const g = refGradient(d, y, z[0], z.slice(1), weights);
    const next = z.map((v, j) => {
      const u = v - g[j] / L;
      if (j === 0) return u;
      const thr = lambda / L;
      return u > thr ? u - thr : u < -thr ? u + thr : 0;
    });
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    z = next.map((v, j) => v + ((t - 1) / tNext) * (v - theta[j]));
    theta = next;
    t = tNext;
  }
  return { intercept: theta[0], beta: theta.slice(1) };
}

/** Standard-normal design with correlated columns: every column mixes in a shared factor. */
export function randomDesign(rng: Rng, n: number, p: number): Design {
  const rows = Array.from({ length: n }, () => {
    const f = rng.normal();
    return Array.from({ length: p }, () => 0.4 * f + rng.normal());
  });
  return designFromRows(rows);
}

export interface ToyData {
  aus: string[];
  intensities: Float32Array;
  subjects: string[];
  labels: { classes: string[]; y: Int32Array };
}

const clamp05 = (v: number) => Math.min(5, Math.max(0, v));

/**
 * Binary toy with a known logistic structure. Per subject, an expressiveness
 * offset; per frame, the causal AUs AU04 (+), AU12 (−) and AU15 (+) drive
 * P(present) = σ(1.2·AU04 − 1.2·AU12 + 1.0·AU15 − 2.4) (intensity units). Nuisance
 * AUs correlate with the label only through the causal ones: AU01 follows AU04 (correlation ≈ 0.8),
 * AU25 follows AU12. AU02 and AU06 are pure noise.
 */
export function logisticToy(seed: number, subjects = 24, framesPer = 120): ToyData {
  const rng = new Rng(seed);
  const aus = ["AU01", "AU02", "AU04", "AU06", "AU12", "AU15", "AU25"];
  const K = aus.length;
  const N = subjects * framesPer;
  const X = new Float32Array(N * K);
  const y = new Int32Array(N);
  const subj: string[] = [];
  for (let s = 0; s < subjects; s++) {
    const expr = rng.uniform(0.7, 1.3);
    for (let f = 0; f < framesPer; f++) {
      const i = s * framesPer + f;
      subj.push(`P${s}`);
      const au04 = clamp05(expr * rng.uniform(0, 3.5));
      const au12 = clamp05(expr * rng.uniform(0, 3.5));
      const au15 = clamp05(expr * rng.uniform(0, 3));
      const row = [
        clamp05(0.7 * au04 + rng.normal(0, 0.6)),
        clamp05(rng.uniform(0, 2)),
        au04,
        clamp05(rng.uniform(0, 2)),
        au12,
        au15,
        clamp05(0.7 * au12 + rng.normal(0, 0.6)),
      ];
      row.forEach((v, k) => (X[i * K + k] = v));
      const eta = 1.2 * au04 - 1.2 * au12 + 1.0 * au15 - 2.4;
      y[i] = rng.bernoulli(1 / (1 + Math.exp(-eta))) ? 1 : 0;
    }
  }
  return { aus, intensities: X, subjects: subj, labels: { classes: ["absent", "present"], y } };
}

/**
 * Separable toy in the image of PSPI: pain = 1[AU04 + max(AU06, AU07) + AU43 > 0]
 * exactly, integer FACS intensities. A latent pain level per frame drives the
 * causal AUs (with subject-specific expressiveness, some favoring AU06 over
 * AU07) and also the nuisance AUs AU25 and AU26, which also occur without pain
 * ("talking"): they co-occur with pain but carry no information once the causal
 * AUs are known.
 */
export function separableToy(seed: number, subjects = 20, framesPer = 150): ToyData {
  const rng = new Rng(seed);
  const aus = ["AU04", "AU06", "AU07", "AU12", "AU25", "AU26", "AU43"];
  const K = aus.length;
  const N = subjects * framesPer;
  const X = new Float32Array(N * K);
  const y = new Int32Array(N);
  const subj: string[] = [];
  const q = (v: number) => clamp05(Math.round(v));
  for (let s = 0; s < subjects; s++) {
    const e = [rng.uniform(0.4, 1.2), rng.uniform(0.2, 1.2), rng.uniform(0.2, 1.2)];
    for (let f = 0; f < framesPer; f++) {
      const i = s * framesPer + f;
      subj.push(`S${s}`);
      const pain = rng.bernoulli(0.4) ? rng.uniform(0, 1) : 0;
      const talking = rng.bernoulli(0.25);
      const au04 = q(5 * e[0] * pain + rng.normal(0, 0.3) - 0.5);
      const au06 = q(5 * e[1] * pain + rng.normal(0, 0.3) - 0.5);
      const au07 = q(5 * e[2] * pain + rng.normal(0, 0.3) - 0.5);
      const au43 = rng.bernoulli(0.3 * pain) ? 1 : 0;
      const row = [
        au04,
        au06,
        au07,
        q(rng.uniform(0, 1.5) - 0.4),
        q(3 * pain + (talking ? 2 : 0) + rng.normal(0, 0.4) - 0.5),
        q(2 * pain + (talking ? 1.5 : 0) + rng.normal(0, 0.4) - 0.5),
        au43,
      ];
      row.forEach((v, k) => (X[i * K + k] = v));
      y[i] = au04 + Math.max(au06, au07) + au43 > 0 ? 1 : 0;
    }
  }
  return { aus, intensities: X, subjects: subj, labels: { classes: ["no_pain", "pain"], y } };
}

/**
 * Four classes generated class → AUs, as expressions are: neutral (no AU),
 * "happiness" AU06 + AU12, "sadness" AU01 + AU04 + AU15, "anger" AU04 + AU07 + AU23
 * (AU04 shared by two classes). Each prototype AU is shown with probability 0.8;
 * any AU appears weakly at random with probability 0.15.
 */
export function prototypeToy(seed: number, subjects = 16, framesPer = 200): ToyData {
  const rng = new Rng(seed);
  const aus = ["AU01", "AU04", "AU06", "AU07", "AU12", "AU15", "AU23", "AU25"];
  const classes = ["neutral", "happiness", "sadness", "anger"];
  const protos: string[][] = [[], ["AU06", "AU12"], ["AU01", "AU04", "AU15"], ["AU04", "AU07", "AU23"]];
  const K = aus.length;
  const N = subjects * framesPer;
  const X = new Float32Array(N * K);
  const y = new Int32Array(N);
  const subj: string[] = [];
  for (let s = 0; s < subjects; s++) {
    const expr = aus.map(() => rng.uniform(0.6, 1.4));
    for (let f = 0; f < framesPer; f++) {
      const i = s * framesPer + f;
      subj.push(`E${s}`);
      const c = rng.int(classes.length);
      y[i] = c;
      aus.forEach((a, k) => {
        let v = 0;
        if (protos[c].includes(a) && rng.bernoulli(0.8)) v = expr[k] * rng.uniform(1.5, 4);
        else if (rng.bernoulli(0.15)) v = rng.uniform(0, 1.5);
        X[i * K + k] = clamp05(v + rng.normal(0, 0.2));
      });
    }
  }
  return { aus, intensities: X, subjects: subj, labels: { classes, y } };
}

/** "+AU04"-style edge lists per class, as compareGraphs reports them. */
export function edgeList(g: { aus: readonly string[]; classes: readonly string[]; polarity: readonly (readonly number[])[] }, cls: string): string[] {
  const c = g.classes.indexOf(cls);
  return g.aus.flatMap((a, k) => (g.polarity[k][c] === 0 ? [] : [`${g.polarity[k][c] > 0 ? "+" : "-"}${a}`]));
}
