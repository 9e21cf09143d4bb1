import { compareGraphs } from "./compare";
import { CausalGraph, Polarity } from "./graph";
import { InductionResult } from "./induce-types";

/**
 * The induction as a plain-text table for a terminal or a notebook: one row per
 * AU, one column per class, each cell "edge frequency coefficient" (edge +, -
 * or 0; selection frequency over valid resamples; median standardized
 * coefficient). With a reference graph (the PSPI composition, the FACS
 * prototypes) each cell is flagged where they differ, and edge precision, recall
 * and sign agreement follow (compareGraphs: over shared AUs and classes).
 */
export function formatInductionTable(result: InductionResult, reference?: CausalGraph): string {
  const g = result.graph;
  const o = result.options;
  const r = result.resampling;
  const num = (v: number, digits: number, signed = false) => (Number.isNaN(v) ? "n/a" : (signed && v >= 0 ? "+" : "") + v.toFixed(digits));
  const refPolarity = (k: number, c: number): Polarity | null => {
    if (!reference) return null;
    const rk = reference.aus.indexOf(g.aus[k]);
    const rc = reference.classes.indexOf(g.classes[c]);
    return rk < 0 || rc < 0 ? null : reference.polarity[rk][rc];
  };
  const flag = (p: Polarity, ref: Polarity | null) =>
    ref === null ? " " : p !== 0 && ref === 0 ? "!" : p === 0 && ref !== 0 ? "x" : p !== ref ? "~" : " ";
  const header = ["AU", ...g.classes];
  const body = g.aus.map((a, k) => [
    a,
    ...g.classes.map((_, c) => {
      const p = g.polarity[k][c];
      const cell = `${p > 0 ? "+" : p < 0 ? "-" : "0"} ${num(result.frequencies[k][c], 2)} ${num(result.coefficients[k][c], 2, true)}`;
      return reference ? `${cell} ${flag(p, refPolarity(k, c))}` : cell;
    }),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((cell, j) => cell.padEnd(widths[j])).join(" | ").trimEnd();
  const lambdaRule = o.lambda !== null ? `lambda = ${o.lambda}` : `lambda = ${o.lambdaRatio} * lambda_max`;
  const out = [
    `${g.provenance.source}: ${o.baseline === null ? "each class vs rest" : `each class vs "${o.baseline}" ("${o.baseline}" vs rest)`}, ` +
      `${o.resamples} ${r.unit === "subjects" ? "subject" : "frame"} bootstrap resamples (${r.units} ${r.unit}, ${r.frames} frames), ` +
      `pi = ${o.selectionThreshold}, epsilon = ${o.minCoefficient}, ${lambdaRule}, seed ${String(o.seed)}`,
    "cell: edge (+ / - / 0), selection frequency, median standardized coefficient (log-odds per SD)" +
      (reference ? `; flag vs reference: x missed, ! extra, ~ opposite sign` : ""),
    "",
    line(header),
    widths.map((w) => "-".repeat(w)).join("-+-"),
    ...body.map(line),
    "",
    `lambda per class: ${g.classes.map((c, j) => `${c} ${result.lambda[j].toPrecision(3)}`).join(", ")}`,
  ];
  const ex = result.excluded;
  out.push(
    `excluded: ${ex.unlabelled} unlabelled frames, ${ex.notCoded} frames not coded; constant AUs: ${ex.constantAus.join(", ") || "none"}; ` +
      `never-coded AUs: ${ex.uncodedAus.join(", ") || "none"}`,
  );
  if (r.degenerate.some((d) => d > 0)) out.push(`resamples without a class (left out of its frequencies): ${g.classes.map((c, j) => `${c} ${r.degenerate[j]}`).join(", ")}`);
  if (r.unconverged > 0) out.push(`fits that did not reach the tolerance: ${r.unconverged}`);
  for (const d of result.droppedGroups) out.push(`group {${d.group.join(", ")}} of "${d.class}" not carried over: ${d.reason}`);
  if (reference) {
    const cmp = compareGraphs(g, reference);
    const n = cmp.counts;
    out.push(
      `vs reference (${reference.provenance.source}): edge precision ${num(cmp.edgePrecision, 2)} (${n.shared}/${n.candidate}), ` +
        `recall ${num(cmp.edgeRecall, 2)} (${n.shared}/${n.reference}), sign agreement ${num(cmp.signAgreement, 2)} (${n.sameSign}/${n.shared})`,
    );
    out.push(
      "  per class: " +
        Object.entries(cmp.perClass)
          .map(([c, v]) => `${c} P ${num(v.edgePrecision, 2)} R ${num(v.edgeRecall, 2)} S ${num(v.signAgreement, 2)}`)
          .join("; "),
    );
    const unshared = g.classes.filter((c) => !reference.classes.includes(c));
    if (unshared.length) out.push(`  classes not in the reference (not compared): ${unshared.join(", ")}`);
  }
  return out.join("\n");
}
