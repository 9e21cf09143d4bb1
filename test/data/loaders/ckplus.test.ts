import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OPENFACE_AUS, UNBC_AUS } from "../../../src/au/registry";
import { EMOTION_CLASSES } from "../../../src/graph/known";
import { CKPLUS_CLASSES, loadCkPlus } from "../../../src/data/loaders";
import { FIXTURES, fixtureCopy, inputError, keepLines, removeTemp, replaceLine } from "./helpers";

const ROOT = path.join(FIXTURES, "ckplus");
afterAll(removeTemp);

const facsFile = (root: string) => path.join(root, "FACS", "S005", "001", "S005_001_00000005_facs.txt");
const emotionFile = (root: string) => path.join(root, "Emotion", "S005", "001", "S005_001_00000005_emotion.txt");
const lmFile = (root: string, frame = 5) => path.join(root, "Landmarks", "S005", "001", `S005_001_0000000${frame}_landmarks.txt`);

/** Non-zero AU values of frame i, NaN shown as "NaN". */
function coded(ds: ReturnType<typeof loadCkPlus>, i: number, arr = ds.intensities): Record<string, number | string> {
  const K = ds.aus.length;
  const out: Record<string, number | string> = {};
  ds.aus.forEach((a, k) => {
    const v = arr[i * K + k];
    if (Number.isNaN(v)) out[a] = "NaN";
    else if (v !== 0) out[a] = v;
  });
  return out;
}

describe("loadCkPlus on the fixture", () => {
  const ds = loadCkPlus(ROOT);

  it("reads one coded (peak) frame per sequence, 3 subjects, in natural order", () => {
    expect(ds.source).toBe("ckplus");
    expect(ds.size).toBe(5);
    expect(ds.subjects).toEqual(["S005", "S010", "S010", "S011", "S011"]);
    expect(ds.sequences).toEqual(["S005/001", "S010/002", "S010/004", "S011/001", "S011/002"]);
    expect(Array.from(ds.frames)).toEqual([5, 4, 4, 3, 3]);
    expect(ds.meta.includeNeutralOnset).toBe(false);
  });

  it("labels with CK+ codes under facr's class names; FACS without emotion is -1 and counted", () => {
    expect(ds.labels!.classes).toEqual(["neutral", "anger", "contempt", "disgust", "fear", "happiness", "sadness", "surprise"]);
    for (const c of CKPLUS_CLASSES) expect([...EMOTION_CLASSES, "contempt"]).toContain(c);
    const names = Array.from(ds.labels!.y, (y) => (y < 0 ? "unlabelled" : ds.labels!.classes[y]));
    expect(names).toEqual(["disgust", "happiness", "surprise", "sadness", "unlabelled"]);
    expect(ds.meta.unlabelledSequences).toBe(1);
  });

  it("reads FACS codes: 0 = present with intensity not given (NaN); binary AU45 → 1; others counted by AU", () => {
    expect(ds.aus).toEqual([...OPENFACE_AUS]);
    expect(coded(ds, 0)).toEqual({ AU09: 4, AU10: "NaN", AU17: 2 });
    expect(coded(ds, 0, ds.auPresence)).toEqual({ AU09: 1, AU10: 1, AU17: 1 });
    expect(coded(ds, 4)).toEqual({ AU04: 3, AU07: 2, AU45: 1 });
    expect(ds.meta.unusedAuAnnotations).toEqual({ AU38: 1, AU27: 1, AU54: 1, AU24: 1 });
  });

  it("reads the peak frame's 68 landmarks", () => {
    expect(ds.landmarks!.points).toBe(68);
    const peak = fs.readFileSync(lmFile(ROOT), "utf8").trim().split(/\s+/).map(Number);
    expect(Array.from(ds.landmarks!.data.subarray(0, 136))).toEqual(Array.from(Float32Array.from(peak)));
  });

  it("optionally adds each sequence's first frame as neutral with every AU 0", () => {
    const on = loadCkPlus(ROOT, { includeNeutralOnset: true });
    expect(on.size).toBe(10);
    expect(Array.from(on.frames)).toEqual([1, 5, 1, 4, 1, 4, 1, 3, 1, 3]);
    expect(Array.from(on.labels!.y)).toEqual([0, 3, 0, 5, 0, 7, 0, 6, 0, -1]);
    expect(coded(on, 0)).toEqual({});
    expect(coded(on, 0, on.auPresence)).toEqual({});
    const first = fs.readFileSync(lmFile(ROOT, 1), "utf8").trim().split(/\s+/).map(Number);
    expect(on.landmarks!.data[0]).toBeCloseTo(first[0], 3);
  });

  it("takes another AU set", () => {
    const unbc = loadCkPlus(ROOT, { aus: [...UNBC_AUS] });
    expect(unbc.aus).toEqual([...UNBC_AUS]);
    expect(coded(unbc, 2)).toEqual({ AU25: 2, AU27: 4 });
    expect(unbc.meta.unusedAuAnnotations).toMatchObject({ AU01: 2, AU02: 1, AU38: 1 });
    expect(loadCkPlus(ROOT, { aus: ["4", 12, "au45"] }).aus).toEqual(["AU04", "AU12", "AU45"]);
  });
});

describe("loadCkPlus on malformed input: FacrInputError naming file, line and field", () => {
  it("a missing FACS or Emotion folder", () => {
    const dir = fixtureCopy("ckplus");
    fs.rmSync(path.join(dir, "FACS"), { recursive: true });
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${path.join(dir, "FACS")}: CK+ FACS folder not found (expected a folder)`);
    const dir2 = fixtureCopy("ckplus");
    fs.rmSync(path.join(dir2, "Emotion"), { recursive: true });
    expect(inputError(() => loadCkPlus(dir2)).message).toBe(`${path.join(dir2, "Emotion")}: CK+ Emotion folder not found (expected a folder)`);
  });

  it("a landmark file with 65 or 69 lines, NaN or a truncated line in it", () => {
    const dir = fixtureCopy("ckplus");
    keepLines(lmFile(dir), 65);
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${lmFile(dir)}:66, field landmarks: holds 65 landmark points, expected 68 lines "x y"`);
    fs.copyFileSync(lmFile(ROOT), lmFile(dir));
    fs.appendFileSync(lmFile(dir), "   1.0000000e+02   1.0000000e+02\n");
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${lmFile(dir)}:69, field landmarks: holds 69 landmark points, expected 68 lines "x y"`);
    fs.copyFileSync(lmFile(ROOT), lmFile(dir));
    replaceLine(lmFile(dir), 40, "   NaN   2.0000000e+02");
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${lmFile(dir)}:40, field x: expected a number, got "NaN" (NaN and infinite values are not allowed)`);
    replaceLine(lmFile(dir), 40, "   2.0000000e+02");
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${lmFile(dir)}:40, field y: line has 1 value, expected 2 (x y): truncated line?`);
  });

  it("an unknown AU, a non-numeric AU value", () => {
    const dir = fixtureCopy("ckplus");
    replaceLine(facsFile(dir), 3, "   9.9000000e+01   2.0000000e+00");
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${facsFile(dir)}:3, field AU: unknown action unit 99: not a FACS code`);
    replaceLine(facsFile(dir), 3, "   1.7000000e+01   B");
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${facsFile(dir)}:3, field intensity: expected a number, got "B"`);
  });

  it("a bad emotion file: non-numeric, empty, out of range, two values", () => {
    const dir = fixtureCopy("ckplus");
    const cases: [string, string][] = [
      ["abc\n", `:1, field emotion: expected a number, got "abc"`],
      ["", `:1, field emotion: empty CK+ emotion file, expected one number`],
      ["   9.0000000e+00\n", `:1, field emotion: emotion code must be an integer 0–7 (0 neutral, 1 anger, 2 contempt, 3 disgust, 4 fear, 5 happy, 6 sadness, 7 surprise), got 9`],
      ["   3.0000000e+00   1.0000000e+00\n", `:1, field column 2: line has 2 values, expected at most 1 (emotion)`],
      ["   3.0000000e+00\n   1.0000000e+00\n", `:2, field emotion: CK+ emotion file holds more than one value (expected one number)`],
    ];
    for (const [text, expected] of cases) {
      fs.writeFileSync(emotionFile(dir), text);
      expect(inputError(() => loadCkPlus(dir)).message).toBe(emotionFile(dir) + expected);
    }
  });

  it("a missing landmark file names the expected path, or is skipped and counted", () => {
    const dir = fixtureCopy("ckplus");
    fs.rmSync(lmFile(dir));
    expect(inputError(() => loadCkPlus(dir)).message).toBe(`${lmFile(dir)}: landmark file not found (the sequence's FACS file is ${facsFile(dir)})`);
    const ds = loadCkPlus(dir, { onMissing: "skip" });
    expect(ds.size).toBe(4);
    expect(ds.skipped).toEqual({ "missing landmark file": 1 });
    const noLm = loadCkPlus(dir, { landmarks: false });
    expect(noLm.size).toBe(5);
    expect(noLm.landmarks).toBeUndefined();
  });

  it("two FACS files in one sequence folder (other files are counted, not read)", () => {
    const dir = fixtureCopy("ckplus");
    fs.writeFileSync(path.join(path.dirname(facsFile(dir)), "readme.txt"), "");
    expect(loadCkPlus(dir).meta.ignoredFiles).toBe(1);
    fs.copyFileSync(facsFile(dir), facsFile(dir).replace("00000005", "00000004"));
    expect(inputError(() => loadCkPlus(dir)).message).toBe(
      `${path.dirname(facsFile(dir))}: holds 2 FACS files (S005_001_00000004_facs.txt, S005_001_00000005_facs.txt); expected one per sequence`,
    );
  });

  it("bad options name the option", () => {
    expect(inputError(() => loadCkPlus(ROOT, { aus: ["AU04", "AU99"] })).message).toBe(`field aus[1]: unknown action unit "AU99"`);
    expect(inputError(() => loadCkPlus(ROOT, { aus: ["AU04", "4"] })).message).toBe(`field aus[1]: AU04 is listed twice`);
    expect(inputError(() => loadCkPlus(ROOT, { includeNeutralOnset: 1 as never })).message).toBe(`field includeNeutralOnset: must be true or false, got 1`);
  });
});
