/**
 * Result tables as danfojs DataFrames (for notebooks: shown, grouped,
 * aggregated) and as CSV written atomically beside the results.
 *
 * `armTable` is long (one row per arm × measure × graph, with the bootstrap
 * CI) and works for any arm comparison (PSPI now, emotion later);
 * `armSummaryTable` is the wide, display-ready version; `foldTable` holds one
 * row per seed × fold × arm. CSV export: `writeCsv` (./csv).
 */
import { DataFrame } from "danfojs-node";
import { graphKeys, MEASURE_LABELS } from "./arms";
import type { AgreementKey, ArmResultLike, DetectionKey, IntervalLike } from "./result-types";
import type { PspiResultLike } from "./pspi";
import { armLabel, fmtInterval, num } from "./theme";
import type { TableRow } from "../util/csv";

/** A DataFrame from rows (columns in the first row's key order; NaN for missing numbers). */
export function rowsToDataFrame(rows: readonly TableRow[]): DataFrame {
  if (!rows.length) return new DataFrame([]);
  const columns = Object.keys(rows[0]);
  return new DataFrame(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? NaN]))) as unknown as Record<string, unknown>[], { columns });
}

const AGREEMENT_KEYS: AgreementKey[] = ["kappa", "jaccard", "precision", "recall", "f1", "polarityAccuracy", "auroc", "invokedRate"];
const DETECTION_KEYS: DetectionKey[] = ["accuracy", "macroF1", "f1", "auc"];

function ivRow(arm: string, family: string, graph: string, measure: string, iv: IntervalLike | undefined): TableRow {
  return { arm, label: armLabel(arm), family, graph, measure, estimate: num(iv?.estimate), lo: num(iv?.lo), hi: num(iv?.hi) };
}

/**
 * Long table of an arm comparison: arm, label, family ("agreement" or
 * "detection"), graph ("G", "G'", or "" for detection), measure, estimate, lo,
 * hi (95% subject-bootstrap CI).
 */
export function armTable(result: ArmResultLike): DataFrame {
  const rows: TableRow[] = [];
  for (const [arm, s] of Object.entries(result.arms)) {
    for (const g of Object.keys(s.agreement)) for (const k of AGREEMENT_KEYS) if (s.agreement[g][k]) rows.push(ivRow(arm, "agreement", g, k, s.agreement[g][k]));
    for (const k of DETECTION_KEYS) if (s.detection[k]) rows.push(ivRow(arm, "detection", "", k, s.detection[k]));
  }
  return rowsToDataFrame(rows);
}

/** The PSPI experiment's arm table (see `armTable`). */
export function pspiArmTable(result: PspiResultLike): DataFrame {
  return armTable(result);
}

/**
 * One row per arm, display-ready: κ with each graph, AUC and F1 as
 * "estimate [lo, hi]" text.
 */
export function armSummaryTable(result: ArmResultLike, digits = 3): DataFrame {
  const graphs = graphKeys(result);
  const rows = Object.entries(result.arms).map(([arm, s]) => {
    const row: TableRow = { arm: armLabel(arm) };
    for (const g of graphs) row[`κ with ${g === "G'" ? "G′" : g}`] = fmtInterval(s.agreement[g]?.kappa, digits);
    row[MEASURE_LABELS.auc] = fmtInterval(s.detection.auc, digits);
    row[MEASURE_LABELS.f1] = fmtInterval(s.detection.f1, digits);
    return row;
  });
  return rowsToDataFrame(rows);
}

/** One row per seed × fold × arm: the test subjects and every score at the reported τ. */
export function foldTable(result: ArmResultLike): DataFrame {
  const rows: TableRow[] = (result.perFold ?? []).map((r) => {
    const row: TableRow = { seed: r.seed, fold: r.fold + 1, arm: r.arm };
    if (r.testSubjects) row.testSubjects = r.testSubjects.join(" ");
    for (const k of [...AGREEMENT_KEYS, ...DETECTION_KEYS]) {
      const v = (r.scores as Record<string, number | null | undefined>)[k];
      if (v !== undefined) row[k] = num(v);
    }
    return row;
  });
  return rowsToDataFrame(rows);
}

/** The PSPI experiment's per-fold table (see `foldTable`). */
export function pspiFoldTable(result: PspiResultLike): DataFrame {
  return foldTable(result);
}
