/**
 * Head pose: from the canonical face (x right, y down, unit = outer-eye-corner
 * distance) to image pixels.
 *
 * The model is deliberately simple: each landmark gets a fixed depth d (canonical
 * units, positive towards the camera: the nose tip stands out, the jaw contour
 * lies back), the 3-D point (x, y, d) is rotated by yaw (about the vertical axis),
 * then pitch (about the horizontal axis), projected orthographically (weak
 * perspective), rotated in the image plane by roll, scaled and translated:
 *
 *   x1 = x cos(yaw) + d sin(yaw),       d1 = d cos(yaw) − x sin(yaw)
 *   y2 = y cos(pitch) + d1 sin(pitch)
 *   X  = tx + scale · (x1 cos(roll) − y2 sin(roll))
 *   Y  = ty + scale · (x1 sin(roll) + y2 cos(roll))
 *
 * Signs: yaw > 0 turns the nose towards the image right, pitch > 0 tips the head
 * down (nose towards the image bottom), roll > 0 turns the face clockwise on the
 * screen. Depth does not change with expression (an approximation: a dropped jaw
 * moves back a little in reality).
 */
import type { Rng } from "../../util/random";
import { checkKeys, checkNumber } from "../../util/options";
import { FacrInputError } from "../../util/errors";
import { IBUG_POINTS } from "./layout";
import { NEUTRAL_FACE_68 } from "./neutral";

/** Values per pose: roll, yaw, pitch (radians), scale (pixels per canonical unit), tx, ty (pixels). */
export const POSE_SIZE = 6;

export interface Pose {
  /** Radians, in the image plane; > 0 clockwise on screen. */
  roll: number;
  /** Radians, about the vertical axis; > 0 nose towards the image right. */
  yaw: number;
  /** Radians, about the horizontal axis; > 0 head tipped down. */
  pitch: number;
  /** Pixels per canonical unit (≈ outer-eye-corner distance in pixels for a frontal face). */
  scale: number;
  /** Image position (pixels) of the canonical origin, the point midway between the outer eye corners. */
  tx: number;
  ty: number;
}

/**
 * Depth of each iBUG point towards the camera, canonical units: a face curving back
 * as −x² from the midline, plus a forward offset per feature (brows 0.05, lips 0.2,
 * nose wings 0.2–0.3, the bridge rising to 0.4 at the tip; the jaw's ear ends lie
 * ≈ 0.6 behind the eye line's center).
 */
export const LANDMARK_DEPTH_68: Readonly<Float32Array> = (() => {
  const forward = new Float32Array(IBUG_POINTS);
  const set = (from: number, to: number, v: number) => forward.fill(v, from, to + 1);
  set(0, 16, 0); // jaw contour
  set(17, 26, 0.05); // brows on the brow ridge
  set(36, 47, 0); // eyes
  set(31, 35, 0.2); // nose wings and base
  forward[32] = forward[34] = 0.25;
  forward[33] = 0.3;
  set(48, 67, 0.2); // lips
  forward[8] = 0.1; // chin
  const depth = new Float32Array(IBUG_POINTS);
  for (let i = 0; i < IBUG_POINTS; i++) depth[i] = forward[i] - NEUTRAL_FACE_68[2 * i] ** 2;
  // the nose bridge, 27 (between the eyes) to 30 (tip), on the midline
  depth[27] = 0.1;
  depth[28] = 0.2;
  depth[29] = 0.3;
  depth[30] = 0.4;
  return depth;
})();

/**
 * Put one canonical 68-point shape (136 numbers from `src[srcOffset]`) into image
 * pixels under `pose` (6 numbers from `poses[poseOffset]`: roll, yaw, pitch, scale,
 * tx, ty), writing 136 numbers to `out[outOffset]`.
 */
export function applyPose(
  src: ArrayLike<number>,
  srcOffset: number,
  poses: ArrayLike<number>,
  poseOffset: number,
  out: Float32Array | Float64Array,
  outOffset: number,
): void {
  const roll = poses[poseOffset];
  const yaw = poses[poseOffset + 1];
  const pitch = poses[poseOffset + 2];
  const scale = poses[poseOffset + 3];
  const tx = poses[poseOffset + 4];
  const ty = poses[poseOffset + 5];
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  const cr = Math.cos(roll) * scale;
  const sr = Math.sin(roll) * scale;
  const depth = DEPTH; // a local binding: imported bindings are getters once compiled to CommonJS
  for (let i = 0; i < POINTS; i++) {
    const x = src[srcOffset + 2 * i];
    const y = src[srcOffset + 2 * i + 1];
    const d = depth[i];
    const x1 = x * cy + d * sy;
    const d1 = d * cy - x * sy;
    const y2 = y * cp + d1 * sp;
    out[outOffset + 2 * i] = tx + x1 * cr - y2 * sr;
    out[outOffset + 2 * i + 1] = ty + x1 * sr + y2 * cr;
  }
}

const POINTS = IBUG_POINTS;
const DEPTH = LANDMARK_DEPTH_68;

export interface PoseOptions {
  /** Roll: [mean, s.d.] radians of a normal draw (default [0, 0.05], ≈ 3°). */
  roll?: readonly [number, number];
  /** Yaw: [mean, s.d.] radians (default [0, 0.12], ≈ 7°). */
  yaw?: readonly [number, number];
  /** Pitch: [mean, s.d.] radians (default [0, 0.08], ≈ 5°). */
  pitch?: readonly [number, number];
  /** Pixels per canonical unit: uniform in [lo, hi] (default [70, 100], a face in a 320 × 240 frame). */
  scale?: readonly [number, number];
  /** Image position of the canonical origin, pixels (default [160, 110]). */
  center?: readonly [number, number];
  /** The position is uniform within ± this many pixels of `center` in x and y (default 8). */
  centerJitter?: number;
  /** Angle draws are clipped to mean ± this many s.d. (default 3). */
  maxSd?: number;
}

const POSE_KEYS = ["roll", "yaw", "pitch", "scale", "center", "centerJitter", "maxSd"];

function pair(v: readonly [number, number] | undefined, fallback: [number, number], name: string): [number, number] {
  const p = v ?? fallback;
  if (!Array.isArray(p) || p.length !== 2) throw new FacrInputError(`must be a pair of numbers`, { field: name });
  return [checkNumber(p[0], `${name}[0]`), checkNumber(p[1], `${name}[1]`)];
}

interface ResolvedPoseOptions {
  roll: [number, number];
  yaw: [number, number];
  pitch: [number, number];
  scale: [number, number];
  center: [number, number];
  centerJitter: number;
  maxSd: number;
}

function resolvePoseOptions(opts: PoseOptions): ResolvedPoseOptions {
  checkKeys(opts, POSE_KEYS, "pose options");
  const angle = (name: "roll" | "yaw" | "pitch", fallback: [number, number]): [number, number] => {
    const [mean, sd] = pair(opts[name], fallback, name);
    if (sd < 0) throw new FacrInputError(`s.d. must be ≥ 0, got ${sd}`, { field: `${name}[1]` });
    return [mean, sd];
  };
  const scale = pair(opts.scale, [70, 100], "scale");
  if (!(scale[0] > 0 && scale[1] >= scale[0])) {
    throw new FacrInputError(`must satisfy 0 < lo ≤ hi, got [${scale[0]}, ${scale[1]}]`, { field: "scale" });
  }
  return {
    roll: angle("roll", [0, 0.05]),
    yaw: angle("yaw", [0, 0.12]),
    pitch: angle("pitch", [0, 0.08]),
    scale,
    center: pair(opts.center, [160, 110], "center"),
    centerJitter: checkNumber(opts.centerJitter ?? 8, "centerJitter", { min: 0 }),
    maxSd: checkNumber(opts.maxSd ?? 3, "maxSd", { min: 0 }),
  };
}

function drawPose(rng: Rng, o: ResolvedPoseOptions): Pose {
  const angle = ([mean, sd]: [number, number]) => mean + sd * Math.max(-o.maxSd, Math.min(o.maxSd, rng.normal()));
  const roll = angle(o.roll);
  const yaw = angle(o.yaw);
  const pitch = angle(o.pitch);
  const scale = rng.uniform(o.scale[0], o.scale[1]);
  const tx = o.center[0] + rng.uniform(-o.centerJitter, o.centerJitter);
  const ty = o.center[1] + rng.uniform(-o.centerJitter, o.centerJitter);
  return { roll, yaw, pitch, scale, tx, ty };
}

/** Draw one head pose. Randomness only from `rng`. */
export function samplePose(rng: Rng, opts: PoseOptions = {}): Pose {
  return drawPose(rng, resolvePoseOptions(opts));
}

/** `n` poses drawn with the same options, as the flat N × 6 array `renderFrames` takes. */
export function samplePoses(rng: Rng, n: number, opts: PoseOptions = {}): Float32Array {
  checkNumber(n, "n", { min: 0, integer: true });
  const o = resolvePoseOptions(opts);
  const out = new Float32Array(n * POSE_SIZE);
  for (let i = 0; i < n; i++) {
    const p = drawPose(rng, o);
    out[i * POSE_SIZE] = p.roll;
    out[i * POSE_SIZE + 1] = p.yaw;
    out[i * POSE_SIZE + 2] = p.pitch;
    out[i * POSE_SIZE + 3] = p.scale;
    out[i * POSE_SIZE + 4] = p.tx;
    out[i * POSE_SIZE + 5] = p.ty;
  }
  return out;
}

/** A pose as its 6 numbers: roll, yaw, pitch, scale, tx, ty. */
export function poseToArray(p: Pose): Float32Array {
  return Float32Array.of(p.roll, p.yaw, p.pitch, p.scale, p.tx, p.ty);
}

/** The frontal pose: no rotation, `scale` pixels per unit, origin at (tx, ty). */
export function frontalPose(scale = 1, tx = 0, ty = 0): Pose {
  return { roll: 0, yaw: 0, pitch: 0, scale, tx, ty };
}
