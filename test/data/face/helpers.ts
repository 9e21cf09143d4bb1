import { NEUTRAL_FACE_68 } from "../../../src/data/face";

/** (x, y) of point i in a flat x/y-interleaved shape. */
export function pt(shape: ArrayLike<number>, i: number): [number, number] {
  return [shape[2 * i], shape[2 * i + 1]];
}

/** Displacement of point i between two shapes (b − a). */
export function delta(a: ArrayLike<number>, b: ArrayLike<number>, i: number): [number, number] {
  return [b[2 * i] - a[2 * i], b[2 * i + 1] - a[2 * i + 1]];
}

/** Mean point displacement norm between two 68-point shapes. */
export function meanNorm(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < 68; i++) s += Math.hypot(...delta(a, b, i));
  return s / 68;
}

export const NEUTRAL = Float32Array.from(NEUTRAL_FACE_68);
