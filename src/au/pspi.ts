import { FacrInputError } from "../util/errors";

/**
 * Prkachin–Solomon Pain Intensity (Prkachin & Solomon, Pain 2008):
 *
 *     PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43,   range 0–16
 *
 * with AU4, AU6, AU7, AU9, AU10 on the 0–5 intensity scale and AU43 coded 0/1.
 * Returns a function of one intensity row laid out in `aus` order.
 */
export function pspiOf(aus: readonly string[]): (row: ArrayLike<number>, offset?: number) => number {
  const idx = (code: string): number => {
    const i = aus.indexOf(code);
    if (i < 0) throw new FacrInputError(`PSPI needs ${code}, which is not among the AUs [${aus.join(", ")}]`);
    return i;
  };
  const [i4, i6, i7, i9, i10, i43] = ["AU04", "AU06", "AU07", "AU09", "AU10", "AU43"].map(idx);
  return (row, offset = 0) =>
    row[offset + i4] +
    Math.max(row[offset + i6], row[offset + i7]) +
    Math.max(row[offset + i9], row[offset + i10]) +
    row[offset + i43];
}
