/**
 * What notebook 07 shows of an audit of your own data (`runAudit`): the
 * caveats, the data table, the per-frame table, the fidelity table and the
 * one-line reading, built from the `AuditReport` so the notebook only calls
 * and displays them.
 */
import type { AuditReport } from "../audit/index";
import { AGREEMENT_MEASURES } from "./tables";
import { fx } from "./format";

/** The report's caveats (what produced the numbers) as Markdown block quotes, said first. */
export function auditCaveatsMarkdown(r: AuditReport): string {
  return r.caveats.map((c) => `> ⚠ ${c}`).join("\n>\n");
}

/** What was audited: files, frames, what was left out, missing AUs, landmarks, labels and the head. */
export function auditDataRows(r: AuditReport): { "": string; value: string | number }[] {
  return [
    { "": "file / folder", value: r.data.path },
    { "": "frames audited", value: r.data.frames },
    { "": "subjects / sequences", value: `${r.data.subjects} / ${r.data.sequences}` },
    { "": "frames with success = 0 (no face, left out)", value: r.data.successZero === null ? "n/a (no success column)" : r.data.successZero },
    { "": "other frames left out", value: Object.entries(r.data.skipped).filter(([k]) => k !== "success = 0").map(([k, v]) => `${v} × ${k}`).join(", ") || "none" },
    { "": "AUs of G missing from the data (z = 0)", value: r.data.missingAus.join(", ") || "none" },
    { "": "landmarks (h)", value: r.data.landmarks },
    { "": "labelled frames (in G's classes)", value: r.data.labelled },
    { "": "head", value: r.reasoner.head === "default" ? `default: trained on ${String(r.reasoner.training.data)}` : r.reasoner.head === "labels" ? `the data's labels, ${r.reasoner.folds}-fold subject cross-fitting` : "saved" },
  ];
}

/** One row per audited frame: prediction, invoked AUs (Δ in nats, * when causal in G) and the rationale. */
export function auditFrameRows(r: AuditReport): Record<string, string | number>[] {
  return r.frames.map((f) => ({
    frame: `${f.sequence}#${f.frame}`,
    predicted: f.predicted,
    p: f.probability,
    label: f.label ?? "",
    // ASCII minus, as the audit's own reports (src/audit/report.ts) print Δ
    "invoked (Δ nats; * causal in G)": f.invoked.map((a) => `${a.au} ${a.delta >= 0 ? "+" : ""}${fx(a.delta, 2)}${a.polarity !== 0 ? "*" : ""}`).join(" ") || "–",
    rationale: f.rationale,
  }));
}

/** One row per agreement measure: the estimate over frames and the subject-bootstrap CI when there is one. */
export function auditFidelityRows(r: AuditReport): Record<string, string>[] {
  return AGREEMENT_MEASURES.map((k) => ({
    measure: k,
    estimate: fx(r.fidelity.frames[k]),
    "95% CI (subjects)": r.fidelity.ci ? `[${fx(r.fidelity.ci.metrics[k].lo)}, ${fx(r.fidelity.ci.metrics[k].hi)}]` : "–",
  }));
}

/** One reading bullet for an audit: the data, the head, fidelity κ (with its CI when there is one), invoked rate, rationales. */
export function auditReadingLine(r: AuditReport, what: string): string {
  const k = r.fidelity.ci ? `${fx(r.fidelity.frames.kappa)} [${fx(r.fidelity.ci.metrics.kappa.lo)}, ${fx(r.fidelity.ci.metrics.kappa.hi)}]` : `${fx(r.fidelity.frames.kappa)} (frames only, no CI)`;
  const head = r.reasoner.head === "default" ? "a default head trained on SYNTHETIC data" : r.reasoner.head === "labels" ? "a head trained on the data's own labels by subject cross-fitting" : "a saved head";
  return (
    `- **${what}** (${r.data.fixture ? "FIXTURE, invented values" : r.data.path}): ${r.data.frames} frames of ${r.data.subjects} subject(s), ` +
    `${r.data.successZero === null ? "no success column" : `${r.data.successZero} frame(s) with success = 0 left out`}; ${head}. ` +
    `Fidelity to G (${r.graph.spec}) κ = ${k}; invoked rate ${fx(r.fidelity.frames.invokedRate)}; ${r.rationales.withAu} of ${r.data.frames} rationales cite an AU` +
    `${r.accuracy ? `; accuracy against the labels ${fx(r.accuracy.accuracy)}` : ""}.`
  );
}
