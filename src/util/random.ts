/**
 * Seeded randomness. Nothing in facr draws from Math.random: every component that
 * needs randomness receives an `Rng` (or a seed to build one), so the same seed
 * gives the same numbers on every run.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit state words, seeded through
 * splitmix32 so that nearby seeds give unrelated streams.
 */

/** A seed: a non-negative integer or a string (hashed). */
export type Seed = number | string;

function hashString(s: string): number {
  // FNV-1a, 32 bit
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function seedToInt(seed: Seed): number {
  if (typeof seed === "string") return hashString(seed);
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new Error(`seed must be an integer or a string, got ${seed}`);
  }
  // fold 53-bit integers into 32 bits without losing the high part
  return (seed >>> 0) ^ Math.floor(seed / 4294967296);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;
  /** The seed this generator was built from (for reports). */
  readonly seed: Seed;

  constructor(seed: Seed) {
    this.seed = seed;
    const st = { s: seedToInt(seed) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Box–Muller, the second value cached). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return mean + sd * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** In-place Fisher–Yates shuffle; returns the array. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }

  /** `k` distinct elements drawn without replacement, in draw order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    if (k > xs.length) throw new Error(`Rng.sample: cannot draw ${k} from ${xs.length}`);
    return this.shuffle(xs.slice()).slice(0, k);
  }

  /**
   * An independent child generator, deterministic in (this seed, label). Use it to
   * give each component its own stream so adding draws in one place does not shift
   * the numbers of another.
   */
  fork(label: string | number): Rng {
    return new Rng(`${String(this.seed)}/${String(label)}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
