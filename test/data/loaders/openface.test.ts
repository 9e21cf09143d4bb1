import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OPENFACE_AUS } from "../../../src/au/registry";
import { loadOpenFace } from "../../../src/data/loaders";
import { FIXTURES, inputError, removeTemp, tempDir } from "./helpers";

const FULL = path.join(FIXTURES, "openface", "full.csv");
const SUBSET = path.join(FIXTURES, "openface", "subset.csv");

afterAll(removeTemp);

/** The full fixture as a header plus rows of trimmed fields (CRLF removed). */
function fullTable(): { header: string[]; rows: string[][] } {
  const lines = fs.readFileSync(FULL, "utf8").split(/\r?\n/);
  return { header: lines[0].split(",").map((s) => s.trim()), rows: lines.slice(1).map((l) => l.split(",")) };
}

/** Write a variant of full.csv with `edit` applied to its rows; returns the path. */
function variant(name: string, edit: (t: { header: string[]; rows: string[][] }) => void, sep = ","): string {
  const t = fullTable();
  edit(t);
  const file = path.join(tempDir("openface"), name);
  fs.writeFileSync(file, [t.header.join(", "), ...t.rows.map((r) => r.join(sep))].join("\n") + "\n");
  return file;
}

function writeText(name: string, text: string): string {
  const file = path.join(tempDir("openface"), name);
  fs.writeFileSync(file, text);
  return file;
}

describe("loadOpenFace on the fixtures", () => {
  it("reads the full OpenFace 2.0 file: 10 frames kept, 2 with success = 0 counted", () => {
    const ds = loadOpenFace(FULL);
    expect(ds.source).toBe("openface");
    expect(ds.size).toBe(10);
    expect(Array.from(ds.frames)).toEqual([1, 2, 3, 4, 6, 7, 8, 10, 11, 12]);
    expect(ds.skipped).toEqual({ "success = 0": 2 });
    expect(ds.subjects.every((s) => s === "full")).toBe(true);
    expect(new Set(ds.sequences)).toEqual(new Set(["full"]));
    expect(ds.labels).toBeUndefined();
  });

  it("keeps AU45 as AU45 (blink), never AU43, in FACS order with AU28 presence-only", () => {
    const ds = loadOpenFace(FULL);
    expect(ds.aus).toEqual([...OPENFACE_AUS.slice(0, 16), "AU28", "AU45"]);
    expect(ds.aus).not.toContain("AU43");
    expect((ds.meta.notes as string[]).join("\n")).toMatch(/AU45 is blink and stays AU45.*never mapped to AU43/);
    const K = ds.aus.length;
    const k45 = ds.aus.indexOf("AU45");
    const k28 = ds.aus.indexOf("AU28");
    const i7 = Array.from(ds.frames).indexOf(7);
    expect(ds.intensities[i7 * K + k45]).toBeCloseTo(1.8, 5);
    expect(ds.auPresence![i7 * K + k45]).toBe(1);
    for (let i = 0; i < ds.size; i++) expect(Number.isNaN(ds.intensities[i * K + k28])).toBe(true);
    const i11 = Array.from(ds.frames).indexOf(11);
    expect(ds.auPresence![i11 * K + k28]).toBe(1);
    expect(ds.auPresence![i7 * K + k28]).toBe(0);
  });

  it("reads 68 landmarks and every other numeric column", () => {
    const ds = loadOpenFace(FULL);
    const { header, rows } = fullTable();
    expect(ds.landmarks!.points).toBe(68);
    const first = rows[0];
    expect(ds.landmarks!.data[0]).toBeCloseTo(Number(first[header.indexOf("x_0")]), 3);
    expect(ds.landmarks!.data[1]).toBeCloseTo(Number(first[header.indexOf("y_0")]), 3);
    expect(ds.landmarks!.data[2 * 67 + 1]).toBeCloseTo(Number(first[header.indexOf("y_67")]), 3);
    const cols = Object.keys(ds.columns!);
    expect(cols).toHaveLength(431 - 2 - 136 - 35); // frame, success, 2-D landmarks, AU columns
    expect(cols).toEqual(expect.arrayContaining(["timestamp", "confidence", "gaze_0_x", "pose_Rx", "X_0", "Z_67", "p_scale", "p_33"]));
    expect(cols).not.toContain("x_0");
    expect(ds.columns!.confidence[0]).toBeCloseTo(Number(first[header.indexOf("confidence")]), 5);
  });

  it("reads the subset file (AU*_r only, ', ' in rows too): no presence, no landmarks", () => {
    const ds = loadOpenFace(SUBSET, { subject: "P1" });
    expect(ds.size).toBe(12);
    expect(ds.aus).toEqual([...OPENFACE_AUS]);
    expect(ds.auPresence).toBeUndefined();
    expect(ds.landmarks).toBeUndefined();
    expect(Object.keys(ds.columns!).sort()).toEqual(["confidence", "gaze_angle_x", "gaze_angle_y", "pose_Rx", "pose_Ry", "pose_Rz", "timestamp"]);
    expect(ds.subjects[0]).toBe("P1");
    expect(ds.skipped).toEqual({ "success = 0": 0 });
  });

  it("agrees with the full file on the AU values they share", () => {
    const full = loadOpenFace(FULL);
    const sub = loadOpenFace(SUBSET);
    const i = Array.from(sub.frames).indexOf(6);
    const j = Array.from(full.frames).indexOf(6);
    for (const a of OPENFACE_AUS) {
      expect(sub.intensities[i * sub.aus.length + sub.aus.indexOf(a)]).toBeCloseTo(full.intensities[j * full.aus.length + full.aus.indexOf(a)], 6);
    }
  });

  it("selects columns and landmarks by option", () => {
    expect(loadOpenFace(FULL, { columns: "none" }).columns).toEqual({});
    expect(Object.keys(loadOpenFace(FULL, { columns: ["confidence", "pose_Rx"] }).columns!)).toEqual(["confidence", "pose_Rx"]);
    expect(loadOpenFace(FULL, { landmarks: false }).landmarks).toBeUndefined();
    expect(inputError(() => loadOpenFace(FULL, { columns: ["AU04_r"] })).message).toMatch(/field columns: "AU04_r" is not one of/);
    expect(inputError(() => loadOpenFace(FULL, { colums: "none" } as never)).message).toMatch(/unknown option "colums"/);
  });

  it("groups several faces (face_id) into sequences; the same frame number may repeat across faces", () => {
    const file = writeText(
      "multi.csv",
      "frame, face_id, timestamp, confidence, success, AU04_r, AU45_c\n1, 0, 0, 0.9, 1, 1.5, 0\n1, 1, 0, 0.8, 1, 0.5, 1\n2, 0, 0.03, 0.9, 1, 2, 0\n2, 1, 0.03, 0.8, 1, 0, 0\n",
    );
    const ds = loadOpenFace(file);
    expect(ds.sequences).toEqual(["multi/face0", "multi/face0", "multi/face1", "multi/face1"]);
    expect(Array.from(ds.frames)).toEqual([1, 2, 1, 2]);
    expect(Array.from(ds.intensities.filter((_, j) => j % 2 === 0))).toEqual([1.5, 2, 0.5, 0]);
    expect(ds.aus).toEqual(["AU04", "AU45"]);
  });

  it("clamps tiny rounding excursions of AU*_r into 0–5", () => {
    const file = variant("tiny.csv", ({ header, rows }) => {
      rows[0][header.indexOf("AU04_r")] = "-0.004";
      rows[0][header.indexOf("AU12_r")] = "5.003";
    });
    const ds = loadOpenFace(file);
    expect(ds.intensities[ds.aus.indexOf("AU04")]).toBe(0);
    expect(ds.intensities[ds.aus.indexOf("AU12")]).toBe(5);
  });
});

describe("loadOpenFace on malformed input: FacrInputError naming file, line and field", () => {
  it("a header that is not UTF-8: UTF-16 with or without a byte-order mark, a Latin-1 byte", () => {
    const dir = tempDir("openface-encoding");
    const text = "frame, face_id, timestamp, confidence, success, AU04_r\n1, 0, 0, 0.9, 1, 0.5\n";
    const write = (name: string, bytes: Buffer) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      return f;
    };
    const bom16 = write("utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    expect(inputError(() => loadOpenFace(bom16)).message).toBe(`${bom16}:1: OpenFace CSV file is UTF-16 (byte-order mark FF FE); expected UTF-8 text: save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)`);
    const bare16 = write("utf16le.csv", Buffer.from(text, "utf16le"));
    expect(inputError(() => loadOpenFace(bare16)).message).toBe(`${bare16}:1: OpenFace CSV file has a NUL byte at byte 2 of its header: expected UTF-8 text (a UTF-16 file without a byte-order mark?)`);
    const latin1 = write("latin1.csv", Buffer.from(text.replace("AU04_r", "AU04\u00e9_r"), "latin1"));
    // "frame, face_id, timestamp, confidence, success, AU04" is 52 bytes: the é (0xE9) is byte 53
    expect(inputError(() => loadOpenFace(latin1)).message).toBe(`${latin1}:1, field header: byte 53 of the header (0xE9, after "dence, success, AU04") is not UTF-8: expected UTF-8 text (save the file as UTF-8)`);
    const utf8 = write("utf8.csv", Buffer.from(text, "utf8"));
    expect(loadOpenFace(utf8).size).toBe(1);
  });

  it("a missing file", () => {
    const file = path.join(tempDir("openface"), "nope.csv");
    expect(inputError(() => loadOpenFace(file)).message).toBe(`${file}: OpenFace CSV file not found (expected a file)`);
  });

  it("an empty file and a header-only file", () => {
    const empty = writeText("empty.csv", "");
    expect(inputError(() => loadOpenFace(empty)).message).toBe(`${empty}:1: empty file: expected an OpenFace header line`);
    const blankHeader = writeText("blank-header.csv", "\n1, 0, 1\n");
    expect(inputError(() => loadOpenFace(blankHeader)).message).toMatch(new RegExp(`^${blankHeader}:1, field header: empty header line`));
    const header = fs.readFileSync(FULL, "utf8").split("\r\n")[0];
    const only = writeText("header-only.csv", header + "\n");
    expect(inputError(() => loadOpenFace(only)).message).toBe(`${only}:2: header only: no data rows (expected one row per frame)`);
  });

  it("semicolon and tab delimiters are detected and named", () => {
    const semi = writeText("semi.csv", "frame;timestamp;success;AU04_r\n1;0;1;0.5\n");
    expect(inputError(() => loadOpenFace(semi)).message).toBe(
      `${semi}:1, field header: the header is separated by semicolons (";"), but OpenFace CSV files are comma-separated`,
    );
    const tabs = writeText("tabs.csv", "frame\ttimestamp\tsuccess\tAU04_r\n1\t0\t1\t0.5\n");
    expect(inputError(() => loadOpenFace(tabs)).message).toMatch(new RegExp(`^${tabs}:1, field header: the header is separated by tabs`));
    const rowSemi = variant("row-semi.csv", ({ rows }) => (rows[2] = [rows[2].join(";")]));
    expect(inputError(() => loadOpenFace(rowSemi)).message).toBe(
      `${rowSemi}:4, field timestamp: row has 1 fields, the header has 431; the row contains semicolons: OpenFace CSV files are comma-separated`,
    );
  });

  it("a non-numeric AU value, NaN, an empty value", () => {
    const abc = variant("abc.csv", ({ header, rows }) => (rows[3][header.indexOf("AU04_r")] = "abc"));
    expect(inputError(() => loadOpenFace(abc)).message).toBe(`${abc}:5, field AU04_r: expected a number, got "abc"`);
    const nan = variant("nan.csv", ({ header, rows }) => (rows[0][header.indexOf("pose_Rx")] = "nan"));
    expect(inputError(() => loadOpenFace(nan)).message).toBe(`${nan}:2, field pose_Rx: expected a number, got "nan" (NaN and infinite values are not allowed)`);
    const blank = variant("blank.csv", ({ header, rows }) => (rows[1][header.indexOf("AU45_c")] = ""));
    expect(inputError(() => loadOpenFace(blank)).message).toBe(`${blank}:3, field AU45_c: expected a number, got "" (empty value)`);
  });

  it("a truncated row and a row with an extra field", () => {
    const cut = variant("cut.csv", ({ rows }) => (rows[5] = rows[5].slice(0, 200)));
    expect(inputError(() => loadOpenFace(cut)).message).toBe(`${cut}:7, field X_48: row has 200 fields, the header has 431: a truncated or corrupted line?`);
    const long = variant("long.csv", ({ rows }) => rows[0].push("0"));
    expect(inputError(() => loadOpenFace(long)).message).toBe(`${long}:2, field column 432: row has 432 fields, the header has 431: a truncated or corrupted line?`);
  });

  it("a file cut off in the middle of its last row", () => {
    const text = fs.readFileSync(FULL, "utf8");
    const file = writeText("cut-end.csv", text.slice(0, text.length - 700));
    const e = inputError(() => loadOpenFace(file));
    expect(e.message).toMatch(new RegExp(`^${file}:13, field \\S+: row has \\d+ fields, the header has 431`));
  });

  it("duplicated frame numbers (same face)", () => {
    const dup = variant("dup.csv", ({ rows }) => (rows[3][0] = "2"));
    expect(inputError(() => loadOpenFace(dup)).message).toBe(`${dup}:5, field frame: frame 2 appears twice (first on line 3)`);
    const faces = writeText("dup-face.csv", "frame, face_id, success, AU04_r\n1, 0, 1, 1\n1, 1, 1, 1\n1, 1, 1, 2\n");
    expect(inputError(() => loadOpenFace(faces)).message).toBe(`${faces}:4, field frame: frame 1 of face_id 1 appears twice (first on line 3)`);
  });

  it("an unknown AU column, a missing frame column, a duplicated column", () => {
    const au99 = writeText("au99.csv", "frame, success, AU04_r, AU99_r\n1, 1, 0.5, 0.5\n");
    expect(inputError(() => loadOpenFace(au99)).message).toBe(`${au99}:1, field AU99_r: unknown action unit "AU99" in column "AU99_r"`);
    const noFrame = writeText("noframe.csv", "timestamp, success, AU04_r\n0, 1, 0.5\n");
    expect(inputError(() => loadOpenFace(noFrame)).message).toBe(`${noFrame}:1, field frame: no "frame" column (required); the header has: timestamp, success, AU04_r`);
    const twice = writeText("twice.csv", "frame, AU04_r, AU04_r\n1, 0.5, 0.5\n");
    expect(inputError(() => loadOpenFace(twice)).message).toBe(`${twice}:1, field AU04_r: column "AU04_r" appears twice (columns 2 and 3)`);
  });

  it("values out of range: intensity, presence, success, frame", () => {
    const high = variant("high.csv", ({ header, rows }) => (rows[2][header.indexOf("AU12_r")] = "7.5"));
    expect(inputError(() => loadOpenFace(high)).message).toBe(`${high}:4, field AU12_r: AU intensity must be in 0–5, got 7.5`);
    const neg = variant("neg.csv", ({ header, rows }) => (rows[2][header.indexOf("AU12_r")] = "-0.5"));
    expect(inputError(() => loadOpenFace(neg)).message).toBe(`${neg}:4, field AU12_r: AU intensity must be in 0–5, got -0.5`);
    const pres = variant("pres.csv", ({ header, rows }) => (rows[0][header.indexOf("AU45_c")] = "0.5"));
    expect(inputError(() => loadOpenFace(pres)).message).toBe(`${pres}:2, field AU45_c: AU presence must be 0 or 1, got 0.5`);
    const succ = variant("succ.csv", ({ header, rows }) => (rows[0][header.indexOf("success")] = "2"));
    expect(inputError(() => loadOpenFace(succ)).message).toBe(`${succ}:2, field success: success must be 0 or 1, got 2`);
    const frame = variant("frame.csv", ({ rows }) => (rows[0][0] = "1.5"));
    expect(inputError(() => loadOpenFace(frame)).message).toBe(`${frame}:2, field frame: frame number must be a non-negative integer, got 1.5`);
  });

  it("bad options name the option", () => {
    expect(inputError(() => loadOpenFace(FULL, { intensityTolerance: -1 })).message).toBe("field intensityTolerance: must be ≥ 0, got -1");
    expect(inputError(() => loadOpenFace(FULL, { landmarks: "yes" as never })).message).toBe('field landmarks: must be true or false, got "yes"');
  });
});
