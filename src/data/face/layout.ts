/**
 * The iBUG 300-W 68-point facial landmark layout (Sagonas et al., 2013), as used by
 * dlib, OpenFace 2 and CK+, and the 66-point AAM layout of UNBC-McMaster (Lucey et
 * al., 2011), which is the same layout without the two inner mouth corners.
 *
 * "Right" and "left" are the subject's: the subject's right brow (17–21) appears on
 * the image's left. Indices are 0-based throughout.
 */

function range(from: number, to: number): readonly number[] {
  return Object.freeze(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

/** Points per face in the iBUG layout. */
export const IBUG_POINTS = 68;

/** Index lists per region of the 68-point layout. */
export const REGIONS_68 = Object.freeze({
  /** 0–16, from the subject's right ear (image left) round the chin (8) to the left ear. */
  jaw: range(0, 16),
  /** 17–21, outer (17) to inner (21). */
  rightBrow: range(17, 21),
  /** 22–26, inner (22) to outer (26). */
  leftBrow: range(22, 26),
  /** 27–30, from between the eyes (27) to the nose tip (30). */
  noseBridge: range(27, 30),
  /** 31–35, right nose wing (31) under the nose (33) to the left nose wing (35). */
  lowerNose: range(31, 35),
  /** 36–41: outer corner 36, upper lid 37–38, inner corner 39, lower lid 40–41. */
  rightEye: range(36, 41),
  /** 42–47: inner corner 42, upper lid 43–44, outer corner 45, lower lid 46–47. */
  leftEye: range(42, 47),
  /** 48–59: right corner 48, upper lip 49–53 (51 center), left corner 54, lower lip 55–59 (57 center). */
  outerLips: range(48, 59),
  /** 60–67: right inner corner 60, upper inner lip 61–63, left inner corner 64, lower inner lip 65–67. */
  innerLips: range(60, 67),
});

export type Region68 = keyof typeof REGIONS_68;

/** Upper-lid / lower-lid point pairs facing each other (the eye is closed when they meet). */
export const EYELID_PAIRS: readonly (readonly [number, number])[] = [
  [37, 41],
  [38, 40],
  [43, 47],
  [44, 46],
];

/** Upper-inner-lip / lower-inner-lip point pairs facing each other. */
export const INNER_LIP_PAIRS: readonly (readonly [number, number])[] = [
  [61, 67],
  [62, 66],
  [63, 65],
];

/**
 * The left–right mirror partner of each of the 68 points (points on the midline are
 * their own partner): `MIRROR_68[36] === 45`.
 */
export const MIRROR_68: readonly number[] = Object.freeze([
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, // jaw
  26, 25, 24, 23, 22, 21, 20, 19, 18, 17, // brows
  27, 28, 29, 30, 35, 34, 33, 32, 31, // nose
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, // eyes
  54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, // outer lips
  64, 63, 62, 61, 60, 67, 66, 65, // inner lips
]);

/** The two inner mouth corners that UNBC-McMaster's 66-point AAM layout leaves out. */
export const DROPPED_IN_66: readonly number[] = Object.freeze([60, 64]);

/** For each of the 66 AAM points, its iBUG index: 0–59, 61–63, 65–67. */
export const AAM66_FROM_68: readonly number[] = Object.freeze(range(0, 67).filter((i) => i !== 60 && i !== 64));

/** For each iBUG index, its position in the 66-point layout, or -1 for 60 and 64. */
export const AAM66_INDEX_OF_68: readonly number[] = Object.freeze(
  range(0, 67).map((i) => AAM66_FROM_68.indexOf(i)),
);

/**
 * Keep the 66 AAM points of 68-point landmarks. `points68` is one frame (136 numbers,
 * x/y interleaved) or a batch (N × 136); the result has the same kind of layout with
 * 66 points per frame (N × 132).
 */
export function to66(points68: Float32Array): Float32Array {
  if (points68.length % (IBUG_POINTS * 2) !== 0) {
    throw new Error(`to66: expected a multiple of ${IBUG_POINTS * 2} numbers (68 points × 2), got ${points68.length}`);
  }
  const n = points68.length / (IBUG_POINTS * 2);
  const out = new Float32Array(n * 66 * 2);
  for (let f = 0; f < n; f++) {
    const src = f * IBUG_POINTS * 2;
    const dst = f * 66 * 2;
    for (let j = 0; j < 66; j++) {
      out[dst + 2 * j] = points68[src + 2 * AAM66_FROM_68[j]];
      out[dst + 2 * j + 1] = points68[src + 2 * AAM66_FROM_68[j] + 1];
    }
  }
  return out;
}

/** A stroke of the face drawing: iBUG indices joined in order, closed into a polygon or not. */
export interface FacePolyline {
  readonly name: string;
  readonly indices: readonly number[];
  readonly closed: boolean;
}

/** The face as strokes over the 68-point layout (jaw, brows, nose, eyes, lips). */
export const FACE_POLYLINES_68: readonly FacePolyline[] = Object.freeze([
  { name: "jaw", indices: REGIONS_68.jaw, closed: false },
  { name: "rightBrow", indices: REGIONS_68.rightBrow, closed: false },
  { name: "leftBrow", indices: REGIONS_68.leftBrow, closed: false },
  { name: "noseBridge", indices: REGIONS_68.noseBridge, closed: false },
  { name: "lowerNose", indices: [31, 32, 33, 34, 35], closed: false },
  { name: "noseTip", indices: [31, 30, 35], closed: false },
  { name: "rightEye", indices: REGIONS_68.rightEye, closed: true },
  { name: "leftEye", indices: REGIONS_68.leftEye, closed: true },
  { name: "outerLips", indices: REGIONS_68.outerLips, closed: true },
  { name: "innerLips", indices: REGIONS_68.innerLips, closed: true },
]);

/**
 * The same strokes over the 66-point layout, as 66-point indices. The inner lip
 * polygon, which has no inner corners there, runs through the outer corners 48
 * and 54 instead (as UNBC-McMaster drawings do).
 */
export const FACE_POLYLINES_66: readonly FacePolyline[] = Object.freeze(
  FACE_POLYLINES_68.map((line) => ({
    name: line.name,
    closed: line.closed,
    indices: line.indices.map((i) => AAM66_INDEX_OF_68[i === 60 ? 48 : i === 64 ? 54 : i]),
  })),
);
