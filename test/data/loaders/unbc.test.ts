import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pspiOf } from "../../../src/au/pspi";
import { UNBC_AUS } from "../../../src/au/registry";
import { loadUnbc } from "../../../src/data/loaders";
import { FIXTURES, fixtureCopy, inputError, keepLines, removeTemp, replaceLine } from "./helpers";

const ROOT = path.join(FIXTURES, "unbc");
afterAll(removeTemp);

const S1 = "042-ll042";
const Q1 = "ll042t1aaaff";
const facs = (root: string, frame = 3) => path.join(root, "Frame_Labels", "FACS", S1, Q1, `${Q1}00${frame}_facs.txt`);
const pspiFile = (root: string, frame = 3) => path.join(root, "Frame_Labels", "PSPI", S1, Q1, `${Q1}00${frame}_facs.txt`);
const aam = (root: string, frame = 3) => path.join(root, "AAM_landmarks", S1, Q1, `${Q1}00${frame}_aam.txt`);

describe("loadUnbc on the fixture", () => {
  const ds = loadUnbc(ROOT);

  it("reads 2 subjects × 2 sequences × 4 frames in natural order", () => {
    expect(ds.source).toBe("unbc");
    expect(ds.size).toBe(16);
    expect([...new Set(ds.subjects)]).toEqual(["042-ll042", "064-ak064"]);
    expect([...new Set(ds.sequences)]).toEqual(["042-ll042/ll042t1aaaff", "042-ll042/ll042t2aiaff", "064-ak064/ak064t1aaaff", "064-ak064/ak064t1aiaff"]);
    expect(Array.from(ds.frames)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    expect(ds.skipped).toEqual({});
  });

  it("reads the 11 UNBC AUs, AU43 binary, scientific notation and onset/offset columns", () => {
    expect(ds.aus).toEqual([...UNBC_AUS]);
    const K = ds.aus.length;
    const row = (i: number) => Object.fromEntries(ds.aus.map((a, k) => [a, ds.intensities[i * K + k]]).filter(([, v]) => v !== 0));
    expect(row(0)).toEqual({}); // empty FACS file: no AU active
    expect(row(2)).toEqual({ AU04: 2, AU06: 3, AU07: 2, AU10: 1, AU25: 2, AU43: 1 });
    expect(row(9)).toEqual({ AU04: 1, AU07: 1, AU09: 2, AU10: 3 }); // two-column file
    expect(ds.meta.unusedAuAnnotations).toEqual({ AU50: 1, AU15: 1 });
  });

  it("reads PSPI, consistent with the AUs, and labels pain = PSPI > 0", () => {
    expect(Array.from(ds.pspi!)).toEqual([0, 0, 7, 1, 0, 0, 0, 0, 0, 5, 0, 1, 0, 0, 2, 0]);
    const f = pspiOf(ds.aus);
    for (let i = 0; i < ds.size; i++) expect(f(ds.intensities, i * ds.aus.length)).toBe(ds.pspi![i]);
    expect(ds.meta.pspiMismatches).toBe(0);
    expect(ds.labels!.classes).toEqual(["no_pain", "pain"]);
    expect(Array.from(ds.labels!.y)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0]);
    expect(Array.from(loadUnbc(ROOT, { painThreshold: 2 }).labels!.y).filter((y) => y === 1)).toHaveLength(2);
  });

  it("reads 66 AAM landmarks per frame and the sequence labels", () => {
    expect(ds.landmarks!.points).toBe(66);
    expect(ds.landmarks!.data).toHaveLength(16 * 66 * 2);
    const first = fs.readFileSync(aam(ROOT, 1), "utf8").trim().split(/\s+/).map(Number);
    expect(ds.landmarks!.data[0]).toBeCloseTo(first[0], 3);
    expect(ds.landmarks!.data[1]).toBeCloseTo(first[1], 3);
    expect(ds.sequenceLabels!["042-ll042/ll042t1aaaff"]).toEqual({ VAS: 5, OPR: 3, AFF: 7, SEN: 8 });
    expect(Object.keys(ds.sequenceLabels!)).toHaveLength(4);
  });

  it("can leave out landmarks and sequence labels (their folders are then not needed)", () => {
    const dir = fixtureCopy("unbc");
    fs.rmSync(path.join(dir, "AAM_landmarks"), { recursive: true });
    fs.rmSync(path.join(dir, "Sequence_Labels"), { recursive: true });
    const lite = loadUnbc(dir, { landmarks: false, sequenceLabels: false });
    expect(lite.size).toBe(16);
    expect(lite.landmarks).toBeUndefined();
    expect(lite.sequenceLabels).toBeUndefined();
  });
});

describe("loadUnbc on malformed input: FacrInputError naming file, line and field", () => {
  it("a missing folder", () => {
    const dir = fixtureCopy("unbc");
    fs.rmSync(path.join(dir, "Frame_Labels", "PSPI"), { recursive: true });
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${path.join(dir, "Frame_Labels", "PSPI")}: UNBC PSPI folder (Frame_Labels/PSPI) not found (expected a folder)`);
    expect(inputError(() => loadUnbc(path.join(dir, "nothing"))).message).toMatch(/nothing: UNBC-McMaster root folder not found/);
  });

  it("a landmark file with 65 lines, or a truncated landmark line", () => {
    const dir = fixtureCopy("unbc");
    keepLines(aam(dir), 65);
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${aam(dir)}:66, field landmarks: holds 65 landmark points, expected 66 lines "x y"`);
    const dir2 = fixtureCopy("unbc");
    replaceLine(aam(dir2), 12, "  1.2300000e+02");
    expect(inputError(() => loadUnbc(dir2)).message).toBe(`${aam(dir2)}:12, field y: line has 1 value, expected 2 (x y): truncated line?`);
  });

  it("a comma-separated landmark line", () => {
    const dir = fixtureCopy("unbc");
    replaceLine(aam(dir), 3, "123.4,56.7");
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${aam(dir)}:3, field x: values are separated by ","; this format separates them by spaces`);
  });

  it("a non-numeric field, an unknown AU, a truncated FACS line, an intensity out of range, an AU listed twice", () => {
    const cases: [string, string][] = [
      ["   4.0000000e+00   abc", `:2, field intensity: expected a number, got "abc"`],
      ["   9.9000000e+01   2.0000000e+00", `:2, field AU: unknown action unit 99: not a FACS code`],
      ["   4.0000000e+00", `:2, field intensity: line has 1 value, expected 2 (AU intensity): truncated line?`],
      ["   4.0000000e+00   7.0000000e+00", `:2, field intensity: intensity of AU4 must be in 0–5, got 7`],
      ["   6.0000000e+00   1.0000000e+00", `:2, field AU: AU6 is listed twice (first on line 1)`],
      ["   4.5000000e+00   1.0000000e+00", `:2, field AU: unknown action unit 4.5: not a FACS code`],
    ];
    for (const [line, expected] of cases) {
      const dir = fixtureCopy("unbc");
      const file = path.join(dir, "Frame_Labels", "FACS", S1, Q1, `${Q1}004_facs.txt`); // lines: AU6, AU12, AU50
      replaceLine(file, 2, line);
      expect(inputError(() => loadUnbc(dir)).message).toBe(file + expected);
    }
  });

  it("NaN or an empty PSPI file, a PSPI out of range", () => {
    const dir = fixtureCopy("unbc");
    fs.writeFileSync(pspiFile(dir), "NaN\n");
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${pspiFile(dir)}:1, field pspi: expected a number, got "NaN" (NaN and infinite values are not allowed)`);
    fs.writeFileSync(pspiFile(dir), "");
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${pspiFile(dir)}:1, field pspi: empty UNBC PSPI file, expected one number`);
    fs.writeFileSync(pspiFile(dir), "  1.7000000e+01\n");
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${pspiFile(dir)}:1, field pspi: PSPI must be in 0–16, got 17`);
  });

  it("a missing PSPI or landmark file is an error naming it, or skipped and counted", () => {
    const dir = fixtureCopy("unbc");
    fs.rmSync(pspiFile(dir));
    fs.rmSync(aam(dir, 4));
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${pspiFile(dir)}: PSPI file not found (the frame has a FACS file, ${facs(dir)})`);
    const ds = loadUnbc(dir, { onMissing: "skip" });
    expect(ds.size).toBe(14);
    expect(ds.skipped).toEqual({ "missing PSPI file": 1, "missing landmark file": 1 });
    fs.writeFileSync(pspiFile(dir), "   7.0000000e+00\n");
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${aam(dir, 4)}: landmark file not found (the frame has a FACS file, ${facs(dir, 4)})`);
  });

  it("a frame with a PSPI file but no FACS file is an error naming the missing file, or skipped and counted (never dropped silently)", () => {
    const dir = fixtureCopy("unbc");
    const full = loadUnbc(dir);
    fs.rmSync(facs(dir));
    expect(inputError(() => loadUnbc(dir)).message).toMatch(new RegExp(`^${facs(dir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: FACS file not found \\(the frame has a PSPI file, ${pspiFile(dir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`));
    const ds = loadUnbc(dir, { onMissing: "skip" });
    expect(ds.size).toBe(full.size - 1);
    expect(ds.skipped).toEqual({ "missing FACS file": 1 });
  });

  it("a missing sequence-label file is an error, or counted", () => {
    const dir = fixtureCopy("unbc");
    const vas = path.join(dir, "Sequence_Labels", "VAS", S1, `${Q1}.txt`);
    fs.rmSync(vas);
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${vas}: VAS sequence-label file not found (sequence ${S1}/${Q1} has frames)`);
    const ds = loadUnbc(dir, { onMissing: "skip" });
    expect(ds.meta.missingSequenceLabels).toEqual({ VAS: 1 });
    expect(ds.sequenceLabels![`${S1}/${Q1}`]).toEqual({ OPR: 3, AFF: 7, SEN: 8 });
  });

  it("a PSPI that disagrees with the AUs is counted, or an error with pspiCheck: error", () => {
    const dir = fixtureCopy("unbc");
    fs.writeFileSync(pspiFile(dir), "   6.0000000e+00\n");
    const ds = loadUnbc(dir);
    expect(ds.meta.pspiMismatches).toBe(1);
    expect(ds.pspi![2]).toBe(6); // the file's value is what `pspi` holds
    expect((ds.meta.pspiMismatchExamples as string[])[0]).toContain("PSPI 6 in the file, 7 from the AUs");
    expect(inputError(() => loadUnbc(dir, { pspiCheck: "error" })).message).toBe(
      `${pspiFile(dir)}:1, field pspi: PSPI 6 in the file, 7 from the AUs in ${facs(dir)} (AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43)`,
    );
  });

  it("a frame file with an unexpected name, and bad options", () => {
    const dir = fixtureCopy("unbc");
    fs.writeFileSync(path.join(dir, "Frame_Labels", "FACS", S1, Q1, "Thumbs.db"), "");
    expect(loadUnbc(dir).meta.ignoredFiles).toBe(1); // not a frame file: counted, not read
    const odd = path.join(dir, "Frame_Labels", "FACS", S1, Q1, "notes_facs.txt");
    fs.writeFileSync(odd, "");
    expect(inputError(() => loadUnbc(dir)).message).toBe(`${odd}: unexpected file name: expected "<frame name><frame number>_facs.txt"`);
    expect(inputError(() => loadUnbc(ROOT, { pspiCheck: "warn" as never })).message).toBe(`field pspiCheck: must be one of "count", "error", got "warn"`);
    expect(inputError(() => loadUnbc(ROOT, { threshold: 1 } as never)).message).toMatch(/unknown option "threshold"/);
  });
});
