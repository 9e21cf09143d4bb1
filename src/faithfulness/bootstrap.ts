import { checkKeys, checkNumber } from "../util/options";
import { Rng, Seed } from "../util/random";

/**
 * Percentile bootstrap over subjects. Subjects, not frames, are the independent
 * units: frames of one person are strongly correlated, so resampling frames would
 * give intervals that are far too narrow.
 */

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
  const { weightsFor, groups } = resampleGroupWeights(grouped.groups);
  const estimate = grouped.statistic(new Float64Array(grouped.groups.length).fill(1));
  const reps: number[] = [];
  for (let b = 0; b < B; b++) reps.push(grouped.statistic(weightsFor(rng)));
  const { lo, hi, dropped } = percentileInterval(reps, level);
  return { estimate, lo, hi, level, resamples: B, n: groups, dropped };
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

/** One bootstrap draw of G groups with replacement: how many times each group was drawn. */
export function drawGroupCounts(G: number, rng: Rng): Float64Array {
  const counts = new Float64Array(G);
  for (let d = 0; d < G; d++) counts[rng.int(G)]++;
  return counts;
}

/**
 * Precompute group membership once; `weightsFor(rng)` then draws G groups with
 * replacement and returns each sample's multiplicity.
 */
export function resampleGroupWeights(groupOf: readonly (string | number)[]): { groups: number; weightsFor: (rng: Rng) => Float64Array } {
  const { index, names } = groupIndex(groupOf);
  const G = names.length;
  if (G === 0) throw new Error("bootstrap: no groups");
  return {
    groups: G,
    weightsFor: (rng: Rng) => {
      const counts = drawGroupCounts(G, rng);
      const w = new Float64Array(groupOf.length);
      for (let i = 0; i < w.length; i++) w[i] = counts[index[i]];
      return w;
    },
  };
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
