import * as fs from "node:fs";
import * as path from "node:path";
import { FIXTURES } from "../data/loaders/helpers";

export { FIXTURES, tempDir, removeTemp, inputError } from "../data/loaders/helpers";

export const OPENFACE_FULL = path.join(FIXTURES, "openface", "full.csv");
export const OPENFACE_SUBSET = path.join(FIXTURES, "openface", "subset.csv");
export const UNBC = path.join(FIXTURES, "unbc");
export const CKPLUS = path.join(FIXTURES, "ckplus");

/** Emotion codes 1–7 of CK+ (no neutral file: neutral frames come from sequence onsets) with peak AUs of their prototypes. */
const PEAKS: Record<number, [number, number][]> = {
  1: [[4, 3], [5, 2], [7, 3], [23, 2]], // anger
  2: [[12, 2], [14, 3]], // contempt
  3: [[9, 4], [10, 2], [17, 2]], // disgust
  4: [[1, 3], [2, 2], [4, 2], [5, 3], [20, 3]], // fear
  5: [[6, 3], [12, 4], [25, 2]], // happy
  6: [[1, 3], [4, 2], [15, 3]], // sadness
  7: [[1, 3], [2, 3], [5, 2], [26, 4]], // surprise
};

/**
 * A CK+-format folder with `subjects` subjects, each with one sequence per
 * emotion code in `codes` (2 frames: neutral onset, coded peak), landmarks copied
 * from the project's CK+ fixture. Enough subjects and classes for the
 * subject-partition protocol, which the 3-subject fixture is too small for.
 */
export function writeCkPlusLike(dir: string, subjects = 8, codes: readonly number[] = [1, 3, 4, 5, 6, 7]): string {
  const lm1 = fs.readFileSync(path.join(FIXTURES, "ckplus", "Landmarks", "S005", "001", "S005_001_00000001_landmarks.txt"), "utf8");
  const lm2 = fs.readFileSync(path.join(FIXTURES, "ckplus", "Landmarks", "S005", "001", "S005_001_00000005_landmarks.txt"), "utf8");
  const put = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const e = (v: number) => `   ${v.toExponential(7)}`;
  for (let s = 0; s < subjects; s++) {
    const subj = `S${String(200 + s).padStart(3, "0")}`;
    codes.forEach((code, q) => {
      const seq = String(q + 1).padStart(3, "0");
      const stem = (f: number) => `${subj}_${seq}_${String(f).padStart(8, "0")}`;
      put(path.join(dir, "Landmarks", subj, seq, `${stem(1)}_landmarks.txt`), lm1);
      put(path.join(dir, "Landmarks", subj, seq, `${stem(2)}_landmarks.txt`), lm2);
      put(path.join(dir, "FACS", subj, seq, `${stem(2)}_facs.txt`), PEAKS[code].map(([au, i]) => `${e(au)}${e(i)}\n`).join(""));
      put(path.join(dir, "Emotion", subj, seq, `${stem(2)}_emotion.txt`), `${e(code)}\n`);
    });
  }
  return dir;
}
