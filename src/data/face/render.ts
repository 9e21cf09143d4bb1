/**
 * From AU intensities to observations: the function the dataset generators call.
 *
 * Per frame i with subject s = identityOf[i]:
 *
 *   canonical = neutral + identity_s.shape + Σ_k (intensity_ik / max_k) · D_k     (then enforceAnatomy)
 *   landmarks = pose_i(canonical) + N(0, landmarkNoise²) per coordinate           (pixels)
 *   appearance = baseline + identity_s.appearance + L · (intensity_i / max) + N(0, appearanceNoise²), clipped at 0
 *
 * D_k are the displacement fields (displacements.ts), L the appearance loadings
 * (appearance.ts), max_k is 5 (1 for AU43/AU45).
 */
import type { Rng } from "../../util/random";
import { auMax } from "../../au/registry";
import { FacrInputError } from "../../util/errors";
import { checkNumber } from "../../util/options";
import { APPEARANCE_FEATURES, DEFAULT_APPEARANCE_NOISE, appearanceBaseline, appearanceLoadingMatrix } from "./appearance";
import { displacementField, enforceAnatomy } from "./displacements";
import type { Identity } from "./identity";
import { IBUG_POINTS } from "./layout";
import { NEUTRAL_FACE_68 } from "./neutral";
import { POSE_SIZE, applyPose } from "./pose";

export interface RenderInput {
  /** AU codes ("AU04"), the column order of `intensities`. */
  aus: readonly string[];
  /** N × aus.length, FACS 0–5 (AU43/AU45: 0 or 1). */
  intensities: Float32Array;
  /** One per subject. */
  identities: readonly Identity[];
  /** N: index into `identities` per frame. */
  identityOf: Int32Array;
  /** N × 6: roll, yaw, pitch (radians), scale (pixels per canonical unit), tx, ty (pixels). */
  poses: Float32Array;
  /** Landmark and appearance noise. */
  rng: Rng;
  /** S.d. of landmark noise per coordinate, pixels (default 1). */
  landmarkNoise?: number;
  /** S.d. of appearance noise per feature, energy units (default DEFAULT_APPEARANCE_NOISE = 0.08). */
  appearanceNoise?: number;
}

export interface RenderOutput {
  /** N × 68 × 2 image coordinates (x right, y down), pixels. */
  landmarks: Float32Array;
  /** N × APPEARANCE_FEATURES.length. */
  appearance: Float32Array;
}

/** Default s.d. of landmark noise, pixels. */
export const DEFAULT_LANDMARK_NOISE = 1;

const P2 = IBUG_POINTS * 2;
const POSE_FIELDS = ["roll", "yaw", "pitch", "scale", "tx", "ty"];

/** Displacement fields of `aus` (at full intensity) as one K × 136 matrix. Throws on an unknown AU, naming it. */
function fieldMatrix(aus: readonly string[]): Float64Array {
  const seen = new Set<string>();
  const m = new Float64Array(aus.length * P2);
  aus.forEach((code, k) => {
    if (seen.has(code)) throw new FacrInputError(`action unit "${code}" appears twice`, { field: "aus" });
    seen.add(code);
    m.set(displacementField(code), k * P2);
  });
  return m;
}

/** Render N frames: landmarks in image pixels and appearance features. Deterministic in `rng`'s state. */
export function renderFrames(input: RenderInput): RenderOutput {
  const { aus, intensities, identities, identityOf, poses, rng } = input;
  const K = aus.length;
  const N = identityOf.length;
  const F = APPEARANCE_FEATURES.length;
  const fields = fieldMatrix(aus);
  const landmarkNoise = checkNumber(input.landmarkNoise ?? DEFAULT_LANDMARK_NOISE, "landmarkNoise", { min: 0 });
  const appearanceNoise = checkNumber(input.appearanceNoise ?? DEFAULT_APPEARANCE_NOISE, "appearanceNoise", { min: 0 });
  if (intensities.length !== N * K) {
    throw new FacrInputError(`holds ${intensities.length} values, expected ${N} frames × ${K} AUs = ${N * K}`, { field: "intensities" });
  }
  if (poses.length !== N * POSE_SIZE) {
    throw new FacrInputError(`holds ${poses.length} values, expected ${N} frames × ${POSE_SIZE} = ${N * POSE_SIZE}`, { field: "poses" });
  }
  identities.forEach((id, s) => {
    if (id.shape.length !== P2) throw new FacrInputError(`has ${id.shape.length} values, expected ${P2}`, { field: `identities[${s}].shape` });
    if (id.appearance.length !== F) throw new FacrInputError(`has ${id.appearance.length} values, expected ${F}`, { field: `identities[${s}].appearance` });
  });

  // rest shape per identity; fields and loadings are at full intensity, so intensities are scaled by 1 / max
  const rest = identities.map((id) => Float64Array.from(NEUTRAL_FACE_68, (v, j) => v + id.shape[j]));
  const loadings = appearanceLoadingMatrix(aus);
  const perUnit = Float64Array.from(aus, (code) => 1 / auMax(code));
  const baseline = appearanceBaseline();

  const landmarks = new Float32Array(N * P2);
  const appearance = new Float32Array(N * F);
  const shape = new Float64Array(P2);
  const scaled = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const s = identityOf[i];
    if (!(s >= 0 && s < identities.length)) {
      throw new FacrInputError(`is ${s}, expected 0 … ${identities.length - 1}`, { field: `identityOf[${i}]` });
    }
    for (let c = 0; c < POSE_SIZE; c++) {
      if (!Number.isFinite(poses[i * POSE_SIZE + c]) || (c === 3 && !(poses[i * POSE_SIZE + c] > 0))) {
        throw new FacrInputError(`is ${poses[i * POSE_SIZE + c]} (${POSE_FIELDS[c]} of frame ${i}); need a finite number, scale > 0`, {
          field: `poses[${i * POSE_SIZE + c}]`,
        });
      }
    }
    shape.set(rest[s]);
    for (let k = 0; k < K; k++) {
      const x = intensities[i * K + k];
      if (!Number.isFinite(x)) {
        throw new FacrInputError(`is ${x} for ${aus[k]} in frame ${i}; the renderer needs a number`, { field: "intensities" });
      }
      scaled[k] = x * perUnit[k];
      if (x === 0) continue;
      const row = k * P2;
      for (let j = 0; j < P2; j++) shape[j] += scaled[k] * fields[row + j];
    }
    enforceAnatomy(shape);
    applyPose(shape, 0, poses, i * POSE_SIZE, landmarks, i * P2);
    if (landmarkNoise > 0) addGaussian(rng, landmarks, i * P2, P2, landmarkNoise);

    const idApp = identities[s].appearance;
    if (appearanceNoise > 0) addGaussian(rng, appearance, i * F, F, appearanceNoise);
    for (let r = 0; r < F; r++) {
      let v = appearance[i * F + r] + baseline[r] + idApp[r];
      for (let k = 0; k < K; k++) v += loadings[r * K + k] * scaled[k];
      appearance[i * F + r] = v > 0 ? v : 0;
    }
  }
  return { landmarks, appearance };
}

/**
 * Add N(0, sd²) to out[offset … offset + n): Marsaglia's polar method on `rng.next()`
 * (no trigonometry; about twice as fast as `rng.normal` for millions of draws).
 */
function addGaussian(rng: Rng, out: Float32Array, offset: number, n: number, sd: number): void {
  for (let j = 0; j < n; j += 2) {
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * rng.next() - 1;
      v = 2 * rng.next() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = sd * Math.sqrt((-2 * Math.log(q)) / q);
    out[offset + j] += u * f;
    if (j + 1 < n) out[offset + j + 1] += v * f;
  }
}

/**
 * The canonical (pose-free, noise-free) 68-point shape of one face: neutral +
 * identity + AU displacements, anatomy enforced. `intensities` by AU code on the
 * FACS scale; AUs not given are 0. Unknown AUs throw, naming the code.
 */
export function canonicalShape(intensities: Readonly<Record<string, number>>, identity?: Identity): Float32Array {
  const shape = Float64Array.from(NEUTRAL_FACE_68, (v, j) => v + (identity ? identity.shape[j] : 0));
  for (const [code, x] of Object.entries(intensities)) {
    const field = displacementField(code);
    const unit = x / auMax(code);
    for (let j = 0; j < P2; j++) shape[j] += unit * field[j];
  }
  enforceAnatomy(shape);
  return Float32Array.from(shape);
}
