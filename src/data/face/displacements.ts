/**
 * Per-AU displacement fields of the 68 landmarks, written from the FACS movement
 * descriptions (Ekman, Friesen & Hager, FACS Manual 2002), one field per AU.
 *
 * A field holds 136 numbers, (dx, dy) per iBUG point, in canonical units (the
 * outer-eye-corner distance is 1; x right, y down) at full intensity: 5 (FACS E)
 * for intensity AUs, 1 for the binary AUs 43 and 45. A face with several AUs is
 * the neutral shape + identity + Σ_k (intensity_k / max_k) · field_k, then
 * `enforceAnatomy` removes impossible overlaps (a lid through the other lid, a lip
 * through the other lip).
 *
 * Saliency is meant to be realistic, not planted: the jaw AUs (26, 27) move the
 * chin and lower lip by tenths of a unit (a real jaw drop is 2–4 cm on a face whose
 * eye corners are ~9 cm apart), lip AUs by several hundredths, brow and lid AUs by
 * a few hundredths to 0.1 unit (a brow moves < 1 cm).
 */
import { actionUnit } from "../../au/registry";
import { FacrInputError } from "../../util/errors";
import { EYELID_PAIRS, IBUG_POINTS, INNER_LIP_PAIRS, MIRROR_68 } from "./layout";
import { NEUTRAL_FACE_68 } from "./neutral";

/** Builds a field; `pair` moves a point of the subject's right side and its mirror partner symmetrically. */
class FieldBuilder {
  readonly field = new Float32Array(IBUG_POINTS * 2);

  /**
   * Move point `i` and its mirror partner: `out` > 0 away from the midline (< 0
   * towards it), `dy` > 0 down. Canonical units at full intensity.
   */
  pair(i: number, out: number, dy: number): this {
    const j = MIRROR_68[i];
    const side = NEUTRAL_FACE_68[2 * i] < 0 ? -1 : 1;
    this.field[2 * i] += side * out;
    this.field[2 * i + 1] += dy;
    if (j !== i) {
      this.field[2 * j] -= side * out;
      this.field[2 * j + 1] += dy;
    }
    return this;
  }

  /** Move a midline point down by `dy` (up when negative). */
  mid(i: number, dy: number): this {
    if (MIRROR_68[i] !== i) throw new Error(`point ${i} is not on the midline`);
    this.field[2 * i + 1] += dy;
    return this;
  }
}

const f = () => new FieldBuilder();
const neutralY = (i: number) => NEUTRAL_FACE_68[2 * i + 1];

/**
 * AU43 / AU45: the upper lid comes down to the lower lid. The upper lid travels
 * 110% of the neutral gap and the lower lid rises 20% of it, so the lids overlap
 * and `enforceAnatomy` closes them on one line even for larger-eyed identities.
 */
function eyeClosure(): FieldBuilder {
  const b = f();
  for (const [upper, lower] of [
    [37, 41],
    [38, 40],
  ]) {
    const gap = neutralY(lower) - neutralY(upper);
    b.pair(upper, 0, 1.1 * gap).pair(lower, 0, -0.2 * gap);
  }
  return b.pair(36, 0, 0.005).pair(39, 0, 0.005);
}

const FIELDS: Record<string, FieldBuilder> = {
  // AU1 Inner Brow Raiser: "pulls the inner portion of the brows upward"; the brow
  // takes an oblique shape, horizontal wrinkles in the center of the forehead.
  AU01: f().pair(21, -0.005, -0.1).pair(20, 0, -0.075).pair(19, 0, -0.04).pair(18, 0, -0.015).pair(17, 0, -0.005),

  // AU2 Outer Brow Raiser: "pulls the lateral portion of the brows upward"; the
  // brow arches, the lateral upper-lid fold is stretched.
  AU02: f().pair(17, 0.01, -0.085).pair(18, 0.01, -0.095).pair(19, 0, -0.07).pair(20, 0, -0.035).pair(21, 0, -0.01),

  // AU4 Brow Lowerer: "lowers the brows and pulls them together"; vertical
  // furrows between the brows, the brow pushes the upper lid down a little.
  AU04: f()
    .pair(21, -0.05, 0.075)
    .pair(20, -0.035, 0.065)
    .pair(19, -0.02, 0.05)
    .pair(18, -0.01, 0.035)
    .pair(17, 0, 0.02)
    .pair(37, 0, 0.01)
    .pair(38, 0, 0.015),

  // AU5 Upper Lid Raiser: "raises the upper lid", widening the eye aperture (more
  // of the eyeball above the iris shows). The lower lid does not move.
  AU05: f().pair(37, 0, -0.045).pair(38, 0, -0.045).pair(36, 0, -0.003).pair(39, 0, -0.003),

  // AU6 Cheek Raiser: "raises the cheeks, pushes the skin below the eye up",
  // narrowing the eye from below; crow's-feet wrinkles; the lateral brow is drawn
  // down a little; the upper cheek contour rises.
  AU06: f()
    .pair(41, 0, -0.03)
    .pair(40, 0, -0.02)
    .pair(36, 0, -0.01)
    .pair(37, 0, 0.008)
    .pair(17, 0, 0.02)
    .pair(18, 0, 0.01)
    .pair(1, 0.005, -0.015)
    .pair(2, 0.01, -0.02)
    .pair(3, 0.01, -0.015),

  // AU7 Lid Tightener: "tightens the eyelids"; the lower lid is raised and
  // straightened, the upper lid comes down slightly: the eye narrows.
  AU07: f().pair(41, 0, -0.04).pair(40, 0, -0.04).pair(39, 0, -0.005).pair(37, 0, 0.015).pair(38, 0, 0.015),

  // AU9 Nose Wrinkler: "wrinkles the skin along the sides and root of the nose",
  // pulls the nose wings and the upper lip up; the inner ends of the brows are
  // pulled down; the lower lid is pushed up a little.
  AU09: f()
    .pair(31, 0.01, -0.045)
    .pair(32, 0.005, -0.04)
    .mid(33, -0.035)
    .mid(30, -0.02)
    .mid(29, -0.012)
    .mid(28, -0.005)
    .pair(48, 0, -0.01)
    .pair(49, 0, -0.035)
    .pair(50, 0, -0.045)
    .mid(51, -0.045)
    .pair(60, 0, -0.01)
    .pair(61, 0, -0.04)
    .mid(62, -0.04)
    .pair(21, -0.015, 0.035)
    .pair(20, -0.01, 0.02)
    .pair(19, 0, 0.01)
    .pair(40, 0, -0.01)
    .pair(41, 0, -0.01),

  // AU10 Upper Lip Raiser: "raises the upper lip", its center more than its sides
  // (an angular, squared-off upper lip); the nose wings widen and rise a little;
  // the nasolabial furrow deepens. The lips part unless AU24/AU17 hold them.
  AU10: f()
    .pair(48, 0, -0.015)
    .pair(49, 0.005, -0.06)
    .pair(50, 0, -0.07)
    .mid(51, -0.06)
    .pair(60, 0, -0.015)
    .pair(61, 0, -0.065)
    .mid(62, -0.06)
    .pair(31, 0.01, -0.015)
    .pair(32, 0, -0.01)
    .mid(33, -0.01),

  // AU12 Lip Corner Puller: "pulls the lip corners up and back/out" obliquely
  // towards the cheekbones; the cheeks and lower lids are pushed up a little.
  AU12: f()
    .pair(48, 0.08, -0.08)
    .pair(60, 0.07, -0.07)
    .pair(49, 0.04, -0.05)
    .pair(59, 0.04, -0.06)
    .pair(61, 0.03, -0.025)
    .pair(67, 0.03, -0.03)
    .pair(50, 0.015, -0.01)
    .pair(58, 0.015, -0.02)
    .mid(51, -0.005)
    .mid(57, -0.01)
    .mid(62, -0.005)
    .mid(66, -0.01)
    .pair(3, 0.01, -0.01)
    .pair(4, 0.01, -0.01)
    .pair(31, 0.005, -0.005)
    .pair(41, 0, -0.01)
    .pair(40, 0, -0.005),

  // AU14 Dimpler: "tightens the lip corners and pulls them inward/back", with a
  // dimple and a bulge lateral to the corners; the corners rise slightly.
  AU14: f()
    .pair(48, -0.055, -0.025)
    .pair(60, -0.05, -0.022)
    .pair(49, -0.02, -0.008)
    .pair(59, -0.022, -0.01)
    .pair(61, -0.012, -0.005)
    .pair(67, -0.012, -0.005)
    .pair(4, 0.01, 0)
    .pair(3, 0.005, 0),

  // AU15 Lip Corner Depressor: "pulls the lip corners down"; the lower lip is
  // stretched down at the sides, the mouth takes a downturned shape.
  AU15: f()
    .pair(48, 0.01, 0.07)
    .pair(60, 0.005, 0.06)
    .pair(49, 0, 0.02)
    .pair(59, 0, 0.035)
    .pair(61, 0, 0.01)
    .pair(67, 0, 0.02)
    .pair(58, 0, 0.01),

  // AU17 Chin Raiser: "pushes the chin boss and the lower lip up"; the upper lip is
  // pushed up with it, the mouth takes an inverted-U shape, the chin wrinkles.
  AU17: f()
    .mid(57, -0.05)
    .pair(58, 0, -0.045)
    .pair(59, 0, -0.025)
    .mid(66, -0.035)
    .pair(67, 0, -0.028)
    .mid(62, -0.03)
    .pair(61, 0, -0.025)
    .mid(51, -0.025)
    .pair(50, 0, -0.02)
    .pair(48, 0, 0.01)
    .pair(60, 0, 0.01)
    .mid(8, -0.03)
    .pair(7, 0, -0.025)
    .pair(6, 0, -0.012),

  // AU20 Lip Stretcher: "pulls the lip corners laterally" (horizontally, slightly
  // down), the lips are stretched flat and thin; the lower face widens.
  AU20: f()
    .pair(48, 0.09, 0.015)
    .pair(60, 0.08, 0.012)
    .pair(49, 0.045, 0.005)
    .pair(59, 0.045, 0.005)
    .pair(61, 0.035, 0.005)
    .pair(67, 0.035, 0)
    .pair(50, 0.015, 0.005)
    .pair(58, 0.015, -0.005)
    .mid(51, 0.008)
    .mid(57, -0.012)
    .pair(4, 0.005, 0)
    .pair(5, 0.005, 0),

  // AU23 Lip Tightener: "tightens the lips, narrowing the red parts" and the mouth;
  // the lip margins roll in, the lips look thin.
  AU23: f()
    .pair(48, -0.03, 0)
    .pair(60, -0.025, 0)
    .mid(51, 0.02)
    .pair(50, 0, 0.018)
    .pair(49, -0.01, 0.012)
    .mid(57, -0.035)
    .pair(58, 0, -0.03)
    .pair(59, -0.01, -0.018),

  // AU25 Lips Part: "the lips part" a little, the lower lip dropping more than the
  // upper lip rises; the jaw hardly moves.
  AU25: f()
    .mid(66, 0.06)
    .pair(67, 0, 0.055)
    .mid(57, 0.05)
    .pair(58, 0, 0.048)
    .pair(59, 0, 0.035)
    .mid(62, -0.015)
    .pair(61, 0, -0.013)
    .mid(51, -0.005)
    .pair(50, 0, -0.005)
    .pair(60, 0, 0.01)
    .mid(8, 0.01)
    .pair(7, 0, 0.01),

  // AU26 Jaw Drop: "the mandible is lowered" (relaxed): chin, lower jaw and lower
  // lip go down by a moderate amount, the mouth corners follow halfway down.
  AU26: f()
    .pair(1, 0, 0.005)
    .pair(2, 0, 0.02)
    .pair(3, -0.005, 0.05)
    .pair(4, -0.01, 0.09)
    .pair(5, -0.015, 0.14)
    .pair(6, -0.015, 0.19)
    .pair(7, -0.01, 0.23)
    .mid(8, 0.25)
    .mid(57, 0.22)
    .pair(58, -0.005, 0.21)
    .pair(59, -0.01, 0.16)
    .mid(66, 0.2)
    .pair(67, -0.005, 0.19)
    .pair(48, -0.015, 0.06)
    .pair(60, -0.02, 0.07)
    .pair(49, 0, 0.005)
    .mid(62, -0.01)
    .pair(61, 0, -0.008),

  // AU27 Mouth Stretch: "the mouth is stretched wide open", the jaw pulled far
  // down; the face lengthens and narrows below the cheeks, the mouth corners are
  // drawn in, the upper lip is stretched up.
  AU27: f()
    .pair(1, 0, 0.01)
    .pair(2, -0.005, 0.04)
    .pair(3, -0.01, 0.1)
    .pair(4, -0.02, 0.18)
    .pair(5, -0.03, 0.28)
    .pair(6, -0.03, 0.37)
    .pair(7, -0.02, 0.43)
    .mid(8, 0.46)
    .mid(57, 0.42)
    .pair(58, -0.015, 0.4)
    .pair(59, -0.035, 0.31)
    .mid(66, 0.4)
    .pair(67, -0.02, 0.38)
    .pair(48, -0.06, 0.14)
    .pair(60, -0.06, 0.15)
    .mid(51, -0.03)
    .pair(50, -0.005, -0.03)
    .pair(49, -0.02, -0.01)
    .mid(62, -0.035)
    .pair(61, -0.005, -0.032),

  // AU43 Eyes Closed: "the upper lids are lowered until the eyes are closed",
  // sustained. Same geometry as AU45.
  AU43: eyeClosure(),

  // AU45 Blink: the lids close and reopen quickly. A different event from AU43
  // (a brief blink, coded separately), with the same closed-eye geometry at its apex.
  AU45: eyeClosure(),
};

/** The AUs that have a displacement field: every AU of the UNBC and OpenFace sets. */
export const DISPLACEMENT_AUS: readonly string[] = Object.freeze(Object.keys(FIELDS).sort());

const FIELD_BY_CODE: Record<string, Float32Array> = Object.fromEntries(
  Object.entries(FIELDS).map(([code, b]) => [code, b.field]),
);

/**
 * The displacement field of an AU at full intensity (136 numbers, canonical
 * units). A copy: change it freely. Unknown or field-less AUs throw a
 * FacrInputError naming the code.
 */
export function displacementField(code: string): Float32Array {
  const field = FIELD_BY_CODE[code];
  if (!field) {
    // name the AU as the user spelled it; say why when the AU exists but has no field
    const known = (() => {
      try {
        return actionUnit(code).code;
      } catch {
        return null;
      }
    })();
    const problem =
      known === code
        ? `action unit "${code}" has no displacement field`
        : `unknown action unit "${code}"` + (known ? ` (write it as "${known}")` : "");
    throw new FacrInputError(`${problem}; the face model knows ${DISPLACEMENT_AUS.join(", ")}`, { field: "aus" });
  }
  return Float32Array.from(field);
}

const OUTER_INNER_UPPER: readonly (readonly [number, number])[] = [
  [50, 61],
  [51, 62],
  [52, 63],
];
const INNER_OUTER_LOWER: readonly (readonly [number, number])[] = [
  [67, 58],
  [66, 57],
  [65, 56],
];

/**
 * Remove impossible overlaps in place from one canonical 68-point shape (136
 * numbers starting at `offset`): an upper lid below its lower lid, an upper inner
 * lip below the lower inner lip, an outer lip margin inside the inner one. Each
 * crossed pair is set to the mean of its two y values (the eye closes, the lips
 * meet on one line).
 */
export function enforceAnatomy(shape: Float32Array | Float64Array, offset = 0): void {
  const meet = (upper: number, lower: number) => {
    const yu = shape[offset + 2 * upper + 1];
    const yl = shape[offset + 2 * lower + 1];
    if (yu > yl) shape[offset + 2 * upper + 1] = shape[offset + 2 * lower + 1] = (yu + yl) / 2;
  };
  for (const [u, l] of EYELID_PAIRS) meet(u, l);
  for (const [u, l] of INNER_LIP_PAIRS) meet(u, l);
  // outer upper lip stays above the inner upper lip; inner lower lip above the outer lower lip
  for (const [outer, inner] of OUTER_INNER_UPPER) meet(outer, inner);
  for (const [inner, outer] of INNER_OUTER_LOWER) meet(inner, outer);
}
