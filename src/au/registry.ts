import { FacrInputError } from "../util/errors";

/**
 * The facial action units facr knows, from the Facial Action Coding System
 * (Ekman, Friesen & Hager, FACS Manual and Investigator's Guide, 2002).
 *
 * Intensity: FACS scores A–E, which facr stores as 1–5 (0 = absent). AU43 (eyes
 * closed) and AU45 (blink) are coded present/absent: they are `binary` and take
 * 0 or 1. The two are different events — AU45 is a brief blink, AU43 a sustained
 * closure — and facr never maps one onto the other.
 */

export type FaceRegion = "brows" | "eyes" | "nose" | "cheeks" | "mouth" | "jaw";
export type AuScale = "intensity" | "binary";

export interface ActionUnit {
  /** FACS number, e.g. 4. */
  readonly number: number;
  /** Zero-padded code used as column name and graph key, e.g. "AU04". */
  readonly code: string;
  /** FACS name, e.g. "Brow Lowerer". */
  readonly name: string;
  /** Noun phrase for rationales, e.g. "brow lowering". */
  readonly phrase: string;
  readonly region: FaceRegion;
  /** "intensity": 0–5 (A–E = 1–5); "binary": 0 or 1. */
  readonly scale: AuScale;
}

type Row = [number, string, string, FaceRegion, AuScale?];

const ROWS: Row[] = [
  [1, "Inner Brow Raiser", "inner brow raising", "brows"],
  [2, "Outer Brow Raiser", "outer brow raising", "brows"],
  [4, "Brow Lowerer", "brow lowering", "brows"],
  [5, "Upper Lid Raiser", "upper lid raising", "eyes"],
  [6, "Cheek Raiser", "cheek raising", "cheeks"],
  [7, "Lid Tightener", "lid tightening", "eyes"],
  [9, "Nose Wrinkler", "nose wrinkling", "nose"],
  [10, "Upper Lip Raiser", "upper lip raising", "mouth"],
  [11, "Nasolabial Deepener", "nasolabial deepening", "cheeks"],
  [12, "Lip Corner Puller", "lip corner pulling", "mouth"],
  [13, "Sharp Lip Puller", "sharp lip pulling", "mouth"],
  [14, "Dimpler", "dimpling", "mouth"],
  [15, "Lip Corner Depressor", "lip corner depression", "mouth"],
  [16, "Lower Lip Depressor", "lower lip depression", "mouth"],
  [17, "Chin Raiser", "chin raising", "jaw"],
  [18, "Lip Pucker", "lip puckering", "mouth"],
  [20, "Lip Stretcher", "lip stretching", "mouth"],
  [22, "Lip Funneler", "lip funneling", "mouth"],
  [23, "Lip Tightener", "lip tightening", "mouth"],
  [24, "Lip Pressor", "lip pressing", "mouth"],
  [25, "Lips Part", "parted lips", "mouth"],
  [26, "Jaw Drop", "jaw dropping", "jaw"],
  [27, "Mouth Stretch", "mouth stretching", "jaw"],
  [28, "Lip Suck", "lip sucking", "mouth"],
  [41, "Lid Droop", "drooping lids", "eyes"],
  [42, "Slit", "slitted eyes", "eyes"],
  [43, "Eyes Closed", "closed eyes", "eyes", "binary"],
  [44, "Squint", "squinting", "eyes"],
  [45, "Blink", "blinking", "eyes", "binary"],
  [46, "Wink", "winking", "eyes"],
];

/** Zero-padded AU code: `auCode(4) === "AU04"`. */
export function auCode(n: number): string {
  return `AU${String(n).padStart(2, "0")}`;
}

export const ACTION_UNITS: readonly ActionUnit[] = ROWS.map(([number, name, phrase, region, scale]) =>
  Object.freeze({ number, code: auCode(number), name, phrase, region, scale: scale ?? "intensity" }),
);

const BY_CODE = new Map(ACTION_UNITS.map((a) => [a.code, a]));

/** True when `code` is a known zero-padded code such as "AU04". */
export function isAuCode(code: string): boolean {
  return BY_CODE.has(code);
}

/**
 * Look up an AU by number (4), code ("AU04"), short code ("AU4") or numeric
 * string ("4"). Throws a FacrInputError naming the value when it is unknown.
 */
export function actionUnit(id: number | string): ActionUnit {
  const code = normalizeAuCode(id);
  const au = code === null ? undefined : BY_CODE.get(code);
  if (!au) throw new FacrInputError(`unknown action unit ${JSON.stringify(id)}`);
  return au;
}

/** The zero-padded code for any accepted spelling, or null when it cannot be one. */
export function normalizeAuCode(id: number | string): string | null {
  if (typeof id === "number") return Number.isInteger(id) && id > 0 ? auCode(id) : null;
  const m = /^\s*(?:AU)?0*(\d{1,2})\s*$/i.exec(id);
  return m ? auCode(Number(m[1])) : null;
}

/** Highest value of an AU on facr's scale: 5 for intensity AUs, 1 for binary ones. */
export function auMax(code: string): number {
  return actionUnit(code).scale === "binary" ? 1 : 5;
}

/** AUs coded in the UNBC-McMaster Shoulder Pain Archive (Lucey et al., 2011). */
export const UNBC_AUS: readonly string[] = [4, 6, 7, 9, 10, 12, 20, 25, 26, 27, 43].map(auCode);

/** AUs whose intensity OpenFace 2.x estimates (`AU*_r`; Baltrušaitis et al., 2018). */
export const OPENFACE_AUS: readonly string[] = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45].map(auCode);

/** The AUs of the Prkachin–Solomon Pain Intensity: PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43. */
export const PSPI_AUS: readonly string[] = [4, 6, 7, 9, 10, 43].map(auCode);
