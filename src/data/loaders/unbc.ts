import * as path from "node:path";
import { pspiOf } from "../../au/pspi";
import { UNBC_AUS } from "../../au/registry";
import { PAIN_CLASSES } from "../../graph/known";
import { FacrInputError } from "../../util/errors";
import { checkKeys, checkNumber } from "../../util/options";
import { checkDataset, Dataset } from "../dataset";
import { readFacsFile } from "./facs-file";
import { choice, flag } from "./loader-options";
import { isFile, listFolder, readLandmarkFile, readSingleNumber, requirePath } from "./text-files";

/**
 * Loader for the UNBC-McMaster Shoulder Pain Expression Archive (Lucey et al.,
 * 2011) in its distributed layout, under a root folder:
 *
 *     Frame_Labels/FACS/<subj>/<seq>/<frame>_facs.txt   lines "AU intensity [onset offset]"
 *     Frame_Labels/PSPI/<subj>/<seq>/<frame>_facs.txt   one number
 *     AAM_landmarks/<subj>/<seq>/<frame>_aam.txt        66 lines "x y"
 *     Sequence_Labels/{VAS,OPR,AFF,SEN}/<subj>/<seq>.txt one number each
 *
 * e.g. subject "042-ll042", sequence "ll042t1aaaff", frame "ll042t1aaaff001".
 */
export interface UnbcOptions {
  /** Dataset name (default: the root folder). */
  name?: string;
  /** A frame is "pain" when its PSPI (from the PSPI files) is > this (default 0). */
  painThreshold?: number;
  /**
   * What to do when a PSPI file disagrees with PSPI computed from the frame's AUs
   * (AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43) by more than `pspiTolerance`:
   * "count" (default) records them in `meta.pspiMismatches` (and the first few in
   * `meta.pspiMismatchExamples`); "error" throws, naming the PSPI file.
   */
  pspiCheck?: "count" | "error";
  /** Allowed |PSPI file − PSPI from AUs| (default 1e-3). */
  pspiTolerance?: number;
  /**
   * A frame listed under Frame_Labels/FACS whose PSPI or landmark file is missing,
   * or one with a PSPI file but no FACS file:
   * "error" (default) throws naming the missing file; "skip" leaves the frame out and
   * counts it in `skipped["missing PSPI file"]` / `skipped["missing landmark file"]` /
   * `skipped["missing FACS file"]`
   * (and missing sequence-label files in `meta.missingSequenceLabels`).
   */
  onMissing?: "error" | "skip";
  /** Read AAM_landmarks (default true); false: no `landmarks`, the folder is not needed. */
  landmarks?: boolean;
  /** Read Sequence_Labels (default true); false: no `sequenceLabels`, the folder is not needed. */
  sequenceLabels?: boolean;
}

const OPTION_KEYS = ["name", "painThreshold", "pspiCheck", "pspiTolerance", "onMissing", "landmarks", "sequenceLabels"] as const;

/** The sequence-level label kinds: visual analogue scale, observer pain rating, affective and sensory scales. */
export const UNBC_SEQUENCE_LABELS = ["VAS", "OPR", "AFF", "SEN"] as const;

/** Points in a UNBC AAM landmark file: iBUG 68 without the inner mouth corners 60 and 64. */
const AAM_POINTS = 66;
const FACS_FILE = /^(.*?)(\d+)_facs\.txt$/;
const MAX_EXAMPLES = 5;

/**
 * Load a UNBC-McMaster root folder as a Dataset (source "unbc").
 *
 * - Frames are those with a "<frame>_facs.txt" file under Frame_Labels/FACS (other
 *   files there are counted in `meta.ignoredFiles`); subjects, sequences and
 *   frames are in natural order ("frame9" < "frame10"). Sequence id "<subj>/<seq>";
 *   frame number = the trailing digits of the frame name.
 * - `aus` = the 11 UNBC AUs (4, 6, 7, 9, 10, 12, 20, 25, 26, 27, 43); unlisted AUs are
 *   0. AU43 is binary: any listed intensity > 0 is 1. Other FACS codes in the files
 *   (UNBC has AU15 and AU50, speech) are counted by AU in `meta.unusedAuAnnotations`.
 * - `pspi` from the PSPI files, checked against the AUs (see `pspiCheck`); labels
 *   ["no_pain", "pain"], pain = PSPI > `painThreshold`.
 * - `landmarks`: 66 points; `sequenceLabels["<subj>/<seq>"] = { VAS, OPR, AFF, SEN }`.
 *
 * Malformed input is a FacrInputError naming file, line and field.
 */
export function loadUnbc(root: string, opts: UnbcOptions = {}): Dataset {
  checkKeys(opts, OPTION_KEYS, "loadUnbc options");
  const threshold = opts.painThreshold === undefined ? 0 : checkNumber(opts.painThreshold, "painThreshold");
  const tol = opts.pspiTolerance === undefined ? 1e-3 : checkNumber(opts.pspiTolerance, "pspiTolerance", { min: 0 });
  const pspiCheck = choice(opts.pspiCheck, ["count", "error"], "pspiCheck");
  const onMissing = choice(opts.onMissing, ["error", "skip"], "onMissing");
  const withLandmarks = flag(opts.landmarks, true, "landmarks");
  const withSeqLabels = flag(opts.sequenceLabels, true, "sequenceLabels");

  requirePath(root, "folder", "UNBC-McMaster root folder");
  const facsRoot = path.join(root, "Frame_Labels", "FACS");
  const pspiRoot = path.join(root, "Frame_Labels", "PSPI");
  const aamRoot = path.join(root, "AAM_landmarks");
  const seqRoot = path.join(root, "Sequence_Labels");
  requirePath(facsRoot, "folder", "UNBC FACS folder (Frame_Labels/FACS)");
  requirePath(pspiRoot, "folder", "UNBC PSPI folder (Frame_Labels/PSPI)");
  if (withLandmarks) requirePath(aamRoot, "folder", "UNBC landmark folder (AAM_landmarks)");
  if (withSeqLabels) for (const kind of UNBC_SEQUENCE_LABELS) requirePath(path.join(seqRoot, kind), "folder", `UNBC ${kind} sequence-label folder`);

  const aus = [...UNBC_AUS];
  const K = aus.length;
  const pspiFromAus = pspiOf(aus);
  const intensities: number[] = [];
  const landmarks: number[] = [];
  const pspi: number[] = [];
  const subjects: string[] = [];
  const sequences: string[] = [];
  const frames: number[] = [];
  const skipped: Record<string, number> = {};
  const unused: Record<string, number> = {};
  const mismatchExamples: string[] = [];
  let mismatches = 0;
  const missingSeqLabels: Record<string, number> = {};
  const sequenceLabels: Record<string, Record<string, number>> = {};
  const lm = new Float32Array(AAM_POINTS * 2);
  const row = new Float64Array(K);
  let ignored = 0;
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  /** "<subj>/<seq>/<frame>_facs.txt" of every frame with a FACS file (PSPI files are named alike). */
  const withFacs = new Set<string>();

  for (const subj of listFolder(facsRoot, "folder", "UNBC FACS folder")) {
    for (const seq of listFolder(path.join(facsRoot, subj), "folder", "UNBC FACS subject folder")) {
      const seqId = `${subj}/${seq}`;
      const seqDir = path.join(facsRoot, subj, seq);
      const seen = new Map<number, string>();
      for (const name of listFolder(seqDir, "file", "UNBC FACS sequence folder")) {
        if (!name.endsWith("_facs.txt")) {
          ignored++;
          continue;
        }
        const m = FACS_FILE.exec(name);
        const facsFile = path.join(seqDir, name);
        if (!m) throw new FacrInputError(`unexpected file name: expected "<frame name><frame number>_facs.txt"`, { file: facsFile });
        const stem = name.slice(0, -"_facs.txt".length);
        withFacs.add(`${subj}/${seq}/${name}`);
        const frame = Number(m[2]);
        if (seen.has(frame)) throw new FacrInputError(`frame number ${frame} also belongs to ${seen.get(frame)}`, { file: facsFile });
        seen.set(frame, name);

        row.fill(0);
        for (const e of readFacsFile(facsFile, "UNBC FACS file")) {
          const k = aus.indexOf(e.code);
          if (k < 0) unused[e.code] = (unused[e.code] ?? 0) + 1;
          else row[k] = e.code === "AU43" ? (e.intensity > 0 ? 1 : 0) : e.intensity;
        }
        const pspiFile = path.join(pspiRoot, subj, seq, `${stem}_facs.txt`);
        if (!isFile(pspiFile)) {
          if (onMissing === "skip") {
            skip("missing PSPI file");
            continue;
          }
          throw new FacrInputError(`PSPI file not found (the frame has a FACS file, ${facsFile})`, { file: pspiFile });
        }
        const p = readSingleNumber(pspiFile, "UNBC PSPI file", "pspi");
        if (!(p >= 0 && p <= 16)) throw new FacrInputError(`PSPI must be in 0–16, got ${p}`, { file: pspiFile, line: 1, field: "pspi" });
        if (withLandmarks) {
          const aamFile = path.join(aamRoot, subj, seq, `${stem}_aam.txt`);
          if (!isFile(aamFile)) {
            if (onMissing === "skip") {
              skip("missing landmark file");
              continue;
            }
            throw new FacrInputError(`landmark file not found (the frame has a FACS file, ${facsFile})`, { file: aamFile });
          }
          readLandmarkFile(aamFile, "UNBC AAM landmark file", AAM_POINTS, lm, 0);
        }
        const computed = pspiFromAus(row);
        if (Math.abs(computed - p) > tol) {
          const detail = `PSPI ${p} in the file, ${computed} from the AUs in ${facsFile} (AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43)`;
          if (pspiCheck === "error") throw new FacrInputError(detail, { file: pspiFile, line: 1, field: "pspi" });
          if (mismatches++ < MAX_EXAMPLES) mismatchExamples.push(`${pspiFile}: ${detail}`);
        }
        for (let k = 0; k < K; k++) intensities.push(row[k]);
        if (withLandmarks) for (let j = 0; j < lm.length; j++) landmarks.push(lm[j]);
        pspi.push(p);
        subjects.push(subj);
        sequences.push(seqId);
        frames.push(frame);
      }
      if (withSeqLabels && seen.size > 0) {
        const labels: Record<string, number> = {};
        for (const kind of UNBC_SEQUENCE_LABELS) {
          const f = path.join(seqRoot, kind, subj, `${seq}.txt`);
          if (!isFile(f)) {
            if (onMissing === "skip") {
              missingSeqLabels[kind] = (missingSeqLabels[kind] ?? 0) + 1;
              continue;
            }
            throw new FacrInputError(`${kind} sequence-label file not found (sequence ${seqId} has frames)`, { file: f });
          }
          labels[kind] = readSingleNumber(f, `UNBC ${kind} sequence-label file`, kind);
        }
        sequenceLabels[seqId] = labels;
      }
    }
  }

  // frames with a PSPI file but no FACS file have no AU codes: an error, or skipped and counted — never dropped silently
  for (const subj of listFolder(pspiRoot, "folder", "UNBC PSPI folder")) {
    for (const seq of listFolder(path.join(pspiRoot, subj), "folder", "UNBC PSPI subject folder")) {
      for (const name of listFolder(path.join(pspiRoot, subj, seq), "file", "UNBC PSPI sequence folder")) {
        if (!name.endsWith("_facs.txt") || withFacs.has(`${subj}/${seq}/${name}`)) continue;
        if (onMissing === "skip") {
          skip("missing FACS file");
          continue;
        }
        throw new FacrInputError(`FACS file not found (the frame has a PSPI file, ${path.join(pspiRoot, subj, seq, name)}); pass onMissing: "skip" to count and leave such frames out`, { file: path.join(facsRoot, subj, seq, name) });
      }
    }
  }

  const N = frames.length;
  const notes = [
    "AU43 (eyes closed) is binary: a listed intensity > 0 is 1",
    `labels: pain = PSPI (from the PSPI files) > ${threshold}`,
    `PSPI files checked against AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43 (tolerance ${tol}): ${mismatches} mismatch(es)`,
  ];
  if (Object.keys(unused).length) notes.push(`FACS codes outside the 11 UNBC AUs were counted, not used: see unusedAuAnnotations`);
  return checkDataset({
    name: opts.name ?? root,
    source: "unbc",
    size: N,
    aus,
    intensities: Float32Array.from(intensities),
    subjects,
    sequences,
    frames: Int32Array.from(frames),
    landmarks: withLandmarks ? { points: AAM_POINTS, data: Float32Array.from(landmarks) } : undefined,
    labels: { classes: [...PAIN_CLASSES], y: Int32Array.from(pspi, (p) => (p > threshold ? 1 : 0)) },
    pspi: Float32Array.from(pspi),
    sequenceLabels: withSeqLabels ? sequenceLabels : undefined,
    skipped,
    meta: {
      root,
      format: "UNBC-McMaster Shoulder Pain Archive",
      painThreshold: threshold,
      pspiMismatches: mismatches,
      pspiMismatchExamples: mismatchExamples,
      unusedAuAnnotations: unused,
      missingSequenceLabels: missingSeqLabels,
      ignoredFiles: ignored,
      notes,
    },
  });
}
