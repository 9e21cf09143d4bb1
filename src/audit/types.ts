import { Agreement, AgreementWithCI } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import type { Provenance } from "../util/provenance";
import { DeepPartial } from "../util/config";
import { ExternalTrainConfig } from "./external-reasoner";
import { GateSource } from "./rationale";

// The options and the report of `facr audit` (audit.ts).

export type AuditFormat = "openface" | "unbc" | "ckplus";
export const AUDIT_FORMATS: readonly AuditFormat[] = ["openface", "unbc", "ckplus"];
export type HeadPolicy = "auto" | "default" | "labels";
export const HEAD_POLICIES: readonly HeadPolicy[] = ["auto", "default", "labels"];
/** The scale of the data's AU intensity values: 0–5 (OpenFace AU*_r, FACS A–E), already 0–1, or detected. */
export type AuScale = "auto" | "0-5" | "0-1";
export const AU_SCALES: readonly AuScale[] = ["auto", "0-5", "0-1"];

/** What AU scale the audit read the data on, and why (load.ts detectAuScale). */
export interface AuScaleInfo {
  requested: AuScale;
  used: "0-5" | "0-1";
  /** In words, for the report. */
  reason: string;
  /** The largest finite AU intensity value in the data (null: none). */
  max: number | null;
  /** Finite AU intensity values looked at, and the frames they come from. */
  values: number;
  frames: number;
}

export interface AuditOptions {
  /** A file (OpenFace CSV) or folder (UNBC or CK+ root; a folder of OpenFace CSVs, one subject per file). */
  data: string;
  format: AuditFormat;
  /** "pspi", "emotion", a graph JSON file, or a graph. */
  graph: string | CausalGraph;
  /** A saved reasoner directory. */
  model?: string;
  head?: HeadPolicy;
  /** The scale of the AU values (default "auto": 0–1 when every value is ≤ 1 and some is > 0, else 0–5). */
  auScale?: AuScale;
  /** Invocation threshold τ, nats of log-odds (default 0.5). */
  tau?: number;
  /** Subject-bootstrap resamples (default 1000). */
  resamples?: number;
  /** Seed of the bootstrap and of the label folds (default 0). */
  seed?: number;
  /** What opens the verbalizer's gate (default "invoked"; see rationale.ts). */
  gate?: GateSource;
  /** Overrides of the head's training (default head and label-trained heads). */
  train?: DeepPartial<ExternalTrainConfig>;
  /** Save the external-AU reasoner used (or, after cross-fitting, one trained on every labelled frame) here. */
  saveModel?: string;
  /**
   * A byte-reproducible report: the start time is `sourceDate` (default
   * 1970-01-01T00:00:00Z) and timings are written as 0. The CLI sets it with
   * --deterministic or from SOURCE_DATE_EPOCH (reproducible-builds.org).
   */
  deterministic?: boolean;
  sourceDate?: Date;
  /** Frames per batched head call (default 2048). */
  chunkSize?: number;
  log?: (line: string) => void;
}

/** One invoked AU of a frame. */
export interface InvokedAu {
  au: string;
  /** Δ[i,k,ĉ], nats of the predicted class's log-odds. */
  delta: number;
  /** G's polarity of the AU for the predicted class (0: G marks it irrelevant). */
  polarity: number;
}

export interface AuditFrame {
  subject: string;
  sequence: string;
  frame: number;
  predicted: string;
  /** Probability of the predicted class. */
  probability: number;
  /** The frame's label mapped to G's classes, when it has one. */
  label: string | null;
  /** |Δ[i,k,ĉ]| ≥ τ, largest first. */
  invoked: InvokedAu[];
  /** Δ[i,k,ĉ] for every AU of G, in G's order. */
  delta: number[];
  /** z in G's order. */
  z: number[];
  rationale: string;
  rationaleAus: string[];
  rationaleAccepted: boolean;
}

export interface AuditReport {
  format: "facr-audit/1";
  /** Say it plainly wherever the numbers are shown. */
  caveats: string[];
  /** Signs that the numbers may mislead on this run (AU scale, one class, tiny label set, κ built into the head): shown at the top of every output. */
  warnings: string[];
  data: {
    path: string;
    format: AuditFormat;
    /** The project's own fixtures (invented values in the real formats). */
    fixture: boolean;
    synthetic: boolean;
    files: { name: string; source: string; frames: number; subjects: number; skipped: Record<string, number> }[];
    frames: number;
    subjects: number;
    sequences: number;
    skipped: Record<string, number>;
    /** Frames with success = 0 (no face found), left out; null when no file has a success column. */
    successZero: number | null;
    /** AU intensity values that were NaN (not coded) and entered z as 0. */
    nanAuValues: number;
    /** How the AU values were scaled into z, and why. */
    auScale: AuScaleInfo;
    /** AUs of G without a column in (some of) the data: z = 0 there. */
    missingAus: string[];
    landmarks: "all" | "some" | "none";
    /** Frames whose landmarks could not be aligned (h = 0). */
    geometryFailed: number;
    /** Frames with a label in G's classes. */
    labelled: number;
    /** The loaders' notes about the formats (e.g. "AU45 is blink, not AU43"). */
    notes: string[];
  };
  /** What the audit itself had to do with this data (missing AUs, NaN values, failed landmarks, how frames were scored). */
  notes: string[];
  graph: { aus: string[]; classes: string[]; /** G[k][c], rows in `aus` order. */ polarity: number[][]; provenance: CausalGraph["provenance"]; spec: string };
  reasoner: { kind: "external-au" | "saved-reasoner"; head: "default" | "labels" | "saved"; z: string; h: string; training: Record<string, unknown>; folds?: number };
  verbalizer: { kind: string; gate: GateSource; templates: string[]; beta: number; theta: number; thetaGate: number };
  tau: number;
  fidelity: {
    /** Over every frame (pairs of frame × AU). */
    frames: Agreement;
    /** Subject-bootstrap CI of every measure; null with fewer than 2 subjects. */
    ci: AgreementWithCI | null;
    /** What the CI is (or why there is none). */
    ciNote: string;
    tauSweep: (Agreement & { tau: number })[];
  };
  /** Against the data's own labels, when it has labels in G's classes. */
  accuracy: { labelled: number; accuracy: number } | null;
  predictedCounts: Record<string, number>;
  perAu: { au: string; meanAbsEffect: number; invokedRate: number; causalShare: number; meanZ: number }[];
  rationales: { accepted: number; withAu: number };
  frames: AuditFrame[];
  provenance: Provenance;
  durations: { totalSeconds: number; loadSeconds: number; trainSeconds: number; scoreSeconds: number; rationaleSeconds: number; metricSeconds: number };
  /** Frames per second of the audit proper (load, scoring, rationales, metric; head training excluded). */
  framesPerSecond: number;
  /** True when timings were left out (0) and the start time fixed, for a byte-reproducible report. */
  deterministic: boolean;
}
