import { Rng } from "./random";

/** Draws from standard distributions, all through a passed `Rng`. */

/** Beta(a, b) draw via two gamma draws (Marsaglia–Tsang). */
export function beta(r: Rng, a: number, b: number): number {
  const x = gamma(r, a);
  const y = gamma(r, b);
  return x / (x + y);
}

export function gamma(r: Rng, shape: number): number {
  if (shape < 1) return gamma(r, shape + 1) * Math.pow(r.next() || 1e-12, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = r.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function poisson(r: Rng, lambda: number): number {
  const L = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r.next();
  } while (p > L);
  return k - 1;
}
