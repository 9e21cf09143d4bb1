import { auMax } from "../au/registry";
import { Dataset } from "../data/dataset";
import { normalizeLandmarks } from "../data/face/procrustes";
import { NEUTRAL_FACE_68 } from "../data/face/neutral";
import { ColumnStats, fitColumnStats, standardizeRows } from "../model/standardize";
import { FacrInputError } from "../util/errors";

/**
 * The inputs of the external-AU reasoner (external-reasoner.ts): z, the data's
 * AU intensities scaled to [0, 1], and h, 8 geometric measures of the
 * Procrustes-normalized landmarks, standardized with the training data's
 * statistics. See external-reasoner.ts for the whole design.
 */

export const GEOMETRY_FEATURES = ["brow_raise", "inner_brow_gap", "eye_aperture", "nose_to_upper_lip", "mouth_width", "mouth_corner_lift", "mouth_opening", "jaw_drop"] as const;

/** Raw geometry of one aligned face (points indexed as in iBUG 68; only 0–59 are read). */
function geometryOf(pt: (i: number) => [number, number]): number[] {
  const y = (i: number) => pt(i)[1];
  const dist = (a: number, b: number) => Math.hypot(pt(a)[0] - pt(b)[0], pt(a)[1] - pt(b)[1]);
  let brows = 0;
  for (let i = 17; i <= 26; i++) brows += y(i);
  let eyes = 0;
  for (let i = 36; i <= 47; i++) eyes += y(i);
  return [
    eyes / 12 - brows / 10,
    pt(22)[0] - pt(21)[0],
    (y(41) - y(37) + y(40) - y(38) + y(47) - y(43) + y(46) - y(44)) / 4,
    y(51) - y(33),
    dist(48, 54),
    (y(51) + y(57)) / 2 - (y(48) + y(54)) / 2,
    y(57) - y(51),
    y(8) - y(33),
  ];
}

const NEUTRAL_GEOMETRY = geometryOf((i) => [NEUTRAL_FACE_68[2 * i], NEUTRAL_FACE_68[2 * i + 1]]);

/** GEOMETRY_FEATURES per frame (N × 8, raw, neutral face = 0), or null without landmarks; failed frames are NaN rows. */
export function faceGeometry(ds: Pick<Dataset, "size" | "landmarks">): { h: Float32Array; failed: number } | null {
  if (!ds.landmarks) return null;
  const P = ds.landmarks.points;
  const aligned = normalizeLandmarks(ds.landmarks.data, P);
  const D = GEOMETRY_FEATURES.length;
  const h = new Float32Array(ds.size * D);
  let failed = 0;
  for (let f = 0; f < ds.size; f++) {
    const o = f * P * 2;
    const g = geometryOf((i) => [aligned[o + 2 * i], aligned[o + 2 * i + 1]]);
    const ok = g.every(Number.isFinite);
    if (!ok) failed++;
    for (let j = 0; j < D; j++) h[f * D + j] = ok ? g[j] - NEUTRAL_GEOMETRY[j] : NaN;
  }
  return { h, failed };
}

/** The z channel of a dataset for `aus` (see the module comment). */
export interface ExternalActivations {
  /** N × K in [0, 1]. */
  z: Float32Array;
  K: number;
  /** Intensity values that were NaN (not coded) and became 0. */
  nanValues: number;
  /** AUs of `aus` the data has no column for (z = 0 in every frame). */
  missingAus: string[];
  /** How intensities were scaled, in words. */
  scale: string;
}

/**
 * z of `ds` for `aus`. `unitScale`: the values are already on 0–1 (e.g. OpenFace AU*_r divided by 5 in
 * post-processing; load.ts detectAuScale decides): taken as z directly, not divided again.
 */
export function externalActivations(ds: Pick<Dataset, "size" | "aus" | "intensities" | "source" | "name">, aus: readonly string[], opts: { unitScale?: boolean } = {}): ExternalActivations {
  const K = aus.length;
  const Kd = ds.aus.length;
  const cols = aus.map((a) => ds.aus.indexOf(a));
  const openface = ds.source === "openface";
  const unit = opts.unitScale === true;
  const div = aus.map((a) => (unit ? 1 : openface ? 5 : auMax(a)));
  const z = new Float32Array(ds.size * K);
  let nanValues = 0;
  for (let i = 0; i < ds.size; i++) {
    for (let k = 0; k < K; k++) {
      const c = cols[k];
      if (c < 0) continue;
      const v = ds.intensities[i * Kd + c];
      if (Number.isNaN(v)) {
        nanValues++;
        continue;
      }
      z[i * K + k] = Math.min(1, Math.max(0, v / div[k]));
    }
  }
  return {
    z,
    K,
    nanValues,
    missingAus: aus.filter((_, k) => cols[k] < 0),
    scale: zScaleText(openface, unit),
  };
}

/** How z was made from the AU values, in words. */
export function zScaleText(openface: boolean, unitScale: boolean): string {
  if (unitScale) return openface ? "OpenFace AU*_r taken as z directly (the values are already on 0–1)" : "AU intensity taken as z directly (the values are already on 0–1)";
  return openface ? "OpenFace AU*_r / 5" : "intensity / the AU's maximum (5; 1 for binary AUs)";
}

/** Mean and sd of h's columns on the training data (sd floored at 1e-6; model/standardize.ts). */
export interface HStandardizer extends ColumnStats {
  names: string[];
}

export function fitHStandardizer(h: Float32Array, D: number): HStandardizer {
  const st = fitColumnStats(h, D);
  if (!st) throw new FacrInputError("no frame has usable landmarks to standardize the geometry features on", { field: "landmarks" });
  return { names: [...GEOMETRY_FEATURES], mean: st.mean, sd: st.sd };
}

/** Standardized h (non-finite → 0 = the training mean). */
export function standardizeH(h: Float32Array, st: HStandardizer): Float32Array {
  return standardizeRows(h, st.mean.length, st);
}

