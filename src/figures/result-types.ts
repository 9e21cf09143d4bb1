/**
 * The parts of an experiment result the arm figures read. A `PspiResult`
 * (src/experiments/pspi.ts) satisfies `ArmResultLike`; so will the emotion
 * transfer result, which compares the same arms. Values may be null where the
 * JSON holds a NaN.
 */
import type { DataInfo } from "./theme";

/** A point estimate with its bootstrap interval. */
export interface IntervalLike {
  estimate: number | null;
  lo: number | null;
  hi: number | null;
}

export type AgreementKey = "kappa" | "jaccard" | "precision" | "recall" | "f1" | "polarityAccuracy" | "auroc" | "invokedRate";
export type DetectionKey = "accuracy" | "macroF1" | "f1" | "auc";

export interface TauPointLike {
  tau: number;
  kappa: number | null;
}

export interface ArmSummaryLike {
  /** Per graph key ("G", "G'"): each agreement measure with its interval. */
  agreement: Record<string, Partial<Record<AgreementKey, IntervalLike>>>;
  detection: Partial<Record<DetectionKey, IntervalLike>>;
  tauSweep?: readonly TauPointLike[];
  /** Per AU: mean |Δ[i,k,ĉ_i]| under the first graph, nats of log-odds. */
  meanAbsEffect?: Record<string, number | null>;
}

export interface FoldRowLike {
  seed: number;
  fold: number;
  arm: string;
  /** The fold's held-out subjects, where the result records them. */
  testSubjects?: readonly string[];
  scores: { kappa: number | null } & Partial<Record<AgreementKey | DetectionKey, number | null>>;
}

export interface GraphLike {
  aus: readonly string[];
  classes: readonly string[];
  polarity: readonly (readonly number[])[];
  groups?: Readonly<Record<string, readonly (readonly string[])[]>>;
  provenance?: { kind?: string; source?: string; notes?: string; seed?: number | string };
}

export interface ArmResultLike {
  experiment?: string;
  profile?: string;
  data: DataInfo;
  config: { tau: number; seeds?: readonly number[]; folds?: number; bootstrap?: { resamples: number } };
  graphs?: { G?: GraphLike; controls?: Record<string, GraphLike> };
  arms: Record<string, ArmSummaryLike>;
  perFold?: readonly FoldRowLike[];
}
