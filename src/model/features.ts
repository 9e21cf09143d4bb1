import { auMax } from "../au/registry";
import { Dataset } from "../data/dataset";
import { normalizeLandmarks } from "../data/face/procrustes";
import { FacrInputError } from "../util/errors";
import { ReasonerRows } from "./rows";
import { ColumnStats, fitColumnStats, standardizeRows } from "./standardize";

/**
 * Model input x from a dataset: Procrustes-normalized landmarks (translation,
 * scale and in-plane rotation removed; 66 or 68 points × 2) followed by the
 * appearance features when present. Never the AUs: those are only targets.
 */
export interface Features {
  /** N × D. */
  x: Float32Array;
  D: number;
  names: string[];
}

export function extractFeatures(ds: Dataset, opts: { landmarks?: boolean; appearance?: boolean } = {}): Features {
  const useLm = (opts.landmarks ?? true) && ds.landmarks !== undefined;
  const useAp = (opts.appearance ?? true) && ds.appearance !== undefined;
  if (!useLm && !useAp) throw new FacrInputError("has neither landmarks nor appearance to build model input from", { file: ds.name, field: "landmarks" });
  const lm = useLm ? normalizeLandmarks(ds.landmarks!.data, ds.landmarks!.points) : null;
  const P = useLm ? ds.landmarks!.points : 0;
  const A = useAp ? ds.appearance!.names.length : 0;
  const D = 2 * P + A;
  const x = new Float32Array(ds.size * D);
  for (let i = 0; i < ds.size; i++) {
    if (lm) x.set(lm.subarray(i * 2 * P, (i + 1) * 2 * P), i * D);
    if (useAp) x.set(ds.appearance!.data.subarray(i * A, (i + 1) * A), i * D + 2 * P);
  }
  const names = [
    ...Array.from({ length: P }, (_, p) => [`lm${p}_x`, `lm${p}_y`]).flat(),
    ...(useAp ? ds.appearance!.names : []),
  ];
  return { x, D, names };
}

/** Per-column mean and sd (sd floored at 1e-6), fitted on training rows only (model/standardize.ts). */
export type Standardizer = ColumnStats;

export function fitStandardizer(f: Features, rows: ArrayLike<number>): Standardizer {
  const st = fitColumnStats(f.x, f.D, rows);
  if (!st) throw new FacrInputError("no training row has finite features", { field: "features" });
  return st;
}

/**
 * The rows `rows` of a dataset as model-ready arrays: standardized features
 * (non-finite features, e.g. a failed landmark fit, become 0 = the training mean),
 * AU targets intensity / max in [0, 1] (NaN = not coded), labels.
 */
export function toReasonerRows(ds: Dataset, f: Features, st: Standardizer, rows: ArrayLike<number>, aus: readonly string[] = ds.aus): ReasonerRows {
  if (!ds.labels) throw new FacrInputError("has no labels to train on", { file: ds.name, field: "labels" });
  const N = rows.length;
  const { D } = f;
  const K = aus.length;
  const cols = aus.map((a) => {
    const k = ds.aus.indexOf(a);
    if (k < 0) throw new FacrInputError(`has no column ${a}`, { file: ds.name, field: "aus" });
    return k;
  });
  const maxes = aus.map(auMax);
  const Kd = ds.aus.length;
  const x = standardizeRows(f.x, D, st, rows);
  const au = new Float32Array(N * K);
  const y = new Int32Array(N);
  for (let r = 0; r < N; r++) {
    const i = rows[r];
    for (let k = 0; k < K; k++) au[r * K + k] = Math.min(1, ds.intensities[i * Kd + cols[k]] / maxes[k]);
    y[r] = ds.labels.y[i];
  }
  return { x, D, au, K, y, N };
}
