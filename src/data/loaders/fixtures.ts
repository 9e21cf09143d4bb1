import * as fs from "node:fs";
import * as path from "node:path";
import { OPENFACE_AUS } from "../../au/registry";
import { Rng } from "../../util/random";
import { expressFace68, neutralFace68, sci, short } from "./fixture-face";

/**
 * The project's own small fixtures in the three real formats (data/fixtures/),
 * written by code so that tests can rebuild them — and malformed variants of
 * them — in a temporary folder. The committed files equal what these functions
 * write (a test checks it). Regenerate with
 *
 *     npx tsx src/data/loaders/fixtures.ts [data/fixtures]
 *
 * Values are invented (deterministic, seeded), shaped like the real files.
 */

/** AU intensities of one frame: { FACS number: intensity }. */
type AuTable = Record<number, number>;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const linesOf = (rows: string[]) => rows.map((r) => r + "\n").join("");

/** 66-point UNBC AAM layout: the 68-point face without the inner mouth corners 60 and 64. */
function toAam66(face68: Float64Array): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < 68; i++) if (i !== 60 && i !== 64) out.push(face68[2 * i], face68[2 * i + 1]);
  return Float64Array.from(out);
}

function pointLines(face: Float64Array, rng: Rng): string {
  const rows: string[] = [];
  for (let i = 0; i < face.length / 2; i++) {
    rows.push(sci(Number((face[2 * i] + rng.normal(0, 0.3)).toFixed(4))) + sci(Number((face[2 * i + 1] + rng.normal(0, 0.3)).toFixed(4))));
  }
  return linesOf(rows);
}

/** PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43. */
export function pspiOfTable(t: AuTable): number {
  const v = (n: number) => t[n] ?? 0;
  return v(4) + Math.max(v(6), v(7)) + Math.max(v(9), v(10)) + v(43);
}

/** The UNBC fixture: per subject, per sequence, the AU tables of its frames (frame k+1), and sequence labels. */
export const UNBC_FIXTURE: {
  subject: string;
  sequences: { name: string; frames: AuTable[]; labels: { VAS: number; OPR: number; AFF: number; SEN: number } }[];
}[] = [
  {
    subject: "042-ll042",
    sequences: [
      { name: "ll042t1aaaff", frames: [{}, { 25: 1 }, { 4: 2, 6: 3, 7: 2, 10: 1, 25: 2, 43: 1 }, { 6: 1, 12: 2, 50: 1 }], labels: { VAS: 5, OPR: 3, AFF: 7, SEN: 8 } },
      { name: "ll042t2aiaff", frames: [{}, { 12: 1 }, { 25: 2, 26: 2 }, {}], labels: { VAS: 0, OPR: 0, AFF: 1, SEN: 1 } },
    ],
  },
  {
    subject: "064-ak064",
    sequences: [
      { name: "ak064t1aaaff", frames: [{}, { 4: 1, 7: 1, 9: 2, 10: 3 }, { 15: 1, 20: 2 }, { 43: 1 }], labels: { VAS: 4, OPR: 2, AFF: 6, SEN: 5 } },
      { name: "ak064t1aiaff", frames: [{}, { 25: 3, 26: 4, 27: 3 }, { 6: 2, 12: 3 }, {}], labels: { VAS: 1, OPR: 1, AFF: 2, SEN: 2 } },
    ],
  },
];

/**
 * Write the UNBC-McMaster fixture under `dir` (Frame_Labels/FACS, Frame_Labels/PSPI,
 * AAM_landmarks, Sequence_Labels): 2 subjects × 2 sequences × 4 frames, 5 frames
 * with PSPI > 0. The first subject's FACS files carry onset/offset columns, the
 * second's only "AU intensity"; frame 1 of every sequence is an empty file.
 */
export function writeUnbcFixture(dir: string): void {
  const rng = new Rng("unbc-fixture");
  UNBC_FIXTURE.forEach(({ subject, sequences }, si) => {
    for (const seq of sequences) {
      seq.frames.forEach((aus, f) => {
        const stem = `${seq.name}${String(f + 1).padStart(3, "0")}`;
        const facs = Object.keys(aus)
          .map(Number)
          .sort((a, b) => a - b)
          .map((n) => sci(n) + sci(aus[n]) + (si === 0 ? sci(0) + sci(0) : ""));
        write(path.join(dir, "Frame_Labels", "FACS", subject, seq.name, `${stem}_facs.txt`), linesOf(facs));
        write(path.join(dir, "Frame_Labels", "PSPI", subject, seq.name, `${stem}_facs.txt`), linesOf([sci(pspiOfTable(aus))]));
        const face = expressFace68(neutralFace68(160 + 10 * si, 120, 70), aus, 70);
        write(path.join(dir, "AAM_landmarks", subject, seq.name, `${stem}_aam.txt`), pointLines(toAam66(face), rng));
      });
      for (const kind of ["VAS", "OPR", "AFF", "SEN"] as const) {
        write(path.join(dir, "Sequence_Labels", kind, subject, `${seq.name}.txt`), linesOf([sci(seq.labels[kind])]));
      }
    }
  });
}

/** The CK+ fixture: sequences with their frame count, emotion code (null: no emotion file) and peak FACS codes [AU, intensity]. */
export const CKPLUS_FIXTURE: { subject: string; sequence: string; frames: number; emotion: number | null; facs: [number, number][] }[] = [
  { subject: "S005", sequence: "001", frames: 5, emotion: 3, facs: [[9, 4], [10, 0], [17, 2], [38, 0]] },
  { subject: "S010", sequence: "002", frames: 4, emotion: 5, facs: [[6, 3], [12, 4], [25, 0]] },
  { subject: "S010", sequence: "004", frames: 4, emotion: 7, facs: [[1, 2], [2, 2], [5, 3], [25, 2], [27, 4]] },
  { subject: "S011", sequence: "001", frames: 3, emotion: 6, facs: [[1, 3], [4, 2], [15, 3], [17, 1], [54, 0]] },
  { subject: "S011", sequence: "002", frames: 3, emotion: null, facs: [[4, 3], [7, 2], [24, 2], [45, 0]] },
];

/**
 * Write the CK+ fixture under `dir` (Emotion, FACS, Landmarks): 3 subjects, 5
 * sequences (disgust, happy, surprise, sadness, and one with FACS codes but no
 * emotion file), a landmark file for every frame, the face moving from neutral
 * (frame 1) to the coded peak (last frame).
 */
export function writeCkPlusFixture(dir: string): void {
  const rng = new Rng("ckplus-fixture");
  CKPLUS_FIXTURE.forEach(({ subject, sequence, frames, emotion, facs }, q) => {
    const prefix = (frame: number) => `${subject}_${sequence}_${String(frame).padStart(8, "0")}`;
    const peak: AuTable = {};
    for (const [au, intensity] of facs) peak[au] = intensity === 0 ? 2 : intensity; // drawn: "not given" shown as 2
    for (let f = 1; f <= frames; f++) {
      const t = (f - 1) / (frames - 1);
      const aus: AuTable = {};
      for (const k of Object.keys(peak)) aus[Number(k)] = (k === "43" || k === "45" ? (t === 1 ? 1 : 0) : t * peak[Number(k)]);
      const face = expressFace68(neutralFace68(320 + 6 * q, 250, 95), aus, 95);
      write(path.join(dir, "Landmarks", subject, sequence, `${prefix(f)}_landmarks.txt`), pointLines(face, rng));
    }
    write(path.join(dir, "FACS", subject, sequence, `${prefix(frames)}_facs.txt`), linesOf(facs.map(([au, i]) => sci(au) + sci(i))));
    if (emotion !== null) write(path.join(dir, "Emotion", subject, sequence, `${prefix(frames)}_emotion.txt`), linesOf([sci(emotion)]));
  });
}

/** The 431 columns of OpenFace 2.0 FeatureExtraction output, in its order. */
export function openFace20Columns(): string[] {
  const idx = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const cAus = [...OPENFACE_AUS.slice(0, 16), "AU28", "AU45"];
  return [
    "frame", "timestamp", "confidence", "success",
    "gaze_0_x", "gaze_0_y", "gaze_0_z", "gaze_1_x", "gaze_1_y", "gaze_1_z",
    "pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz",
    ...idx("x_", 68), ...idx("y_", 68), ...idx("X_", 68), ...idx("Y_", 68), ...idx("Z_", 68),
    "p_scale", "p_rx", "p_ry", "p_rz", "p_tx", "p_ty", ...idx("p_", 34),
    ...OPENFACE_AUS.map((a) => `${a}_r`), ...cAus.map((a) => `${a}_c`),
  ];
}

/** Frames 1–12 of the OpenFace fixtures: a smile (AU6, AU12, AU25) over frames 3–8, a blink (AU45) at 7, AU28 at 11. */
function openFaceAus(frame: number, rng: Rng): Record<string, number> {
  const smile = frame >= 3 && frame <= 8 ? Math.sin((Math.PI * (frame - 2)) / 7) : 0;
  const r: Record<string, number> = {};
  for (const a of OPENFACE_AUS) r[a] = Math.max(0, rng.normal(0.15, 0.12));
  r.AU06 += 2.2 * smile;
  r.AU12 += 2.8 * smile;
  r.AU25 += 1.5 * smile;
  r.AU45 = frame === 7 ? 1.8 : Math.max(0, rng.normal(0.1, 0.05));
  for (const a of OPENFACE_AUS) r[a] = Number(Math.min(5, r[a]).toPrecision(4));
  return r;
}

/** Frames whose `success` is 0 in full.csv. */
export const OPENFACE_FULL_FAILED_FRAMES: readonly number[] = [5, 9];

/**
 * Write `full.csv` (the full OpenFace 2.0 header, 12 frames, 2 with success = 0;
 * like a real OpenFace 2.0 file: header ", "-separated, rows ","-separated, CRLF
 * line ends, no newline after the last row) and
 * `subset.csv` (frame, timestamp, confidence, success, gaze angles, head rotation
 * and the AU*_r columns; ", " everywhere) under `dir`.
 */
export function writeOpenFaceFixtures(dir: string): void {
  const rng = new Rng("openface-fixture");
  const cols = openFace20Columns();
  const shape = Array.from({ length: 34 }, () => rng.normal(0, 8));
  const rows: string[] = [cols.join(", ")];
  const subset: string[] = [];
  const subsetCols = ["frame", "timestamp", "confidence", "success", "gaze_angle_x", "gaze_angle_y", "pose_Rx", "pose_Ry", "pose_Rz", ...OPENFACE_AUS.map((a) => `${a}_r`)];
  subset.push(subsetCols.join(", "));
  for (let frame = 1; frame <= 12; frame++) {
    const ts = short((frame - 1) / 30);
    const r = openFaceAus(frame, rng);
    const rot = [0.12 + rng.normal(0, 0.01), -0.05 + rng.normal(0, 0.01), 0.02 + rng.normal(0, 0.005)];
    const gaze = [0.1 + rng.normal(0, 0.01), 0.06 + rng.normal(0, 0.01)];
    subset.push([frame, ts, 0.98, 1, short(gaze[0], 4), short(gaze[1], 4), ...rot.map((v) => short(v)), ...OPENFACE_AUS.map((a) => short(r[a], 4))].join(", "));
    if (OPENFACE_FULL_FAILED_FRAMES.includes(frame)) {
      rows.push([frame, ts, 0, 0, ...new Array<number>(cols.length - 4).fill(0)].join(","));
      continue;
    }
    const byNumber: Record<number, number> = {};
    for (const a of OPENFACE_AUS) byNumber[Number(a.slice(2))] = r[a];
    const face = expressFace68(neutralFace68(330, 215, 100), byNumber, 100);
    for (let j = 0; j < face.length; j++) face[j] += rng.normal(0, 0.4);
    const xs = Array.from({ length: 68 }, (_, i) => face[2 * i]);
    const ys = Array.from({ length: 68 }, (_, i) => face[2 * i + 1]);
    const depth = (i: number) => (i >= 27 && i <= 35 ? -25 + 3 * (i - 27) : i <= 16 ? 40 - 30 * Math.sin((Math.PI * i) / 16) : 0);
    const g0 = [gaze[0] + 0.05, gaze[1], -Math.sqrt(1 - (gaze[0] + 0.05) ** 2 - gaze[1] ** 2)];
    const g1 = [gaze[0] - 0.05, gaze[1], -Math.sqrt(1 - (gaze[0] - 0.05) ** 2 - gaze[1] ** 2)];
    const c = (a: string) => (r[a] >= 1 ? 1 : 0);
    rows.push(
      [
        frame, ts, short(0.98 - 0.01 * rng.next(), 4), 1,
        ...g0.map((v) => short(v)), ...g1.map((v) => short(v)),
        short(16.6 + rng.normal(0, 0.3)), short(43.4 + rng.normal(0, 0.3)), short(598 + rng.normal(0, 1)), ...rot.map((v) => short(v)),
        ...xs.map((v) => short(v)), ...ys.map((v) => short(v)),
        ...xs.map((v) => short((v - 330) * 0.62)), ...ys.map((v) => short((v - 215) * 0.62)), ...xs.map((_, i) => short(600 + depth(i) + rng.normal(0, 0.5))),
        short(0.72 + rng.normal(0, 0.005)), ...rot.map((v) => short(v)), short(330 + rng.normal(0, 0.2)), short(215 + rng.normal(0, 0.2)),
        ...shape.map((v) => short(v + rng.normal(0, 0.3))),
        ...OPENFACE_AUS.map((a) => short(r[a], 4)),
        ...OPENFACE_AUS.slice(0, 16).map(c), frame === 11 ? 1 : 0, c("AU45"),
      ].join(","),
    );
  }
  write(path.join(dir, "full.csv"), rows.join("\r\n")); // as the real sample: CRLF, no newline after the last row
  write(path.join(dir, "subset.csv"), linesOf(subset));
}

/** Write all three fixtures under `root` (unbc/, ckplus/, openface/), replacing what is there. */
export function writeAllFixtures(root: string): void {
  for (const sub of ["unbc", "ckplus", "openface"]) fs.rmSync(path.join(root, sub), { recursive: true, force: true });
  writeUnbcFixture(path.join(root, "unbc"));
  writeCkPlusFixture(path.join(root, "ckplus"));
  writeOpenFaceFixtures(path.join(root, "openface"));
}

// Run as a script (tsx, CommonJS); the guard keeps importing it side-effect free under vitest too.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  const root = process.argv[2] ?? path.join("data", "fixtures");
  writeAllFixtures(root);
  console.log(`fixtures written under ${root}`);
}
