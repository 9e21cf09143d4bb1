import { checkKeys, checkNumber } from "./options";
import { Rng, Seed } from "./random";

/**
 * Percentile bootstrap over subjects. Subjects, not frames, are the independent
 * units: frames of one person are strongly correlated, so resampling frames would
 * give intervals that are far too narrow.
 */

/** A point estimate with a percentile interval. */
export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  /** Resamples whose value was NaN (left out of the interval). */
  dropped: number;
}

export interface BootstrapOptions {
  /** Number of resamples. Default 1000. */
  resamples?: number;
  /** Coverage. Default 0.95. */
  level?: number;
  /** Seed. Default 0. */
  seed?: Seed;
}

export interface BootstrapResult {
  /** The statistic on the data as given. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
  /** Independent units (values, or distinct groups). */
  n: number;
  /** Resamples whose statistic was NaN and were left out of the interval. */
  dropped: number;
}

/**
 * A statistic over samples grouped by subject. It receives one weight per sample
 * — how many times its subject was drawn (0, 1, 2, …) — and must treat a weight
 * as that many copies (e.g. a weighted mean).
 */
export interface GroupedStatistic {
  groups: readonly (string | number)[];
  statistic: (weights: Float64Array) => number;
}

/**
 * 95% (by default) percentile bootstrap CI.
 *
 * - `bootstrapCI(perSubjectValues)`: CI of the mean of one value per subject.
 * - `bootstrapCI({ groups, statistic })`: resample groups with replacement and
 *   recompute the statistic from per-sample weights.
 */
export function bootstrapCI(input: ArrayLike<number> | GroupedStatistic, opts: BootstrapOptions = {}): BootstrapResult {
  checkKeys(opts, ["resamples", "level", "seed"], "bootstrapCI options");
  const B = checkNumber(opts.resamples ?? 1000, "resamples", { min: 1, integer: true });
  const level = checkNumber(opts.level ?? 0.95, "level", { min: 0, max: 1 });
  const rng = new Rng(opts.seed ?? 0).fork("bootstrapCI");
  let grouped: GroupedStatistic;
  if (isGrouped(input)) {
    grouped = input;
  } else {
    const values = Array.from(input);
    if (values.length === 0) throw new Error("bootstrapCI: no values");
    grouped = {
      groups: values.map((_, i) => i),
      statistic: (w) => {
        let s = 0;
        let n = 0;
        for (let i = 0; i < values.length; i++) {
          s += w[i] * values[i];
          n += w[i];
        }
        return n ? s / n : NaN;
      },
    };
  }
  const r = subjectResampler(grouped.groups);
  const ones = new Float64Array(grouped.groups.length).fill(1);
  const b = pairedBootstrap(r, (counts) => ({ value: grouped.statistic(counts ? sampleWeights(r, counts) : ones) }), { resamples: B, level, rng });
  const { estimate, lo, hi, dropped } = b.interval("value");
  return { estimate, lo, hi, level, resamples: B, n: r.independent, dropped };
}

function isGrouped(x: ArrayLike<number> | GroupedStatistic): x is GroupedStatistic {
  return typeof (x as GroupedStatistic).statistic === "function";
}

/** Group index per sample (in order of first appearance) and the group names. */
export function groupIndex(groupOf: readonly (string | number)[]): { index: Int32Array; names: (string | number)[] } {
  const ids = new Map<string | number, number>();
  const index = new Int32Array(groupOf.length);
  groupOf.forEach((g, i) => {
    let id = ids.get(g);
    if (id === undefined) {
      id = ids.size;
      ids.set(g, id);
    }
    index[i] = id;
  });
  return { index, names: [...ids.keys()] };
}

/** One bootstrap draw of `nGroups` groups with replacement: how many times each group was drawn. */
export function drawGroupCounts(nGroups: number, rng: Rng): Float64Array {
  const counts = new Float64Array(nGroups);
  for (let d = 0; d < nGroups; d++) counts[rng.int(nGroups)]++;
  return counts;
}

/** Percentile interval of resampled statistics, NaN values left out (and counted). */
export function percentileInterval(values: readonly number[], level: number): { lo: number; hi: number; dropped: number } {
  const finite = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const dropped = values.length - finite.length;
  if (finite.length === 0) return { lo: NaN, hi: NaN, dropped };
  const alpha = (1 - level) / 2;
  return { lo: quantileSorted(finite, alpha), hi: quantileSorted(finite, 1 - alpha), dropped };
}

/** Linear-interpolation quantile (type 7) of an ascending array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Who a bootstrap resamples. Samples belong to units (`unitOf[i]` ∈ [0, nUnits));
 * one draw returns how many times each unit was drawn, and a statistic that
 * treats a count as that many copies of the unit's samples is then resampled.
 */
export interface Resampler {
  /** Unit of each sample, in order of first appearance. */
  readonly unitOf: Int32Array;
  readonly nUnits: number;
  /** The unit names (subjects; "cluster/subject" for a hierarchical resampler). */
  readonly names: readonly (string | number)[];
  /** Independent top-level units: subjects, or clusters (seeds) for a hierarchical resampler. */
  readonly independent: number;
  /** One resample: the multiplicity of every unit. Draws from `rng` only. */
  draw(rng: Rng): Float64Array;
}

/** Subjects drawn with replacement, as many as there are (the bootstrap of every CI in facr). */
export function subjectResampler(subjects: readonly (string | number)[]): Resampler {
  const { index, names } = groupIndex(subjects);
  if (names.length === 0) throw new Error("bootstrap: no groups");
  return { unitOf: index, nUnits: names.length, names, independent: names.length, draw: (rng) => drawGroupCounts(names.length, rng) };
}

/**
 * Two-level resampling: clusters (e.g. training seeds) with replacement, then,
 * within each drawn cluster, its subjects with replacement. Units are the
 * (cluster, subject) pairs present. Variation between seeds and between
 * subjects both reach the interval.
 */
export function hierarchicalResampler(clusters: readonly (string | number)[], subjects: readonly (string | number)[]): Resampler {
  if (clusters.length !== subjects.length) throw new Error(`hierarchicalResampler: ${clusters.length} cluster ids for ${subjects.length} samples`);
  const { index, names } = groupIndex(subjects.map((s, i) => `${String(clusters[i])}/${String(s)}`));
  const top = groupIndex(clusters);
  if (top.names.length === 0) throw new Error("bootstrap: no groups");
  // units of each cluster, in order of first appearance
  const unitsOf: number[][] = top.names.map(() => []);
  const seen = new Uint8Array(names.length);
  for (let i = 0; i < index.length; i++) {
    if (seen[index[i]]) continue;
    seen[index[i]] = 1;
    unitsOf[top.index[i]].push(index[i]);
  }
  return {
    unitOf: index,
    nUnits: names.length,
    names,
    independent: top.names.length,
    draw: (rng) => {
      const counts = new Float64Array(names.length);
      for (let d = 0; d < unitsOf.length; d++) {
        const units = unitsOf[rng.int(unitsOf.length)];
        for (let e = 0; e < units.length; e++) counts[units[rng.int(units.length)]]++;
      }
      return counts;
    },
  };
}

/** Resampled values of several measures from one set of draws, and their intervals. */
export interface PairedBootstrap<K extends string> {
  estimate: Record<K, number>;
  /** reps[key][b]: the measure on resample b (the same draw for every key). */
  reps: Record<K, number[]>;
  level: number;
  resamples: number;
  interval(key: K): Interval;
  /** The interval of `a − b`, paired draw by draw. */
  difference(a: K, b: K): Interval;
}

/**
 * The one grouped bootstrap: `resamples` draws of `resampler`, each scoring
 * every measure of `statistic(counts)` (so measures, arms and their differences
 * are paired). `statistic(undefined)` is the estimate unless `estimate` is given.
 */
export function pairedBootstrap<K extends string>(
  resampler: Resampler,
  statistic: (counts: Float64Array | undefined) => Record<K, number>,
  opts: { resamples: number; level?: number; rng: Rng; estimate?: Record<K, number> },
): PairedBootstrap<K> {
  const B = checkNumber(opts.resamples, "resamples", { min: 1, integer: true });
  const level = checkNumber(opts.level ?? 0.95, "level", { min: 0, max: 1 });
  const estimate = opts.estimate ?? statistic(undefined);
  const reps = {} as Record<K, number[]>;
  for (let b = 0; b < B; b++) {
    const s = statistic(resampler.draw(opts.rng));
    for (const key in s) (reps[key] ??= []).push(s[key]);
  }
  return {
    estimate,
    reps,
    level,
    resamples: B,
    interval: (key) => ({ estimate: estimate[key], ...percentileInterval(reps[key] ?? [], level) }),
    difference: (a, b) => {
      const ra = reps[a] ?? [];
      const rb = reps[b] ?? [];
      return { estimate: estimate[a] - estimate[b], ...percentileInterval(ra.map((v, i) => v - rb[i]), level) };
    },
  };
}

/** Every measure's interval, keyed like the estimate. */
export function intervalsOf<K extends string>(b: PairedBootstrap<K>, keys: readonly K[]): Record<K, Interval> {
  return Object.fromEntries(keys.map((k) => [k, b.interval(k)])) as Record<K, Interval>;
}

/** A sample-weight vector from unit counts (weights[i] = counts[unitOf[i]]), reusing `out`. */
export function sampleWeights(r: Resampler, counts: Float64Array, out = new Float64Array(r.unitOf.length)): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = counts[r.unitOf[i]];
  return out;
}
