import { auCode } from "../../au/registry";
import { FacrInputError } from "../../util/errors";
import { readNumericRows } from "./text-files";

/**
 * Every code of the Facial Action Coding System (Ekman, Friesen & Hager, 2002):
 * action units, action descriptors, head and eye positions, gross behavior and
 * visibility codes, plus 41, 42 and 44 from the 1978 manual (facr's registry
 * knows them). Coded datasets use more of these than facr models (CK+ has 38, 39,
 * head and eye codes; UNBC has 15 and 50, speech), so a code from this list that
 * lies outside a loader's AU set is counted, while a number that is no FACS code
 * at all (99) is an input error.
 */
export const FACS_CODES: ReadonlySet<number> = new Set([
  0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
  34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 55, 56, 57, 58, 61, 62, 63, 64, 65, 66, 68, 69, 70,
  71, 72, 73, 74, 80, 81, 82, 83, 84, 85, 91, 92,
]);

/** One line of a FACS label file: "AU intensity [onset offset]". */
export interface FacsEntry {
  /** FACS number, e.g. 4. */
  au: number;
  /** Zero-padded code, e.g. "AU04". */
  code: string;
  /** As written: 0–5 (CK+: 0 = present, intensity not given). */
  intensity: number;
  /** 1-based line in the file. */
  line: number;
}

/**
 * Read a UNBC or CK+ FACS label file: one line per coded AU, "AU intensity",
 * possibly followed by onset/offset columns (ignored); numbers may be written in
 * scientific notation (`4.0000000e+00`). An empty file means no AU is active.
 * Errors (file, line, field): a non-numeric value, a line with one number, an AU
 * that is not an integer FACS code, an intensity outside 0–5, an AU listed twice.
 */
export function readFacsFile(file: string, what: string): FacsEntry[] {
  const rows = readNumericRows(file, what, { fields: ["AU", "intensity", "onset", "offset"], minFields: 2 });
  const seen = new Map<number, number>();
  return rows.map(({ line, values }) => {
    const [au, intensity] = values;
    if (!Number.isInteger(au) || !FACS_CODES.has(au)) {
      throw new FacrInputError(`unknown action unit ${au}: not a FACS code`, { file, line, field: "AU" });
    }
    if (!(intensity >= 0 && intensity <= 5)) {
      throw new FacrInputError(`intensity of AU${au} must be in 0–5, got ${intensity}`, { file, line, field: "intensity" });
    }
    const before = seen.get(au);
    if (before !== undefined) throw new FacrInputError(`AU${au} is listed twice (first on line ${before})`, { file, line, field: "AU" });
    seen.set(au, line);
    return { au, code: auCode(au), intensity, line };
  });
}
