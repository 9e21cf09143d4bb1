import * as path from "node:path";
import { actionUnit, isAuCode, normalizeAuCode, OPENFACE_AUS } from "../../au/registry";
import { FacrInputError } from "../../util/errors";
import { checkKeys } from "../../util/options";
import { checkDataset, Dataset } from "../dataset";
import { readFacsFile } from "./facs-file";
import { choice, flag } from "./loader-options";
import { isFolder, listFolder, readLandmarkFile, readSingleNumber, requirePath } from "./text-files";

/**
 * Loader for the extended Cohn-Kanade dataset CK+ (Lucey et al., 2010) in its
 * distributed layout, under a root folder:
 *
 *     Emotion/S005/001/S005_001_00000011_emotion.txt     one number, 0–7
 *     FACS/S005/001/S005_001_00000011_facs.txt           lines "AU intensity" (0 = intensity not given)
 *     Landmarks/S005/001/S005_001_000000NN_landmarks.txt 68 lines "x y", one file per frame
 */
export interface CkPlusOptions {
  /** Dataset name (default: the root folder). */
  name?: string;
  /** AU columns, any accepted spelling ("AU04", "4"); default the 17 OpenFace 2 AUs. */
  aus?: readonly (string | number)[];
  /**
   * Also emit each sequence's first frame as a "neutral" frame with every AU 0
   * (CK+ sequences start from a neutral face by protocol, but that frame is not
   * FACS-coded). Default false: only coded frames, so the neutral class is empty
   * (no CK+ emotion file uses code 0).
   */
  includeNeutralOnset?: boolean;
  /** Read Landmarks (default true); false: no `landmarks`, the folder is not needed. */
  landmarks?: boolean;
  /**
   * A sequence whose landmark file (or landmark folder) is missing: "error"
   * (default) throws naming it; "skip" leaves the frame out and counts it in
   * `skipped["missing landmark file"]`.
   */
  onMissing?: "error" | "skip";
}

const OPTION_KEYS = ["name", "aus", "includeNeutralOnset", "landmarks", "onMissing"] as const;

/** CK+ emotion codes 0–7, by CK+'s own names (Lucey et al., 2010). */
export const CKPLUS_EMOTION_CODES = ["neutral", "anger", "contempt", "disgust", "fear", "happy", "sadness", "surprise"] as const;

/** CK+ names that facr spells differently (EMOTION_CLASSES). */
const PROJECT_NAME: Readonly<Record<string, string>> = { happy: "happiness" };

/** The classes of a CK+ dataset, in CK+ code order, with facr's names: label y = the CK+ code. */
export const CKPLUS_CLASSES: readonly string[] = CKPLUS_EMOTION_CODES.map((n) => PROJECT_NAME[n] ?? n);

const LANDMARK_POINTS = 68;
const FACS_FILE = /_(\d+)_facs\.txt$/;
const EMOTION_FILE = /_(\d+)_emotion\.txt$/;
const LANDMARK_FILE = /_(\d+)_landmarks\.txt$/;

/**
 * Load a CK+ root folder as a Dataset (source "ckplus"): one frame per
 * FACS-coded sequence, its coded (peak, last) frame, with that frame's landmarks
 * (68 points); with `includeNeutralOnset`, the sequence's first frame before it.
 *
 * - Subjects ("S005") and sequences ("S005/001") in natural order; frame number from
 *   the file name.
 * - FACS intensity 1–5 → intensity; 0 ("present, intensity not given") → intensity
 *   NaN; either way `auPresence` 1. Binary AUs (AU43, AU45) listed → 1. AUs not
 *   listed → 0. FACS codes outside `aus` are counted by AU in
 *   `meta.unusedAuAnnotations`; a number that is no FACS code (99) is an error.
 * - Labels: CKPLUS_CLASSES ["neutral", "anger", "contempt", "disgust", "fear",
 *   "happiness", "sadness", "surprise"] (y = CK+ code). A sequence with FACS but no
 *   emotion file gets -1 (unlabelled), counted in `meta.unlabelledSequences`.
 *
 * Malformed input is a FacrInputError naming file, line and field; a missing
 * Emotion, FACS or Landmarks folder names the folder.
 */
export function loadCkPlus(root: string, opts: CkPlusOptions = {}): Dataset {
  checkKeys(opts, OPTION_KEYS, "loadCkPlus options");
  const aus = resolveAus(opts.aus);
  const withOnset = flag(opts.includeNeutralOnset, false, "includeNeutralOnset");
  const withLandmarks = flag(opts.landmarks, true, "landmarks");
  const onMissing = choice(opts.onMissing, ["error", "skip"], "onMissing");

  requirePath(root, "folder", "CK+ root folder");
  const facsRoot = path.join(root, "FACS");
  const emotionRoot = path.join(root, "Emotion");
  const lmRoot = path.join(root, "Landmarks");
  requirePath(facsRoot, "folder", "CK+ FACS folder");
  requirePath(emotionRoot, "folder", "CK+ Emotion folder");
  if (withLandmarks) requirePath(lmRoot, "folder", "CK+ Landmarks folder");

  const K = aus.length;
  const auIndex = new Map(aus.map((a, k) => [a, k]));
  const binary = aus.map((a) => actionUnit(a).scale === "binary");
  const intensities: number[] = [];
  const presence: number[] = [];
  const landmarks: number[] = [];
  const labels: number[] = [];
  const subjects: string[] = [];
  const sequences: string[] = [];
  const frames: number[] = [];
  const skipped: Record<string, number> = {};
  const unused: Record<string, number> = {};
  const counts = { sequences: 0, unlabelledSequences: 0, emotionFrameMismatches: 0, foldersWithoutFacsFile: 0, onsetIsPeak: 0, ignoredFiles: 0 };
  const lm = new Float32Array(LANDMARK_POINTS * 2);

  /** Push one frame; returns false when it was skipped for a missing landmark file. */
  const pushFrame = (subj: string, seq: string, frame: number, lmFile: string | null, ints: number[], pres: number[], label: number): boolean => {
    if (withLandmarks) {
      if (lmFile === null) {
        skipped["missing landmark file"] = (skipped["missing landmark file"] ?? 0) + 1;
        return false;
      }
      readLandmarkFile(lmFile, "CK+ landmark file", LANDMARK_POINTS, lm, 0);
      for (let j = 0; j < lm.length; j++) landmarks.push(lm[j]);
    }
    intensities.push(...ints);
    presence.push(...pres);
    labels.push(label);
    subjects.push(subj);
    sequences.push(`${subj}/${seq}`);
    frames.push(frame);
    return true;
  };

  for (const subj of listFolder(facsRoot, "folder", "CK+ FACS folder")) {
    for (const seq of listFolder(path.join(facsRoot, subj), "folder", "CK+ FACS subject folder")) {
      const seqDir = path.join(facsRoot, subj, seq);
      const inFolder = listFolder(seqDir, "file", "CK+ FACS sequence folder");
      const facsFiles = inFolder.filter((n) => FACS_FILE.test(n));
      counts.ignoredFiles += inFolder.length - facsFiles.length;
      if (facsFiles.length === 0) {
        counts.foldersWithoutFacsFile++;
        continue;
      }
      if (facsFiles.length > 1) throw new FacrInputError(`holds ${facsFiles.length} FACS files (${facsFiles.join(", ")}); expected one per sequence`, { file: seqDir });
      counts.sequences++;
      const facsFile = path.join(seqDir, facsFiles[0]);
      const peak = Number(FACS_FILE.exec(facsFiles[0])![1]);

      const ints = new Array<number>(K).fill(0);
      const pres = new Array<number>(K).fill(0);
      for (const e of readFacsFile(facsFile, "CK+ FACS file")) {
        const k = auIndex.get(e.code);
        if (k === undefined) {
          unused[e.code] = (unused[e.code] ?? 0) + 1;
          continue;
        }
        pres[k] = 1;
        ints[k] = binary[k] ? 1 : e.intensity === 0 ? NaN : e.intensity;
      }

      const label = readEmotion(path.join(emotionRoot, subj, seq), peak, counts);
      const lmFiles = withLandmarks ? landmarkFiles(path.join(lmRoot, subj, seq), onMissing) : new Map<number, string>();
      const lmFileOf = (frame: number, expected: string): string | null => {
        const f = lmFiles.get(frame);
        if (f !== undefined || !withLandmarks || onMissing === "skip") return f ?? null;
        throw new FacrInputError(`landmark file not found (the sequence's FACS file is ${facsFile})`, { file: expected });
      };
      const expectedLm = (frame: number) =>
        path.join(lmRoot, subj, seq, facsFiles[0].replace(FACS_FILE, `_${String(frame).padStart(8, "0")}_landmarks.txt`));

      if (withOnset) {
        const onset = lmFiles.size ? Math.min(...lmFiles.keys()) : 1;
        if (onset >= peak) counts.onsetIsPeak++;
        else pushFrame(subj, seq, onset, lmFileOf(onset, expectedLm(onset)), new Array<number>(K).fill(0), new Array<number>(K).fill(0), 0);
      }
      pushFrame(subj, seq, peak, lmFileOf(peak, expectedLm(peak)), ints, pres, label);
    }
  }

  const N = frames.length;
  const notes = [
    "one frame per FACS-coded sequence: its coded (peak, last) frame" +
      (withOnset ? "; plus its first frame as neutral (label 0, every AU 0: assumed by the CK+ protocol, not coded)" : ""),
    "FACS intensity 0 means present, intensity not given: intensity NaN, auPresence 1; binary AUs (AU43, AU45) listed are 1",
    "emotion codes 0–7 mapped by name to facr's classes (happy → happiness); y = the CK+ code",
  ];
  if (counts.unlabelledSequences) notes.push(`${counts.unlabelledSequences} sequence(s) have FACS codes but no emotion file: label -1 (unlabelled)`);
  if (Object.keys(unused).length) notes.push(`FACS codes outside aus were counted, not used: see unusedAuAnnotations`);
  return checkDataset({
    name: opts.name ?? root,
    source: "ckplus",
    size: N,
    aus,
    intensities: Float32Array.from(intensities),
    auPresence: Float32Array.from(presence),
    subjects,
    sequences,
    frames: Int32Array.from(frames),
    landmarks: withLandmarks ? { points: LANDMARK_POINTS, data: Float32Array.from(landmarks) } : undefined,
    labels: { classes: [...CKPLUS_CLASSES], y: Int32Array.from(labels) },
    skipped,
    meta: { root, format: "CK+ (extended Cohn-Kanade)", includeNeutralOnset: withOnset, ...counts, unusedAuAnnotations: unused, notes },
  });
}

/** The sequence's emotion code (0–7), or -1 when its Emotion folder is missing or empty. */
function readEmotion(dir: string, peak: number, counts: { unlabelledSequences: number; emotionFrameMismatches: number }): number {
  const files = isFolder(dir) ? listFolder(dir, "file", "CK+ Emotion sequence folder").filter((n) => EMOTION_FILE.test(n)) : [];
  if (files.length === 0) {
    counts.unlabelledSequences++;
    return -1;
  }
  if (files.length > 1) throw new FacrInputError(`holds ${files.length} emotion files (${files.join(", ")}); expected one per sequence`, { file: dir });
  const file = path.join(dir, files[0]);
  const code = readSingleNumber(file, "CK+ emotion file", "emotion");
  if (!Number.isInteger(code) || code < 0 || code >= CKPLUS_EMOTION_CODES.length) {
    throw new FacrInputError(`emotion code must be an integer 0–7 (${CKPLUS_EMOTION_CODES.map((n, i) => `${i} ${n}`).join(", ")}), got ${code}`, {
      file,
      line: 1,
      field: "emotion",
    });
  }
  if (Number(EMOTION_FILE.exec(files[0])![1]) !== peak) counts.emotionFrameMismatches++;
  return code;
}

/** Landmark files of one sequence by frame number; a missing folder is an error unless skipping. */
function landmarkFiles(dir: string, onMissing: "error" | "skip"): Map<number, string> {
  const out = new Map<number, string>();
  if (!isFolder(dir) && onMissing === "skip") return out;
  for (const name of listFolder(dir, "file", "CK+ Landmarks sequence folder")) {
    const m = LANDMARK_FILE.exec(name);
    if (!m) continue;
    const frame = Number(m[1]);
    if (out.has(frame)) throw new FacrInputError(`two landmark files for frame ${frame}: ${out.get(frame)} and ${name}`, { file: dir });
    out.set(frame, path.join(dir, name));
  }
  return out;
}

/** `opts.aus` as zero-padded registry codes; errors name the offending entry. */
function resolveAus(list: readonly (string | number)[] | undefined): string[] {
  if (list === undefined) return [...OPENFACE_AUS];
  if (!Array.isArray(list) || list.length === 0) throw new FacrInputError(`must be a non-empty list of AU codes`, { field: "aus" });
  const out: string[] = [];
  list.forEach((id, i) => {
    const code = typeof id === "string" || typeof id === "number" ? normalizeAuCode(id) : null;
    if (code === null || !isAuCode(code)) throw new FacrInputError(`unknown action unit ${JSON.stringify(id)}`, { field: `aus[${i}]` });
    if (out.includes(code)) throw new FacrInputError(`${code} is listed twice`, { field: `aus[${i}]` });
    out.push(code);
  });
  return out;
}
