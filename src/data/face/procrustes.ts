/**
 * Similarity (Procrustes) alignment of landmark shapes: remove translation, scale
 * and in-plane rotation, never reflect. This is how landmarks are normalized before
 * they reach a model: what remains is expression + identity (+ the foreshortening
 * of yaw and pitch, which a 2-D similarity cannot undo).
 */
import { FacrInputError } from "../../util/errors";
import { IBUG_POINTS, to66 } from "./layout";
import { NEUTRAL_FACE_68 } from "./neutral";

/**
 * Align `points` (P × 2, x/y interleaved) to `reference` (P × 2) by the least-squares
 * similarity transform s·R(θ)·p + t (proper rotation only), and return the aligned
 * copy, which lives in the reference's frame. A frame with a non-finite value, or
 * whose points all coincide, comes back as all NaN.
 */
export function procrustesNormalize(points: Float32Array, reference: Float32Array): Float32Array {
  if (points.length !== reference.length || points.length % 2 !== 0) {
    throw new FacrInputError(`points (${points.length} numbers) and reference (${reference.length}) must both be P × 2`, {
      field: "points",
    });
  }
  const ref = centered(reference, 0, reference.length / 2);
  const out = new Float32Array(points.length);
  alignInto(points, 0, points.length / 2, ref, out);
  return out;
}

/**
 * Align every frame of `data` (N × points × 2) to the neutral face in canonical
 * units (its 66-point subset for `points` = 66): the model's landmark input. One
 * similarity per frame, to a fixed reference (not a generalised Procrustes mean of
 * the data, so frames of different datasets land in the same frame).
 */
export function normalizeLandmarks(data: Float32Array, points: 66 | 68): Float32Array {
  if (points !== 66 && points !== 68) throw new FacrInputError(`must be 66 or 68, got ${points}`, { field: "points" });
  const width = points * 2;
  if (data.length % width !== 0) {
    throw new FacrInputError(`holds ${data.length} values, not a multiple of ${points} points × 2`, { field: "landmarks" });
  }
  const reference = points === IBUG_POINTS ? Float32Array.from(NEUTRAL_FACE_68) : to66(Float32Array.from(NEUTRAL_FACE_68));
  const ref = centered(reference, 0, points);
  const out = new Float32Array(data.length);
  const n = data.length / width;
  for (let f = 0; f < n; f++) alignInto(data, f * width, points, ref, out);
  return out;
}

interface Centered {
  xy: Float64Array;
  cx: number;
  cy: number;
}

function centered(a: ArrayLike<number>, offset: number, p: number): Centered {
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < p; i++) {
    cx += a[offset + 2 * i];
    cy += a[offset + 2 * i + 1];
  }
  cx /= p;
  cy /= p;
  const xy = new Float64Array(2 * p);
  for (let i = 0; i < p; i++) {
    xy[2 * i] = a[offset + 2 * i] - cx;
    xy[2 * i + 1] = a[offset + 2 * i + 1] - cy;
  }
  return { xy, cx, cy };
}

/** Align the p points of `src` at `offset` to the centered reference, writing to `out` at the same offset. */
function alignInto(src: Float32Array, offset: number, p: number, ref: Centered, out: Float32Array): void {
  const x = centered(src, offset, p).xy;
  let a = 0; // Σ x·rx + y·ry
  let b = 0; // Σ x·ry − y·rx
  let ss = 0; // Σ |x|²
  for (let i = 0; i < p; i++) {
    const px = x[2 * i];
    const py = x[2 * i + 1];
    const rx = ref.xy[2 * i];
    const ry = ref.xy[2 * i + 1];
    a += px * rx + py * ry;
    b += px * ry - py * rx;
    ss += px * px + py * py;
  }
  if (!(ss > 0) || !Number.isFinite(a + b + ss)) {
    out.fill(NaN, offset, offset + 2 * p);
    return;
  }
  // the rotation θ = atan2(b, a) maximizes Σ ⟨R x, r⟩; scale = |(a, b)| / Σ|x|²
  const norm = Math.hypot(a, b);
  const s = norm / ss;
  const c = norm > 0 ? (s * a) / norm : s;
  const sn = norm > 0 ? (s * b) / norm : 0;
  for (let i = 0; i < p; i++) {
    const px = x[2 * i];
    const py = x[2 * i + 1];
    out[offset + 2 * i] = ref.cx + c * px - sn * py;
    out[offset + 2 * i + 1] = ref.cy + sn * px + c * py;
  }
}
