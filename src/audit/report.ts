import * as path from "node:path";
import { Agreement, Interval } from "../faithfulness/metric";
import { toCsv } from "../util/csv";
import { writeFileAtomic } from "../util/atomic";
import { FacrInputError } from "../util/errors";
import type { AuditReport } from "./types";
import { auditFigures } from "./figures";

/** Output formats of `--out`, by file extension. */
export type ReportKind = "json" | "csv" | "html";

export function reportKindOf(file: string): ReportKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".csv") return "csv";
  if (ext === ".html" || ext === ".htm") return "html";
  throw new FacrInputError(`unknown report type "${ext || "(no extension)"}": use .json, .csv or .html`, { file, field: "--out" });
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "n/a" : v.toFixed(3));
const ci = (v: Interval) => `${f3(v.estimate)} [${f3(v.lo)}, ${f3(v.hi)}]`;

/** "AU06 +1.23*": Δ on the predicted class; * = G marks the AU causal for it. */
export function invokedText(f: AuditReport["frames"][number], max = Infinity): string {
  const more = f.invoked.length > max ? ` …+${f.invoked.length - max}` : "";
  return f.invoked.slice(0, max).map((a) => `${a.au}${a.delta >= 0 ? "+" : ""}${a.delta.toFixed(2)}${a.polarity !== 0 ? "*" : ""}`).join(" ").concat(more) || "–";
}

/** The fidelity lines (with the CI or the reason there is none). */
export function fidelityLines(r: AuditReport): string[] {
  const m = r.fidelity.frames;
  const c = r.fidelity.ci;
  const show = (k: keyof Agreement) => (c ? ci(c.metrics[k]) : f3(m[k]));
  return [
    `fidelity to G (τ = ${r.tau} nats): κ ${show("kappa")}, Jaccard ${show("jaccard")}, precision ${show("precision")}, recall ${show("recall")}, polarity accuracy ${show("polarityAccuracy")}, AUROC |Δ| ${show("auroc")}, invoked rate ${show("invokedRate")}`,
    `  ${r.fidelity.ciNote}`,
  ];
}

/** What a terminal shows: the header, the caveats, the first `limit` frames (all by default), the summary. */
export function formatAuditText(r: AuditReport, opts: { limit?: number } = {}): string {
  const d = r.data;
  const lines: string[] = [];
  lines.push(`facr audit — ${d.path} (${d.format}): ${d.frames} frames, ${d.subjects} subject(s), ${d.sequences} sequence(s); G: ${r.graph.spec} (${r.graph.aus.length} AUs × ${r.graph.classes.length} classes: ${r.graph.classes.join(", ")})`);
  for (const w of r.warnings) lines.push(`WARNING: ${w}`);
  for (const c of r.caveats) lines.push(`! ${c}`);
  lines.push(`AU scale: ${d.auScale.used} (${d.auScale.reason})`);
  lines.push(`frames with success = 0 (no face; left out): ${d.successZero === null ? "n/a (no success column)" : d.successZero}`);
  const skippedOther = Object.entries(d.skipped).filter(([k]) => k !== "success = 0");
  if (skippedOther.length) lines.push(`other frames left out: ${skippedOther.map(([k, v]) => `${v} × ${k}`).join(", ")}`);
  lines.push(`reasoner: ${r.reasoner.kind}, head ${r.reasoner.head}${r.reasoner.head === "default" ? ` (trained on ${String(r.reasoner.training.data)})` : r.reasoner.folds ? ` (${r.reasoner.folds}-fold subject cross-fitting)` : ""}; z: ${r.reasoner.z}; h: ${r.reasoner.h}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const limit = opts.limit ?? r.frames.length;
  const shown = r.frames.slice(0, limit);
  if (shown.length) {
    lines.push("");
    lines.push(`per frame (invoked: AU Δ on the predicted class's log-odds, * = causal in G for it):`);
    const rows = shown.map((f) => [`${f.sequence}#${f.frame}`, `${f.predicted} ${f.probability.toFixed(2)}${f.label !== null ? ` (label ${f.label})` : ""}`, invokedText(f, 5), f.rationale]);
    const w = [0, 1, 2].map((j) => Math.min(48, Math.max(...rows.map((x) => x[j].length), ["frame", "predicted", "invoked"][j].length)));
    lines.push(["frame".padEnd(w[0]), "predicted".padEnd(w[1]), "invoked".padEnd(w[2]), "rationale"].join("  "));
    for (const x of rows) lines.push([x[0].padEnd(w[0]), x[1].padEnd(w[1]), x[2].padEnd(w[2]), x[3]].join("  "));
    if (limit < r.frames.length) lines.push(`… ${r.frames.length - limit} more frame(s) (all of them in --out)`);
  }
  lines.push("");
  lines.push(...fidelityLines(r));
  if (r.warnings.length) lines.push(`  read with the ${r.warnings.length} WARNING line(s) at the top`);
  lines.push(`predicted: ${Object.entries(r.predictedCounts).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(", ")}${r.accuracy ? `; accuracy against the data's labels ${f3(r.accuracy.accuracy)} (${r.accuracy.labelled} labelled frames)` : ""}`);
  lines.push(`rationales: ${r.rationales.withAu} of ${d.frames} cite at least one AU; ${r.rationales.accepted} in the grammar`);
  return lines.join("\n");
}

/** One row per frame: identity, prediction, invoked AUs, rationale, then Δ and z per AU of G. */
export function auditCsvRows(r: AuditReport): Record<string, string | number | null>[] {
  return r.frames.map((f) => {
    const row: Record<string, string | number | null> = {
      subject: f.subject,
      sequence: f.sequence,
      frame: f.frame,
      predicted: f.predicted,
      probability: f.probability,
      label: f.label,
      invoked: f.invoked.map((a) => a.au).join(" "),
      invoked_causal: f.invoked.filter((a) => a.polarity !== 0).map((a) => a.au).join(" "),
      rationale: f.rationale,
      rationale_aus: f.rationaleAus.join(" "),
    };
    r.graph.aus.forEach((au, k) => (row[`delta_${au}`] = f.delta[k]));
    r.graph.aus.forEach((au, k) => (row[`z_${au}`] = f.z[k]));
    return row;
  });
}

export function auditToCsv(r: AuditReport): string {
  return toCsv(auditCsvRows(r));
}

/** JSON of the report (NaN → null). */
export function auditToJson(r: AuditReport): string {
  return JSON.stringify(r, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Rows of the per-frame table in the HTML report (the JSON and CSV hold every frame). */
export const HTML_MAX_ROWS = 2000;

/** A self-contained HTML report: no script, no external resource; figures inline as SVG. */
export function auditToHtml(r: AuditReport): string {
  const d = r.data;
  const figs = auditFigures(r);
  const c = r.fidelity.ci;
  const measures: [keyof Agreement, string][] = [
    ["kappa", "Cohen's κ (invoked vs causal)"],
    ["jaccard", "mean Jaccard"],
    ["precision", "precision"],
    ["recall", "recall"],
    ["f1", "F1"],
    ["polarityAccuracy", "polarity accuracy"],
    ["auroc", "AUROC of |Δ|"],
    ["invokedRate", "invoked rate"],
  ];
  const fidelityRows = measures
    .map(([k, label]) => `<tr><td>${esc(label)}</td><td class="n">${f3(r.fidelity.frames[k])}</td><td class="n">${c ? `[${f3(c.metrics[k].lo)}, ${f3(c.metrics[k].hi)}]` : "–"}</td></tr>`)
    .join("");
  const shown = r.frames.slice(0, HTML_MAX_ROWS);
  const frameRows = shown
    .map(
      (f) =>
        `<tr><td>${esc(f.subject)}</td><td>${esc(f.sequence)}</td><td class="n">${f.frame}</td><td>${esc(f.predicted)}</td><td class="n">${f.probability.toFixed(3)}</td><td>${f.label === null ? "" : esc(f.label)}</td>` +
        `<td>${f.invoked.map((a) => `<span class="${a.polarity !== 0 ? "causal" : "other"}">${esc(a.au)} ${a.delta >= 0 ? "+" : ""}${a.delta.toFixed(2)}</span>`).join(" ") || "–"}</td><td>${esc(f.rationale)}</td></tr>`,
    )
    .join("\n");
  const perAu = r.perAu
    .map((a) => `<tr><td>${esc(a.au)}</td><td class="n">${f3(a.meanZ)}</td><td class="n">${f3(a.meanAbsEffect)}</td><td class="n">${f3(a.invokedRate)}</td><td class="n">${f3(a.causalShare)}</td></tr>`)
    .join("");
  const skipped = Object.entries(d.skipped).map(([k, v]) => `${v} × ${esc(k)}`).join(", ") || "none";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>facr audit — ${esc(path.basename(d.path))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.caveat{background:#fff4e5;border-left:4px solid #e69500;padding:.5em 1em;margin:.5em 0}.warning{background:#fde8e8;border:2px solid #c81e1e;border-left-width:6px;padding:.5em 1em;margin:.5em 0}
.causal{color:#1a7f37;font-weight:600}.other{color:#b35900}figure{margin:1em 0}code{background:#f3f3f3;padding:0 .2em}
</style></head><body>
<h1>facr audit</h1>
<p><code>${esc(d.path)}</code> (${esc(d.format)}): ${d.frames} frames, ${d.subjects} subject(s), ${d.sequences} sequence(s). Graph G: <code>${esc(r.graph.spec)}</code> — ${esc(r.graph.provenance.source)} (${r.graph.aus.length} AUs × ${r.graph.classes.length} classes).</p>
${r.warnings.length ? `<div class="warning" id="warnings"><b>Warning${r.warnings.length > 1 ? "s" : ""}</b><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></div>` : ""}
${r.caveats.map((x) => `<div class="caveat">${esc(x)}</div>`).join("\n")}
<h2>Data</h2>
<ul>
<li>frames with <code>success = 0</code> (no face found; left out): <b>${d.successZero === null ? "n/a (no success column)" : d.successZero}</b>; all frames left out: ${skipped}</li>
<li>AU scale: <b>${esc(d.auScale.used)}</b> (${esc(d.auScale.reason)})</li>
<li>AU values NaN (entered z as 0): ${d.nanAuValues}; AUs of G missing from the data (z = 0): ${esc(d.missingAus.join(", ") || "none")}</li>
<li>landmarks: ${d.landmarks}${d.geometryFailed ? ` (${d.geometryFailed} frames failed alignment)` : ""}; labelled frames (in G's classes): ${d.labelled}</li>
${r.notes.map((n) => `<li><b>${esc(n)}</b></li>`).join("\n")}
${d.notes.map((n) => `<li>${esc(n)}</li>`).join("\n")}
</ul>
<h2>Reasoner and verbalizer</h2>
<ul>
<li>${esc(r.reasoner.kind)}, head <b>${esc(r.reasoner.head)}</b>${r.reasoner.folds ? ` (${r.reasoner.folds}-fold subject cross-fitting)` : ""}: ${esc(String(r.reasoner.training.data ?? r.reasoner.training.protocol ?? r.reasoner.training.loadedFrom ?? ""))}</li>
<li>z: ${esc(r.reasoner.z)}</li><li>h: ${esc(r.reasoner.h)}</li>
<li>rationales: ${esc(r.verbalizer.kind)}; gate: ${esc(r.verbalizer.gate)}, β = ${r.verbalizer.beta}, θ = ${r.verbalizer.theta}, θ_gate = ${r.verbalizer.thetaGate}</li>
</ul>
<h2>Fidelity to G</h2>
<p>Invoked AUs: |Δ[i,k,ĉ]| ≥ τ = ${r.tau} nats (Δ: change of the predicted class's log-odds between do(z_k = 1) and do(z_k = 0)); causal AUs: G[k][ĉ] ≠ 0. ${esc(r.fidelity.ciNote)}.</p>
<table><thead><tr><th>measure</th><th>estimate</th><th>95% CI</th></tr></thead><tbody>${fidelityRows}</tbody></table>
<p>Predicted: ${Object.entries(r.predictedCounts).filter(([, n]) => n > 0).map(([k, n]) => `${esc(k)} ${n}`).join(", ")}${r.accuracy ? `; accuracy against the data's labels ${f3(r.accuracy.accuracy)} (${r.accuracy.labelled} labelled frames)` : ""}. Rationales citing an AU: ${r.rationales.withAu} of ${d.frames}.</p>
${figs.map((f) => `<figure>${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`).join("\n")}
<h2>Per AU</h2>
<table><thead><tr><th>AU</th><th>mean z</th><th>mean |Δ| (nats)</th><th>invoked rate</th><th>share of frames causal in G</th></tr></thead><tbody>${perAu}</tbody></table>
<h2>Per frame</h2>
<p>${shown.length < r.frames.length ? `First ${shown.length} of ${r.frames.length} frames (the JSON and CSV reports hold all). ` : ""}Invoked AUs in <span class="causal">green</span> when G marks them causal for the prediction, <span class="other">orange</span> otherwise.</p>
<table><thead><tr><th>subject</th><th>sequence</th><th>frame</th><th>predicted</th><th>p</th><th>label</th><th>invoked (Δ)</th><th>rationale</th></tr></thead><tbody>
${frameRows}
</tbody></table>
<p style="color:#777">facr ${esc(r.provenance.commit.slice(0, 12))}${r.provenance.dirty ? " (modified)" : ""}, backend ${esc(r.provenance.backend)}, ${esc(r.provenance.startedAt)}</p>
</body></html>
`;
}

/** Write the report to `file` (.json, .csv or .html), atomically. */
export function writeAuditReport(r: AuditReport, file: string): ReportKind {
  const kind = reportKindOf(file);
  const text = kind === "json" ? auditToJson(r) : kind === "csv" ? auditToCsv(r) : auditToHtml(r);
  writeFileAtomic(file, text);
  return kind;
}
