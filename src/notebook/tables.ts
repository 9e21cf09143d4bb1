/**
 * Table rows the notebooks show in more than one place (built here so the
 * notebooks only call and display them).
 */
import type { ArmSummary } from "../evaluate/summary";
import type { GraphComparison } from "../graph/compare";
import type { Interval } from "../util/bootstrap";
import { armLabel, ci, fx, pairLabel, side } from "./format";

/**
 * `compareGraphs` results as table rows: edge precision, recall and sign
 * agreement (2 decimals) and the edge counts, under `countsLabel` (notebook 02:
 * candidate / reference / shared; notebook 04: G / prototypes / shared).
 */
export function comparisonRows(rows: readonly (readonly [string, GraphComparison])[], countsLabel = "edges (candidate / reference / shared)"): Record<string, string>[] {
  return rows.map(([name, r]) => ({
    "": name,
    "edge precision": fx(r.edgePrecision, 2),
    "edge recall": fx(r.edgeRecall, 2),
    "sign agreement": fx(r.signAgreement, 2),
    [countsLabel]: `${r.counts.candidate} / ${r.counts.reference} / ${r.counts.shared}`,
  }));
}

/** The agreement measures of spec §5, in the order the notebooks list them. */
export const AGREEMENT_MEASURES = ["kappa", "jaccard", "precision", "recall", "f1", "polarityAccuracy", "auroc", "invokedRate"] as const;

type ArmsLike = Readonly<Record<string, ArmSummary>>;

/** One row per agreement measure with `graph` (default "G"), one column per arm: estimate [95% CI] (notebooks 03, 04). */
export function agreementRows(arms: ArmsLike, graph = "G"): Record<string, string>[] {
  const names = Object.keys(arms);
  return AGREEMENT_MEASURES.map((m) => ({ measure: m, ...Object.fromEntries(names.map((a) => [armLabel(a), ci(arms[a].agreement[graph][m])])) }));
}

/** One row per τ of the sweep: κ and invoked rate per arm (raw numbers; notebooks 03, 04). */
export function tauSweepRows(arms: ArmsLike): Record<string, number>[] {
  const names = Object.keys(arms);
  if (!names.length) return [];
  return arms[names[0]].tauSweep.map((t, j) => ({
    τ: t.tau,
    ...Object.fromEntries(names.map((a) => [`κ ${a}`, arms[a].tauSweep[j].kappa])),
    ...Object.fromEntries(names.map((a) => [`invoked ${a}`, arms[a].tauSweep[j].invokedRate])),
  }));
}

/** The arm comparisons the notebooks show, in order, where the result has them. */
export const DIFFERENCE_PAIRS = ["facr-baseline", "control-baseline", "permuted-baseline", "facr-permuted", "bottleneck-baseline", "facr-bottleneck", "facr-rrr", "facr-cbmSequential", "facr-cbmFacr"] as const;

/**
 * One row per paired difference present in `differences` (DIFFERENCE_PAIRS
 * order), one column per `[label, key]`: "estimate [95% CI] (where the CI sits)".
 */
export function differenceRows(differences: Readonly<Record<string, Readonly<Record<string, Interval>>>>, keys: readonly (readonly [string, string])[]): Record<string, string>[] {
  return DIFFERENCE_PAIRS.filter((p) => p in differences).map((p) => ({
    difference: pairLabel(p),
    ...Object.fromEntries(keys.map(([label, k]) => [label, `${ci(differences[p][k])} (${side(differences[p][k])})`])),
  }));
}
