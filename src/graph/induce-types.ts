import { CausalGraph } from "./graph";
import { Seed } from "../util/random";

/** The data, labels, options and result of inducePolarityGraph (./induce.ts, whose module comment describes the method). */

/** What induction reads. A `Dataset` satisfies it. */
export interface InductionData {
  /** AU codes, the column order of `intensities`. */
  readonly aus: readonly string[];
  /** N × K row-major, FACS 0–5 (NaN = not coded). */
  readonly intensities: Float32Array;
  /** Subject per frame: when given, the bootstrap resamples subjects, not frames. */
  readonly subjects?: readonly string[];
  /** Used in the default provenance ("induced from <name>"). */
  readonly name?: string;
}

export interface InductionLabels {
  readonly classes: readonly string[];
  /** Class index per frame; −1 = unlabelled (left out and counted). */
  readonly y: Int32Array;
}

export interface InductionOptions {
  /**
   * B, bootstrap resamples. Default 50: selection frequencies then move in steps
   * of 0.02, fine enough for a threshold of 0.8, and 50 × 7 classes fits stay in
   * seconds on tens of thousands of frames.
   */
  resamples?: number;
  /**
   * π, the share of resamples in which an AU must be selected. Default 0.8: inside
   * Meinshausen & Bühlmann's recommended 0.6–0.9, high enough that an AU picked
   * only in some resamples (one of two interchangeable correlated AUs) makes no
   * edge.
   */
  selectionThreshold?: number;
  /**
   * ε, the smallest |median standardized coefficient| (log-odds per standard
   * deviation of the AU's intensity) that makes an edge. Default 0.15 (odds × 1.16
   * per SD, a small effect). π guards against unstable selections; ε against
   * stable but negligible ones: with the light default penalty and thousands of
   * frames, an AU with no partial effect is still selected in most resamples with
   * a coefficient of a few hundredths (sampling noise, made larger by
   * collinearity). On the SCM checks we ran (below), 0.1 let such noise through
   * on 5,000–8,000 frames and 0.2 began to cut real but weak prototype AUs.
   */
  minCoefficient?: number;
  /**
   * α: the penalty of class c is λ_c = α · λ_max(c), λ_max(c) computed once on the
   * full data (the smallest λ that zeroes every AU) and then fixed across
   * resamples. Default 0.02.
   *
   * Why a fraction of λ_max, not cross-validation: CV picks the λ that predicts
   * best, and with tens of thousands of frames that λ tends to 0; on
   * (quasi-)separable labels such as pain = 1[PSPI > 0] the CV deviance keeps
   * falling as λ → 0, so CV has no minimum to find. A fraction of λ_max is
   * invariant to class prevalence, to the number of frames and to the AU scale
   * (an AU can enter only if its partial association is at least α of the class's
   * strongest marginal one), and is fixed once so every resample solves the same
   * problem (stability selection, Meinshausen & Bühlmann 2010).
   *
   * Why light (0.02): shrinkage biases every coefficient towards 0 and leaves part
   * of a causal AU's signal in the residual, where a correlated nuisance AU picks
   * it up; a rare causal AU (PSPI's binary AU43) is shrunk out altogether. On
   * separable labels a light penalty approaches the L1 max-margin solution, which
   * is sparse in the AUs that define the label. The penalty still keeps separable
   * fits finite. Checked on throwaway SCMs written like SynPain (48,000 frames,
   * pain = 1[PSPI > 0], shortcut AUs co-occurring with pain) and SynEmotion
   * (8,000–30,000 frames, 17 AUs, 7 classes, strong and weak prototypes), 3 seeds
   * each: 0.05 lost the rare AU43 on the pain SCM; 0.02 with ε = 0.15 recovered
   * the prototypes with edge precision and recall ≥ 0.97, and PSPI exactly in 5
   * of 6 runs (the miss: AU43 active in 0.7% of frames, median coefficient 0.13).
   */
  lambdaRatio?: number;
  /**
   * A baseline class (e.g. "neutral"): every other class is contrasted with the
   * baseline's frames alone (the baseline-category logit), and the baseline itself
   * with all the other classes; `null` (default): each class against all the rest
   * (spec §6's "per class vs rest").
   *
   * Why the default is class vs rest: it estimates the direction of an AU on the
   * class's log-odds against all other classes, ℓ_c = log p_c − log(1 − p_c) —
   * exactly the quantity the do-intervention moves (spec §3). Its negative edges
   * (AU12 lowers anger's odds because it signals happiness) are real polarities
   * of that quantity. "Class vs neutral" describes which AUs make up an expression
   * (prototype structure) and is the better tool to compare with the FACS
   * prototypes edge by edge, which is why it stays available.
   *
   * Why it exists: one-vs-rest is discriminative. When classes are expressed by
   * overlapping AU sets (AU4 in anger, fear and sadness; AU1 in fear, sadness and
   * surprise), "anger vs rest" gives negative edges to every AU typical of another
   * class (AU12 lowers the odds of anger because it signals happiness) and weak or
   * unstable edges to AUs shared with other classes. Prototype structure (which
   * AUs make up an expression) is what "class vs neutral" measures: use
   * "neutral" on emotion data. On the emotion SCMs above, one-vs-rest reached
   * edge precision 0.39–0.46 against the prototype graph (recall ≥ 0.94),
   * class-vs-neutral ≥ 0.97. With two classes both contrasts are the same.
   */
  baseline?: string | null;
  /**
   * An absolute λ for every class instead of the α rule (glmnet scale). Default:
   * unset. λ = 0 is plain logistic regression, whose fit diverges on separable
   * labels (those fits then count as unconverged).
   */
  lambda?: number;
  /** Seed of the resampling. Default 0. */
  seed?: Seed;
  /** Classes to induce, by name. Default: every class in the labels. */
  classes?: readonly string[];
  /** Provenance source text. Default: "induced from <data.name>" (or "from AU annotations"). */
  provenanceSource?: string;
  /**
   * Substitute groups per class to carry over (e.g. PSPI's {AU6, AU7}); a group
   * is kept only when every member got an edge of one sign for that class,
   * otherwise it is dropped and listed in `droppedGroups`.
   */
  groups?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /** Solver: largest KKT violation at convergence. Default 1e-6 (see fitL1Logistic). */
  tolerance?: number;
  /** Solver: outer steps at most. Default 100. */
  maxIterations?: number;
}

/** The options as used (saved beside results). */
export interface ResolvedInductionOptions {
  resamples: number;
  selectionThreshold: number;
  minCoefficient: number;
  lambdaRatio: number;
  lambda: number | null;
  baseline: string | null;
  seed: Seed;
  classes: string[];
  provenanceSource: string;
  groups: Record<string, string[][]>;
  tolerance: number;
  maxIterations: number;
}

export interface InductionResult {
  /** The induced G (provenance kind "induced"). */
  graph: CausalGraph;
  /** [K][C] share of valid resamples in which the AU's coefficient was non-zero. */
  frequencies: number[][];
  /** [K][C] median standardized coefficient over valid resamples (zeros included). */
  coefficients: number[][];
  /** [K][C] standardized coefficient fitted on all the data given. */
  fullDataCoefficients: number[][];
  /** Penalty used per class (glmnet scale). */
  lambda: number[];
  /** λ_max per class on the full data. */
  lambdaMax: number[];
  excluded: {
    /** Frames with label −1. */
    unlabelled: number;
    /** Labelled frames with a NaN (not coded) intensity in an AU that is coded elsewhere. */
    notCoded: number;
    /** AUs with one value over the frames used: coefficient 0, no edge. */
    constantAus: string[];
    /** AUs never coded (NaN in every labelled frame): coefficient 0, no edge. */
    uncodedAus: string[];
  };
  resampling: {
    unit: "subjects" | "frames";
    /** Subjects (or frames) drawn from, per resample. */
    units: number;
    /** Frames used (labelled and coded). */
    frames: number;
    /** Per class: resamples with no frame of the class (or nothing else), left out of its frequencies. */
    degenerate: number[];
    /** Fits that stopped at maxIterations before the tolerance (all resamples and classes). */
    unconverged: number;
  };
  /** Groups from `options.groups` not carried over, with why. */
  droppedGroups: { class: string; group: string[]; reason: string }[];
  options: ResolvedInductionOptions;
}
