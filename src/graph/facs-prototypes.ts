/**
 * Emotion → AU prototype combinations, encoded by facr from two published
 * tables (facts, written in our own format):
 *
 * - Ekman, Friesen & Hager (2002), FACS Investigator's Guide, Table 10-1 /
 *   "EMFACS" predictions: the rows marked *prototype* (variants are listed
 *   separately and do not make edges, see `emotionPrototypeGraph`).
 * - Matsumoto, Keltner, Shiota, O'Sullivan & Frank (2008), Facial expressions of
 *   emotion, in Handbook of Emotions: contempt = unilateral AU12 + AU14.
 *
 * Each entry lists the *required* AUs of one prototype. The optional
 * alternatives the Guide gives in parentheses (e.g. "+25, 26 or 27" for fear),
 * head and eye movements (AU54, AU64) and intensity/laterality qualifiers (5B,
 * 15B, U20, 12CD) are left out: they do not change which AUs are required, and
 * rows that then coincide are listed once.
 */
export interface PrototypeTable {
  readonly source: string;
  /** emotion → list of prototypes, each a list of FACS AU numbers. */
  readonly prototypes: Readonly<Record<string, readonly (readonly number[])[]>>;
  /** emotion → variants (listed for reference; not used for edges). */
  readonly variants: Readonly<Record<string, readonly (readonly number[])[]>>;
}

export const FACS_IG_2002: PrototypeTable = {
  source: "Ekman, Friesen & Hager (2002), FACS Investigator's Guide; contempt: Matsumoto et al. (2008)",
  prototypes: {
    surprise: [
      [1, 2, 5, 26],
      [1, 2, 5, 27],
    ],
    fear: [
      [1, 2, 4, 5, 20],
      [1, 2, 4, 5],
    ],
    happiness: [[6, 12], [12]],
    sadness: [
      [1, 4, 11, 15],
      [1, 4, 15],
      [6, 15],
    ],
    disgust: [[9], [9, 16], [9, 17], [10], [10, 16], [10, 17]],
    anger: [
      [4, 5, 7, 10, 22, 23],
      [4, 5, 7, 10, 23],
      [4, 5, 7, 23],
      [4, 5, 7, 17, 23],
      [4, 5, 7, 17, 24],
      [4, 5, 7, 24],
    ],
    contempt: [[12, 14]],
  },
  variants: {
    surprise: [[1, 2, 5], [1, 2, 26], [1, 2, 27], [5, 26], [5, 27]],
    fear: [[1, 2, 4, 5, 20], [1, 2, 4, 5], [1, 2, 5], [5, 20]],
    sadness: [[1, 4, 11], [1, 4, 15, 17], [11, 15], [11, 17]],
    anger: [[5, 7, 10, 22, 23], [4, 7, 10, 22, 23], [4, 5, 10, 22, 23], [4, 5, 7, 22, 23], [5, 7, 23], [4, 7, 23], [4, 5, 23], [5, 7, 24], [4, 7, 24], [4, 5, 24]],
  },
};

/**
 * Emotions the Guide allows to be carried by either of two AUs (disgust: AU9 or
 * AU10). facr treats such pairs as substitute groups, like PSPI's max().
 */
export const PROTOTYPE_SUBSTITUTES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  disgust: [[9, 10]],
};
