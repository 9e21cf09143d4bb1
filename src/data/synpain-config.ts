import { DeepPartial, Profile } from "../util/config";
import { checkNumber } from "../util/options";
import { DEFAULT_OBSERVATION, ObservationConfig } from "./observe";

/**
 * SynPain's configuration, defaults and profiles (the generator is in
 * synpain.ts, which re-exports everything here).
 */
export interface SynPainConfig {
  /** Subjects. UNBC: 25. */
  subjects: number;
  /** Sequences over all subjects (each subject gets ≥ 1). UNBC: 200. */
  sequences: number;
  /** Mean frames per sequence. UNBC: 48,398 frames / 200 sequences ≈ 242. */
  meanSequenceLength: number;
  /** Shortest and longest sequence, frames. UNBC: 48 to 517 (Lucey et al., 2011). */
  minSequenceLength: number;
  maxSequenceLength: number;
  /** Pain label threshold: pain = 1[PSPI > painThreshold]. Spec §7: 0. */
  painThreshold: number;
  pain: {
    /** Share of sequences with no pain episode (v = 0). Calibrated with the others to UNBC's PSPI > 0 share. */
    painFreeShare: number;
    /** Painfulness v = 10·Beta(a, b) for painful sequences. */
    painfulnessBeta: [number, number];
    /** Episodes per painful sequence: 1 + Poisson(v · this). */
    extraEpisodesPerUnitV: number;
    /** Rise, apex plateau and decay durations, frames [min, max]. */
    riseFrames: [number, number];
    apexFrames: [number, number];
    decayFrames: [number, number];
  };
  behavior: {
    /** Social smiles per frame (rate) and duration [min, max] frames. */
    smileRate: number;
    smileFrames: [number, number];
    /** Talking bouts per frame and duration [min, max] frames. */
    talkRate: number;
    talkFrames: [number, number];
    /** Blinks per frame (≈ 15/min at 30 fps) and duration [min, max] frames. */
    blinkRate: number;
    blinkFrames: [number, number];
    /**
     * Pain-free frowns (AU4: concentration, effort) and nose wrinkles / upper-lip
     * raises (AU9 or AU10, by the subject's preference): each PSPI AU also occurs
     * alone, so its part in the label is identifiable from data (graph induction).
     */
    frownRate: number;
    frownFrames: [number, number];
    sneerRate: number;
    sneerFrames: [number, number];
  };
  /**
   * How each AU responds to pain π ∈ [0, 1]: drive = expressiveness · trait ·
   * weight · max(0, π − onset) / (1 − onset). Sensitive AUs (6, 7) have low
   * onsets; AU9/10, AU43 closure and the mouth AUs need strong pain, as in UNBC
   * where AU6/AU7 are frequent and AU9/AU10 rare.
   */
  painResponse: Record<"AU04" | "AU06" | "AU07" | "AU09" | "AU10" | "AU43" | "AU12" | "AU20" | "AU25" | "AU26" | "AU27", { weight: number; onset: number }>;
  /** Subject expressiveness: log-normal sd. */
  expressivenessSd: number;
  /** sd of the AR(1) noise on every AU's latent drive (units of a full-scale drive = 1). */
  auNoiseSd: number;
  /** AR(1) coefficient of that noise, per frame. */
  auNoiseRho: number;
  /** How landmarks and appearance are rendered from AUs. */
  observation: ObservationConfig;
  /**
   * The regime of spec §11.1: three knobs, each in [0, 1] (anything else is an
   * error naming the field). The default {auVisibility: 1, shortcutStrength: 0,
   * auLabelNoise: 0} is the clean regime and gives, for a seed, the same dataset
   * byte for byte as the generator before the knobs existed. A knob's random
   * draws come from its own stream (rng.fork("cue"), rng.fork("annotation")),
   * drawn only when the knob is active, so turning one on never shifts another
   * part of the data.
   */
  regime: SynPainRegime;
}

export interface SynPainRegime {
  /**
   * v: how strongly the PSPI AUs (AU04, 06, 07, 09, 10, 43) show in the
   * observation x. Landmarks and appearance are rendered from "visible
   * intensities": the PSPI AUs' intensities times v, the other AUs unchanged,
   * landmark and appearance noise unchanged. So at low v a model's AU estimate
   * z can recover the PSPI AUs only poorly (as an AU detector on real video).
   * The stored intensities, PSPI and label do not depend on v. 1 = fully visible.
   */
  auVisibility: number;
  /**
   * s: how strongly shortcut cues co-occur with pain.
   * (a) The non-PSPI AUs 12, 20, 25, 26, 27 respond more strongly and earlier to
   *     pain: their painResponse weight × (1 + 1.5·s), onset × (1 − s).
   * (b) A non-AU appearance cue only the free embedding h can read (z is
   *     supervised on AUs alone): an extra appearance column "tension" = s ·
   *     min(1, π(t) / 0.3) + AR(1) noise (stationary sd 0.3, ρ 0.9 per frame,
   *     restarted per sequence; rng.fork("cue")), π the latent pain. It can be
   *     negative (a centred texture score). The noise sd is chosen so the cue's
   *     strength grades over the whole range (tension's AUROC for the label on
   *     the quick profile: 0.61 at s = 0.25, 0.70 at 0.5, 0.77 at 1; with sd 0.1
   *     it saturates by s ≈ 0.3). The column exists only when s > 0 and
   *     observations are rendered; at s = 0 appearance is exactly the nine face
   *     features.
   * The label stays a function of the PSPI AUs: the cues are correlates, not causes.
   */
  shortcutStrength: number;
  /**
   * η: noise in the AU annotations (FACS coders disagree). The dataset's
   * `intensities` are then the annotations, what supervises z and what a user
   * sees: for 0–5 AUs clamp(round(true + N(0, (2η)²)), 0, 5) on every frame (so
   * a 0 can be annotated 1), AU43 (0/1) flipped with probability η/2
   * (rng.fork("annotation")). The true intensities are in
   * `meta.truth.intensities` (always present; the same array as `intensities`
   * at η = 0); `pspi` and the label are computed from the true intensities, so
   * with η > 0 `pspi` differs from the PSPI of the annotations. Read ground
   * truth as `meta.truth?.intensities ?? ds.intensities`.
   */
  auLabelNoise: number;
}

export const SYNPAIN_DEFAULTS: SynPainConfig = {
  subjects: 25,
  sequences: 200,
  meanSequenceLength: 242,
  minSequenceLength: 48,
  maxSequenceLength: 517,
  painThreshold: 0,
  pain: {
    painFreeShare: 0.55,
    painfulnessBeta: [1.2, 3],
    extraEpisodesPerUnitV: 0.15,
    riseFrames: [8, 30],
    apexFrames: [5, 60],
    decayFrames: [15, 60],
  },
  behavior: {
    smileRate: 1 / 550,
    smileFrames: [20, 90],
    talkRate: 1 / 2000,
    talkFrames: [30, 150],
    blinkRate: 1 / 110,
    blinkFrames: [3, 6],
    frownRate: 1 / 3000,
    frownFrames: [15, 60],
    sneerRate: 1 / 3000,
    sneerFrames: [10, 40],
  },
  painResponse: {
    AU04: { weight: 1.0, onset: 0.3 },
    AU06: { weight: 1.0, onset: 0.1 },
    AU07: { weight: 1.0, onset: 0.1 },
    AU09: { weight: 1.0, onset: 0.35 },
    AU10: { weight: 1.0, onset: 0.35 },
    AU43: { weight: 1.0, onset: 0.55 },
    AU12: { weight: 0.9, onset: 0 },
    AU20: { weight: 0.45, onset: 0.45 },
    AU25: { weight: 0.6, onset: 0.4 },
    AU26: { weight: 0.6, onset: 0.5 },
    AU27: { weight: 1.0, onset: 0.85 },
  },
  expressivenessSd: 0.35,
  auNoiseSd: 0.04,
  auNoiseRho: 0.9,
  observation: DEFAULT_OBSERVATION,
  regime: { auVisibility: 1, shortcutStrength: 0, auLabelNoise: 0 },
};

/** Throws a FacrInputError naming the field (e.g. `config.regime.auVisibility`) when a regime knob is outside [0, 1]. */
export function checkRegime(regime: SynPainRegime, path = "config.regime"): SynPainRegime {
  for (const key of ["auVisibility", "shortcutStrength", "auLabelNoise"] as const) checkNumber(regime[key], `${path}.${key}`, { min: 0, max: 1 });
  return regime;
}

/**
 * Profiles. `paper` is UNBC's shape (25 subjects, 200 sequences, ≈ 48,000
 * frames). `quick` keeps every subject but shortens and thins sequences so the
 * PSPI experiment runs in about a minute; `smoke` is for tests (seconds).
 */
export const SYNPAIN_PROFILES: Record<Profile, DeepPartial<SynPainConfig>> = {
  smoke: { subjects: 8, sequences: 24, meanSequenceLength: 60, minSequenceLength: 30, maxSequenceLength: 120 },
  quick: { subjects: 20, sequences: 80, meanSequenceLength: 120, minSequenceLength: 40, maxSequenceLength: 260 },
  paper: {},
};
