import { FacrInputError } from "../util/errors";

/**
 * One type for every source of frames: the synthetic generators (SynPain,
 * SynEmotion) and the real-format loaders (UNBC-McMaster, CK+, OpenFace). Arrays
 * are flat and row-major so they go straight into tensors.
 */
export interface Dataset {
  /** Human-readable name, e.g. "SynPain (profile quick, seed 1)" or a file path. */
  readonly name: string;
  /** Where the frames come from. Synthetic data has a known structure; say so wherever a number is shown. */
  readonly source: DatasetSource;
  /** Number of frames. */
  readonly size: number;
  /** AU codes (e.g. "AU04"): the column order of `intensities`. */
  readonly aus: readonly string[];
  /**
   * size × aus.length on the FACS scale 0–5 (A–E = 1–5). Binary AUs are 0/1 where
   * the source codes them so (FACS files, the generators); OpenFace's AU45_r keeps
   * its 0–5 estimate. NaN = not coded.
   */
  readonly intensities: Float32Array;
  /**
   * AU presence per frame (size × aus.length, 1 present, 0 absent, NaN not coded),
   * when the source codes presence separately from intensity (OpenFace `AU*_c`,
   * CK+ AUs whose intensity is "not given").
   */
  readonly auPresence?: Float32Array;
  /** Subject id per frame. */
  readonly subjects: readonly string[];
  /** Sequence id per frame (for still images: one sequence per image or per session). */
  readonly sequences: readonly string[];
  /** Frame number within its sequence (as in the source files for real data). */
  readonly frames: Int32Array;
  /** Facial landmarks per frame, image coordinates (x right, y down), when present. */
  readonly landmarks?: Landmarks;
  /** Regional texture energies per frame (synthetic data; spec §7), when present. */
  readonly appearance?: Appearance;
  /** Frame labels, when present. -1 marks an unlabelled frame. */
  readonly labels?: Labels;
  /** Other numeric per-frame columns by name (e.g. OpenFace `confidence`, `pose_Rx`, `gaze_angle_x`). */
  readonly columns?: Readonly<Record<string, Float32Array>>;
  /** Per-frame PSPI (pain data). */
  readonly pspi?: Float32Array;
  /** Sequence-level labels by sequence id, e.g. { "042-ll042/ll042t1aaaff": { VAS: 3, OPR: 2 } }. */
  readonly sequenceLabels?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Frames left out, by reason (e.g. { "success = 0": 3 }). Never silently dropped. */
  readonly skipped: Readonly<Record<string, number>>;
  /** What a loader or generator records beside the frames (see DatasetMeta). */
  readonly meta: DatasetMeta;
}

/**
 * Dataset metadata: the fields read elsewhere are typed here; anything else a
 * loader or generator records (file, root, format, counts, generator config) is
 * kept under its own key for reports.
 */
export interface DatasetMeta {
  /** Notes for whoever reads a report on this data (loader caveats such as "AU45 is blink, not AU43", generator facts). */
  readonly notes?: readonly string[];
  /** OpenFace: the distinct face ids of a multi-face file. */
  readonly faces?: readonly number[];
  /** Frames left out when labels were remapped (CK+ contempt), per subject and reason, so a subject partition can count them per role. */
  readonly skippedBySubject?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Synthetic data: the generator's ground truth (e.g. SynEmotion's per-frame prototype and yaw offset). */
  readonly truth?: DatasetTruth;
  readonly [key: string]: unknown;
}

/** A generator's ground truth: the typed fields are read elsewhere; anything else is kept under its own key. */
export interface DatasetTruth {
  /**
   * The true AU intensities (size × aus.length) when `intensities` are
   * annotations of them (SynPain always stores them; with auLabelNoise = 0 they
   * are the same array). Read ground truth as `meta.truth?.intensities ??
   * ds.intensities`. `subsetDataset` subsets them with the frames.
   */
  readonly intensities?: Float32Array;
  readonly [key: string]: unknown;
}

export type DatasetSource = "synthetic" | "unbc" | "ckplus" | "openface";

export interface Landmarks {
  /** Points per frame: 68 (iBUG) or 66 (UNBC's AAM layout: iBUG without the inner mouth corners 60 and 64). */
  readonly points: 66 | 68;
  /** size × points × 2, (x, y) interleaved. */
  readonly data: Float32Array;
}

export interface Appearance {
  /** Feature names, e.g. "glabella_furrows". */
  readonly names: readonly string[];
  /** size × names.length. */
  readonly data: Float32Array;
}

export interface Labels {
  /** Class names in index order, e.g. ["no_pain", "pain"]. */
  readonly classes: readonly string[];
  /** Class index per frame; -1 = unlabelled. */
  readonly y: Int32Array;
}

/**
 * Check a dataset's invariants (array lengths, ranges, label indices); throws a
 * FacrInputError naming the field. Loaders and generators call it before
 * returning.
 */
export function checkDataset(ds: Dataset): Dataset {
  const where = { file: ds.name };
  const need = (ok: boolean, field: string, problem: string) => {
    if (!ok) throw new FacrInputError(problem, { ...where, field });
  };
  const N = ds.size;
  const K = ds.aus.length;
  need(Number.isInteger(N) && N >= 0, "size", `must be a non-negative integer, got ${N}`);
  need(ds.intensities.length === N * K, "intensities", `holds ${ds.intensities.length} values, expected size × aus = ${N * K}`);
  need(ds.subjects.length === N, "subjects", `holds ${ds.subjects.length} ids, expected ${N}`);
  need(ds.sequences.length === N, "sequences", `holds ${ds.sequences.length} ids, expected ${N}`);
  need(ds.frames.length === N, "frames", `holds ${ds.frames.length} numbers, expected ${N}`);
  for (let j = 0; j < ds.intensities.length; j++) {
    const v = ds.intensities[j];
    if (!Number.isNaN(v) && (v < 0 || v > 5)) {
      need(false, `intensities[${Math.floor(j / K)}].${ds.aus[j % K]}`, `intensity must be in 0–5 (or NaN = not coded), got ${v}`);
    }
  }
  if (ds.landmarks) {
    need(ds.landmarks.points === 66 || ds.landmarks.points === 68, "landmarks.points", `must be 66 or 68, got ${ds.landmarks.points}`);
    need(ds.landmarks.data.length === N * ds.landmarks.points * 2, "landmarks.data", `holds ${ds.landmarks.data.length} values, expected ${N * ds.landmarks.points * 2}`);
  }
  if (ds.appearance) {
    need(ds.appearance.data.length === N * ds.appearance.names.length, "appearance.data", `holds ${ds.appearance.data.length} values, expected ${N * ds.appearance.names.length}`);
  }
  if (ds.labels) {
    need(ds.labels.y.length === N, "labels.y", `holds ${ds.labels.y.length} labels, expected ${N}`);
    const C = ds.labels.classes.length;
    for (let i = 0; i < N; i++) {
      const y = ds.labels.y[i];
      if (y < -1 || y >= C) need(false, `labels.y[${i}]`, `must be -1 (unlabelled) or a class index in [0, ${C}), got ${y}`);
    }
  }
  if (ds.pspi) need(ds.pspi.length === N, "pspi", `holds ${ds.pspi.length} values, expected ${N}`);
  if (ds.auPresence) need(ds.auPresence.length === N * K, "auPresence", `holds ${ds.auPresence.length} values, expected ${N * K}`);
  for (const [name, col] of Object.entries(ds.columns ?? {})) need(col.length === N, `columns.${name}`, `holds ${col.length} values, expected ${N}`);
  return ds;
}

/** The frames at `indices`, in that order, as a new Dataset (sequence labels and meta are kept; meta.truth.intensities, when present, is subset with the frames). */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const n = indices.length;
  const K = ds.aus.length;
  const pick = (src: Float32Array, width: number): Float32Array => {
    const out = new Float32Array(n * width);
    for (let r = 0; r < n; r++) out.set(src.subarray(indices[r] * width, (indices[r] + 1) * width), r * width);
    return out;
  };
  const idx = Array.from(indices);
  const truthIntensities = ds.meta.truth?.intensities;
  return {
    ...ds,
    name,
    size: n,
    intensities: pick(ds.intensities, K),
    subjects: idx.map((i) => ds.subjects[i]),
    sequences: idx.map((i) => ds.sequences[i]),
    frames: Int32Array.from(idx, (i) => ds.frames[i]),
    landmarks: ds.landmarks && { points: ds.landmarks.points, data: pick(ds.landmarks.data, ds.landmarks.points * 2) },
    appearance: ds.appearance && { names: ds.appearance.names, data: pick(ds.appearance.data, ds.appearance.names.length) },
    labels: ds.labels && { classes: ds.labels.classes, y: Int32Array.from(idx, (i) => ds.labels!.y[i]) },
    pspi: ds.pspi && Float32Array.from(idx, (i) => ds.pspi![i]),
    auPresence: ds.auPresence && pick(ds.auPresence, K),
    meta: truthIntensities ? { ...ds.meta, truth: { ...ds.meta.truth, intensities: pick(truthIntensities, K) } } : ds.meta,
    columns: ds.columns && Object.fromEntries(Object.entries(ds.columns).map(([k, col]) => [k, Float32Array.from(idx, (i) => col[i])])),
  };
}

/** Distinct subject ids in order of first appearance. */
export function subjectIds(ds: Pick<Dataset, "subjects">): string[] {
  return [...new Set(ds.subjects)];
}

export interface DatasetSummary {
  name: string;
  source: DatasetSource;
  frames: number;
  subjects: number;
  sequences: number;
  /** Frames per class name (labelled frames only). */
  classCounts?: Record<string, number>;
  /** Share of frames with PSPI > 0 (pain data). */
  pspiPositiveShare?: number;
  /** Per AU: share of frames with intensity > 0. */
  auActiveShare: Record<string, number>;
  skipped: Record<string, number>;
}

export function summarizeDataset(ds: Dataset): DatasetSummary {
  const K = ds.aus.length;
  const active: Record<string, number> = {};
  ds.aus.forEach((a, k) => {
    let c = 0;
    for (let i = 0; i < ds.size; i++) if (ds.intensities[i * K + k] > 0) c++;
    active[a] = ds.size ? c / ds.size : NaN;
  });
  const out: DatasetSummary = {
    name: ds.name,
    source: ds.source,
    frames: ds.size,
    subjects: new Set(ds.subjects).size,
    sequences: new Set(ds.sequences).size,
    auActiveShare: active,
    skipped: { ...ds.skipped },
  };
  if (ds.labels) {
    const counts: Record<string, number> = Object.fromEntries(ds.labels.classes.map((c) => [c, 0]));
    for (const y of ds.labels.y) if (y >= 0) counts[ds.labels.classes[y]]++;
    out.classCounts = counts;
  }
  if (ds.pspi) {
    let p = 0;
    for (const v of ds.pspi) if (v > 0) p++;
    out.pspiPositiveShare = ds.size ? p / ds.size : NaN;
  }
  return out;
}
