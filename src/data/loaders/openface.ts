import * as path from "node:path";
import { actionUnit, auCode, isAuCode } from "../../au/registry";
import { FacrInputError } from "../../util/errors";
import { checkKeys, checkNumber } from "../../util/options";
import { checkDataset, Dataset, subsetDataset } from "../dataset";
import { ByteLine, forEachLine, lineText, parseNumberFields, splitFields, TOO_MANY_FIELDS } from "./csv-lines";
import { flag } from "./loader-options";
import { IntBuffer, RowBuffer } from "./row-buffer";

/**
 * Loader for OpenFace 2.x FeatureExtraction / FaceLandmarkVidMulti CSV output
 * (Baltrušaitis et al., 2018):
 *
 *     frame, face_id?, timestamp, confidence, success, gaze_*, pose_*, x_0..x_67, y_0..y_67,
 *     X_*, Y_*, Z_*, p_*, AU01_r..AU45_r, AU01_c..AU45_c
 *
 * Header names (and values) may carry spaces around the commas (OpenFace writes
 * ", " in headers). Any subset of columns may be present; only `frame` is required.
 */
export interface OpenFaceOptions {
  /** Subject id of every frame (default: the file's base name without ".csv"). */
  subject?: string;
  /** Dataset name (default: the file path). */
  name?: string;
  /**
   * Which other numeric columns (timestamp, confidence, gaze_*, pose_*, X_*, p_*, …)
   * to keep in `Dataset.columns`: "all" (default), "none", or a list of header names.
   */
  columns?: "all" | "none" | readonly string[];
  /** Read x_0..x_67, y_0..y_67 into `landmarks` when all 136 are present (default true). */
  landmarks?: boolean;
  /**
   * How far outside 0–5 an `AU*_r` value may lie and still be clamped into range
   * (default 0.01, for rounding); a value beyond it is an error naming line and column.
   */
  intensityTolerance?: number;
}

const OPTION_KEYS = ["subject", "name", "columns", "landmarks", "intensityTolerance"] as const;

/** Notes every OpenFace dataset carries in `meta.notes`. */
export const OPENFACE_NOTES: readonly string[] = [
  "AU45 is blink and stays AU45: it is never mapped to AU43 (eyes closed), a different, sustained event",
  "AU*_r are OpenFace's regression estimates on 0–5 (AU45_r too, although facr codes AU45 as 0/1 elsewhere); AU*_c are its 0/1 presence calls, in auPresence",
  "rows with success = 0 (no face found) are left out and counted in skipped[\"success = 0\"]",
];

const LANDMARK_POINTS = 68;

/** Where each header column goes. */
interface ColumnPlan {
  names: string[];
  frameCol: number;
  faceCol: number;
  successCol: number;
  /** AU codes in FACS number order. */
  aus: string[];
  /** Per AU: column of AU*_r / AU*_c, or -1. */
  rCols: Int32Array;
  cCols: Int32Array;
  hasPresence: boolean;
  /** Columns of x_0, y_0, x_1, y_1, … when landmarks are read, else null. */
  landmarkCols: Int32Array | null;
  /** Other numeric columns kept in `columns`. */
  keptCols: number[];
  notes: string[];
}

/**
 * Load one OpenFace 2.x CSV file as a Dataset (source "openface", no labels).
 *
 * - `AU*_r` → `intensities` (values within `intensityTolerance` of 0–5 are clamped,
 *   others are errors); `AU*_c` → `auPresence`; an AU with only `_c` (AU28) has
 *   intensity NaN, an AU with only `_r` presence NaN. `aus` = the AUs present, in
 *   FACS number order. AU45 stays AU45 (blink), never AU43.
 * - `x_i, y_i` (all 68 points) → `landmarks`; other numeric columns → `columns`.
 * - Rows with `success = 0` are left out and counted in `skipped["success = 0"]`.
 * - Subject: `opts.subject` or the file's base name; sequence: the base name, plus
 *   "/face<id>" when there is a `face_id` column. Frames of several faces are
 *   grouped by face id (ascending), file order within a face.
 *
 * Every malformed input is a FacrInputError naming the file, line and column: a
 * missing file, an empty or header-only file, a wrong delimiter (semicolons,
 * tabs), a missing `frame` column, an unknown AU column, a short or long row, a
 * non-numeric value or NaN, an intensity out of range, a presence or success
 * value other than 0/1, a repeated frame number for the same face.
 */
export function loadOpenFace(file: string, opts: OpenFaceOptions = {}): Dataset {
  checkKeys(opts, OPTION_KEYS, "loadOpenFace options");
  const tol = opts.intensityTolerance === undefined ? 0.01 : checkNumber(opts.intensityTolerance, "intensityTolerance", { min: 0 });
  const withLandmarks = flag(opts.landmarks, true, "landmarks");
  const base = path.basename(file).replace(/\.csv$/i, "");
  const subject = opts.subject ?? base;
  if (typeof subject !== "string" || subject === "") throw new FacrInputError(`must be a non-empty string`, { field: "subject" });

  let plan = null as ColumnPlan | null;
  let ncol = 0;
  let row = new Float64Array(1);
  let buf = null as RowBuffer | null;
  let K = 0;
  let offPresence = 0;
  let offLandmarks = 0;
  let offKept = 0;
  const frames = new IntBuffer();
  const faces = new IntBuffer();
  const seen = new Map<number, number>();
  let dataRows = 0;
  let failed = 0;
  let blank = 0;

  const fail = (line: number, field: string, problem: string): never => {
    throw new FacrInputError(problem, { file, line, field });
  };

  const lines = forEachLine(file, "OpenFace CSV file", (line) => {
    const lineNo = line.number;
    if (plan === null) {
      plan = planColumns(lineText(line), file, opts.columns, withLandmarks);
      ncol = plan.names.length;
      row = new Float64Array(ncol);
      K = plan.aus.length;
      offPresence = K;
      offLandmarks = offPresence + (plan.hasPresence ? K : 0);
      offKept = offLandmarks + (plan.landmarkCols ? 2 * LANDMARK_POINTS : 0);
      buf = new RowBuffer(offKept + plan.keptCols.length, 1024);
      return;
    }
    if (isBlank(line)) {
      blank++;
      return;
    }
    const p: ColumnPlan = plan;
    dataRows++;
    const got = parseNumberFields(line, row);
    if (got !== ncol) diagnoseRow(lineText(line), lineNo, got, p.names, file);

    const frame = row[p.frameCol];
    if (!Number.isInteger(frame) || frame < 0 || frame > 2147483647) fail(lineNo, "frame", `frame number must be a non-negative integer, got ${frame}`);
    let face = 0;
    if (p.faceCol >= 0) {
      face = row[p.faceCol];
      if (!Number.isInteger(face) || face < 0 || face > 2147483647) fail(lineNo, "face_id", `face_id must be a non-negative integer, got ${face}`);
    }
    const key = face * 4294967296 + frame;
    const before = seen.get(key);
    if (before !== undefined) {
      fail(lineNo, "frame", `frame ${frame}${p.faceCol >= 0 ? ` of face_id ${face}` : ""} appears twice (first on line ${before})`);
    }
    seen.set(key, lineNo);
    let success = 1;
    if (p.successCol >= 0) {
      success = row[p.successCol];
      if (success !== 0 && success !== 1) fail(lineNo, "success", `success must be 0 or 1, got ${success}`);
    }
    // Check every AU value, including rows about to be skipped.
    for (let k = 0; k < K; k++) {
      const rc = p.rCols[k];
      if (rc >= 0) {
        const v = row[rc];
        if (v < 0 || v > 5) {
          if (v < -tol || v > 5 + tol) fail(lineNo, p.names[rc], `AU intensity must be in 0–5, got ${v}`);
          row[rc] = v < 0 ? 0 : 5;
        }
      }
      const cc = p.cCols[k];
      if (cc >= 0 && row[cc] !== 0 && row[cc] !== 1) fail(lineNo, p.names[cc], `AU presence must be 0 or 1, got ${row[cc]}`);
    }
    if (success === 0) {
      failed++;
      return;
    }

    const b = buf as RowBuffer;
    const o = b.push();
    const a = b.array;
    for (let k = 0; k < K; k++) {
      const rc = p.rCols[k];
      a[o + k] = rc >= 0 ? row[rc] : NaN;
      if (p.hasPresence) {
        const cc = p.cCols[k];
        a[o + offPresence + k] = cc >= 0 ? row[cc] : NaN;
      }
    }
    const lm = p.landmarkCols;
    if (lm) for (let j = 0; j < lm.length; j++) a[o + offLandmarks + j] = row[lm[j]];
    const kept = p.keptCols;
    for (let j = 0; j < kept.length; j++) a[o + offKept + j] = row[kept[j]];
    frames.push(frame);
    faces.push(face);
  });

  if (lines === 0 || plan === null) throw new FacrInputError(`empty file: expected an OpenFace header line`, { file, line: 1 });
  const p: ColumnPlan = plan;
  if (dataRows === 0) throw new FacrInputError(`header only: no data rows (expected one row per frame)`, { file, line: 2 });

  const b = buf as RowBuffer;
  const N = b.rows;
  const faceIds = faces.toArray();
  const distinctFaces = [...new Set(faceIds)].sort((x, y) => x - y);
  const seqOf = (face: number) => (p.faceCol >= 0 ? `${base}/face${face}` : base);
  const columns: Record<string, Float32Array> = {};
  const keptData = b.splitColumns(offKept, p.keptCols.length);
  p.keptCols.forEach((c, j) => (columns[p.names[c]] = keptData[j]));

  const skipped: Record<string, number> = {};
  if (p.successCol >= 0) skipped["success = 0"] = failed;
  let ds: Dataset = {
    name: opts.name ?? file,
    source: "openface",
    size: N,
    aus: p.aus,
    intensities: b.columns(0, K),
    auPresence: p.hasPresence ? b.columns(offPresence, K) : undefined,
    subjects: new Array<string>(N).fill(subject),
    sequences: Array.from(faceIds, seqOf),
    frames: frames.toArray(),
    landmarks: p.landmarkCols ? { points: LANDMARK_POINTS, data: b.columns(offLandmarks, 2 * LANDMARK_POINTS) } : undefined,
    columns,
    skipped,
    meta: {
      file,
      format: "OpenFace 2.x CSV",
      headerColumns: p.names.length,
      dataRows,
      faces: p.faceCol >= 0 ? distinctFaces : undefined,
      blankLines: blank,
      notes: [...OPENFACE_NOTES, ...p.notes],
    },
  };
  if (distinctFaces.length > 1) {
    const order = Array.from({ length: N }, (_, i) => i).sort((i, j) => faceIds[i] - faceIds[j] || i - j);
    ds = subsetDataset(ds, order);
  }
  return checkDataset(ds);
}

/** True when a line holds only spaces and tabs. */
function isBlank(line: ByteLine): boolean {
  for (let i = line.start; i < line.end; i++) if (line.bytes[i] !== 32 && line.bytes[i] !== 9) return false;
  return true;
}

/** Explain why a data row did not parse into `names.length` numbers, as a FacrInputError. */
function diagnoseRow(line: string, lineNo: number, got: number, names: string[], file: string): never {
  const fields = line.split(",");
  if (got === TOO_MANY_FIELDS || fields.length !== names.length) {
    const sep = /;/.test(line) ? "semicolons" : /\t/.test(line) ? "tabs" : "";
    const hint = sep ? `; the row contains ${sep}: OpenFace CSV files are comma-separated` : ": a truncated or corrupted line?";
    const field = fields.length < names.length ? names[fields.length] : `column ${names.length + 1}`;
    throw new FacrInputError(`row has ${fields.length} fields, the header has ${names.length}${hint}`, { file, line: lineNo, field });
  }
  const j = -got - 1;
  const token = fields[j].trim();
  const hint = /^[+-]?(nan|inf(inity)?)$/i.test(token) ? " (NaN and infinite values are not allowed)" : token === "" ? " (empty value)" : "";
  throw new FacrInputError(`expected a number, got ${JSON.stringify(token)}${hint}`, { file, line: lineNo, field: names[j] });
}

/** Classify the header's columns and check it; errors name line 1 and the column. */
function planColumns(header: string, file: string, selection: OpenFaceOptions["columns"], withLandmarks: boolean): ColumnPlan {
  const where = (field?: string) => ({ file, line: 1, field });
  if (header.trim() === "") throw new FacrInputError(`empty header line: expected OpenFace column names ("frame, timestamp, …")`, where("header"));
  const names = splitFields(header);
  if (names.length === 1) {
    const sep = header.includes(";") ? "semicolons (\";\")" : header.includes("\t") ? "tabs" : "";
    if (sep) throw new FacrInputError(`the header is separated by ${sep}, but OpenFace CSV files are comma-separated`, where("header"));
  }
  const index = new Map<string, number>();
  names.forEach((n, j) => {
    if (n === "") throw new FacrInputError(`empty column name`, where(`column ${j + 1}`));
    if (index.has(n)) throw new FacrInputError(`column "${n}" appears twice (columns ${index.get(n)! + 1} and ${j + 1})`, where(n));
    index.set(n, j);
  });
  const col = (n: string) => index.get(n) ?? -1;
  const frameCol = col("frame");
  if (frameCol < 0) {
    const shown = names.slice(0, 8).join(", ") + (names.length > 8 ? ", …" : "");
    throw new FacrInputError(`no "frame" column (required); the header has: ${shown}`, where("frame"));
  }

  const rOf = new Map<string, number>();
  const cOf = new Map<string, number>();
  const xy = new Map<string, number>();
  const other: number[] = [];
  names.forEach((n, j) => {
    if (j === frameCol || n === "face_id" || n === "success") return;
    const au = /^AU(\d+)_([rc])$/i.exec(n);
    if (au) {
      const code = auCode(Number(au[1]));
      if (!isAuCode(code)) throw new FacrInputError(`unknown action unit ${JSON.stringify(`AU${au[1]}`)} in column "${n}"`, where(n));
      (au[2].toLowerCase() === "r" ? rOf : cOf).set(code, j);
      return;
    }
    if (/^[xy]_\d+$/.test(n)) xy.set(n, j);
    else other.push(j);
  });

  const notes: string[] = [];
  const aus = [...new Set([...rOf.keys(), ...cOf.keys()])].sort((a, b) => actionUnit(a).number - actionUnit(b).number);
  const onlyC = aus.filter((a) => !rOf.has(a));
  if (onlyC.length) notes.push(`${onlyC.join(", ")}: only presence (_c) columns, intensity NaN (not coded)`);

  let landmarkCols: Int32Array | null = null;
  const complete = Array.from({ length: LANDMARK_POINTS }, (_, i) => xy.has(`x_${i}`) && xy.has(`y_${i}`)).every(Boolean) && xy.size === 2 * LANDMARK_POINTS;
  if (complete) {
    if (withLandmarks) {
      landmarkCols = new Int32Array(2 * LANDMARK_POINTS);
      for (let i = 0; i < LANDMARK_POINTS; i++) {
        landmarkCols[2 * i] = xy.get(`x_${i}`)!;
        landmarkCols[2 * i + 1] = xy.get(`y_${i}`)!;
      }
    }
  } else if (xy.size > 0) {
    notes.push(`2-D landmark columns incomplete (${xy.size} of ${2 * LANDMARK_POINTS} x_/y_ columns): kept as ordinary columns, no landmarks`);
    other.push(...xy.values());
    other.sort((a, b) => a - b);
  }

  let keptCols: number[];
  const sel = selection ?? "all";
  if (sel === "all") keptCols = other;
  else if (sel === "none") keptCols = [];
  else if (Array.isArray(sel)) {
    keptCols = (sel as readonly unknown[]).map((n) => {
      const j = typeof n === "string" ? col(n.trim()) : -1;
      if (j < 0 || !other.includes(j)) {
        throw new FacrInputError(`${JSON.stringify(n)} is not one of this file's other numeric columns (${other.map((c) => names[c]).slice(0, 12).join(", ")}…)`, { file, field: "columns" });
      }
      return j;
    });
  } else {
    throw new FacrInputError(`must be "all", "none" or a list of column names, got ${JSON.stringify(sel)}`, { field: "columns" });
  }

  return {
    names,
    frameCol,
    faceCol: col("face_id"),
    successCol: col("success"),
    aus,
    rCols: Int32Array.from(aus, (a) => rOf.get(a) ?? -1),
    cCols: Int32Array.from(aus, (a) => cOf.get(a) ?? -1),
    hasPresence: cOf.size > 0,
    landmarkCols,
    keptCols,
    notes,
  };
}
