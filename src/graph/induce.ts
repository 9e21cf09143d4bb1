import { Rng } from "../util/random";
import { compareGraphs } from "./compare";
import { CausalGraph, makeGraph, Polarity } from "./graph";
import { contrastFor, prepareDesign } from "./induce-design";
import { resolveOptions } from "./induce-options";
import { InductionData, InductionLabels, InductionOptions, InductionResult, ResolvedInductionOptions } from "./induce-types";
import { fitL1Logistic, lambdaMax } from "./logistic-l1";

/**
 * Independent, polarity-aware induction of G from AU annotations and labels
 * (spec §6): per class, L1-regularised logistic regression on standardised AU
 * intensities (z-scores over the frames used) over B bootstrap resamples of
 * subjects (stability selection, Meinshausen & Bühlmann 2010). An AU gets an
 * edge to a class when it is selected (non-zero coefficient) in at least π of the
 * resamples and its median standardised coefficient is at least ε in size; the
 * edge's sign is the median's.
 *
 * Each class is contrasted with all the rest (spec §6; the default), or with one
 * baseline class alone (see `baseline`).
 *
 * Representation: pass the AU intensities for labels that grow with intensity
 * (emotion). For labels that are a threshold of AU *presence* — pain = 1[PSPI > 0]
 * is true as soon as any PSPI AU is present — pass presence (intensity > 0): a
 * linear logit in presence is then the well-specified model, and intensities
 * let correlated AUs soak up the misfit.
 *
 * The data must be disjoint from the reasoner's training and test data (the
 * caller's duty): induction reads annotations, never a model.
 */

export type { InductionData, InductionLabels, InductionOptions, ResolvedInductionOptions, InductionResult } from "./induce-types";

/** Induce a polarity graph G from AU intensities and class labels (see the module comment). */
export function inducePolarityGraph(data: InductionData, labels: InductionLabels, opts: InductionOptions = {}): InductionResult {
  const o = resolveOptions(data, labels, opts);
  const K = data.aus.length;
  const prep = prepareDesign(data, labels);
  const { design, active, rows, rowLabels } = prep;
  const classIdx = o.classes.map((name) => labels.classes.indexOf(name));
  const C = classIdx.length;

  // Per class: the rows of its contrast, 0/1 targets, λ and the full-data fit (also the resamples' warm start).
  const baseline = o.baseline === null ? -1 : labels.classes.indexOf(o.baseline);
  const contrasts = classIdx.map((ci, c) => contrastFor(design, rowLabels, ci, baseline, o.classes[c], o.baseline));
  const lmax = contrasts.map((t) => lambdaMax(t.design, t.y, undefined, active));
  const lambda = lmax.map((m) => (o.lambda !== null ? o.lambda : o.lambdaRatio * m));
  const solver = { active, tolerance: o.tolerance, maxIterations: o.maxIterations };
  let unconverged = 0;
  const full = contrasts.map((t, c) => {
    const f = fitL1Logistic(t.design, t.y, { lambda: lambda[c], ...solver });
    if (!f.converged) unconverged++;
    return f;
  });

  // Bootstrap: one resample (a weight per frame) serves every class.
  const unit: "subjects" | "frames" = data.subjects ? "subjects" : "frames";
  const groupOf = data.subjects ? Array.from(rows, (i) => data.subjects![i]) : Array.from(rows, (_, r) => r);
  const { units, weightsFor } = bootstrapWeights(groupOf);
  const rng = new Rng(o.seed).fork("inducePolarityGraph");
  const draws: Float64Array[][] = classIdx.map(() => []); // [C][valid resample] → β
  const degenerate = new Array<number>(C).fill(0);
  for (let b = 0; b < o.resamples; b++) {
    const wAll = weightsFor(rng);
    for (let c = 0; c < C; c++) {
      const t = contrasts[c];
      const w = t.rows ? Float64Array.from(t.rows, (r) => wAll[r]) : wAll;
      let W = 0;
      let Wy = 0;
      for (let r = 0; r < w.length; r++) {
        W += w[r];
        Wy += w[r] * t.y[r];
      }
      if (Wy === 0 || Wy === W) {
        degenerate[c]++;
        continue;
      }
      const f = fitL1Logistic(t.design, t.y, { lambda: lambda[c], weights: w, init: full[c], ...solver });
      if (!f.converged) unconverged++;
      draws[c].push(f.beta);
    }
  }

  // Stability selection.
  const frequencies: number[][] = [];
  const coefficients: number[][] = [];
  const polarity: Polarity[][] = [];
  for (let k = 0; k < K; k++) {
    frequencies.push([]);
    coefficients.push([]);
    polarity.push([]);
    for (let c = 0; c < C; c++) {
      const vals = draws[c].map((beta) => beta[k]);
      const freq = vals.length ? vals.filter((v) => v !== 0).length / vals.length : NaN;
      const med = vals.length ? median(vals) : NaN;
      frequencies[k].push(freq);
      coefficients[k].push(med);
      const edge = active[k] === 1 && freq >= o.selectionThreshold && Math.abs(med) >= o.minCoefficient;
      polarity[k].push(edge ? (med > 0 ? 1 : -1) : 0);
    }
  }

  const { groups, droppedGroups } = carryGroups(o, data.aus, polarity);
  const lambdaText = o.lambda !== null ? `lambda = ${o.lambda}` : `lambda = ${o.lambdaRatio} * lambda_max per class`;
  const graph = makeGraph({
    aus: [...data.aus],
    classes: [...o.classes],
    polarity,
    groups,
    provenance: {
      kind: "induced",
      source: o.provenanceSource,
      notes:
        `${o.baseline === null ? "per class vs rest" : `per class vs baseline "${o.baseline}" (baseline vs rest)`}, L1 logistic regression on standardised AU intensities, ${lambdaText}; ` +
        `stability selection over ${o.resamples} ${unit === "subjects" ? "subject" : "frame"} bootstrap resamples; ` +
        `edge = sign of the median coefficient when selected in >= ${o.selectionThreshold} of resamples and |median| >= ${o.minCoefficient}`,
      seed: o.seed,
    },
  });
  return {
    graph,
    frequencies,
    coefficients,
    fullDataCoefficients: data.aus.map((_, k) => full.map((f) => f.beta[k])),
    lambda,
    lambdaMax: lmax,
    excluded: prep.excluded,
    resampling: { unit, units, frames: rows.length, degenerate, unconverged },
    droppedGroups,
    options: o,
  };
}

/**
 * The induction as a plain-text table for a terminal or a notebook: one row per
 * AU, one column per class, each cell "edge frequency coefficient" (edge +, -
 * or 0; selection frequency over valid resamples; median standardised
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
    "cell: edge (+ / - / 0), selection frequency, median standardised coefficient (log-odds per SD)" +
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

function carryGroups(o: ResolvedInductionOptions, aus: readonly string[], polarity: Polarity[][]) {
  const groups: Record<string, string[][]> = {};
  const droppedGroups: InductionResult["droppedGroups"] = [];
  for (const [cls, list] of Object.entries(o.groups)) {
    const c = o.classes.indexOf(cls);
    for (const grp of list) {
      const signs = grp.map((a) => polarity[aus.indexOf(a)][c]);
      let reason = "";
      if (grp.length < 2) reason = "a substitute group needs at least 2 AUs";
      else if (signs.some((s) => s === 0)) reason = `no induced edge for ${grp.filter((_, m) => signs[m] === 0).join(", ")}`;
      else if (signs.some((s) => s !== signs[0])) reason = "members got edges of opposite signs";
      else if (grp.some((a) => (groups[cls] ?? []).some((kept) => kept.includes(a)))) reason = "shares an AU with another kept group";
      if (reason) droppedGroups.push({ class: cls, group: [...grp], reason });
      else (groups[cls] ??= []).push([...grp]);
    }
  }
  return { groups, droppedGroups };
}

/**
 * Resampling units (subjects, or frames) drawn with replacement: `weightsFor`
 * returns each row's multiplicity (how many times its unit was drawn). Written
 * here rather than taken from faithfulness/bootstrap so that graph/ does not
 * depend on a layer above it.
 */
function bootstrapWeights(groupOf: readonly (string | number)[]): { units: number; weightsFor: (rng: Rng) => Float64Array } {
  const ids = new Map<string | number, number>();
  const member = Int32Array.from(groupOf, (g) => {
    let id = ids.get(g);
    if (id === undefined) ids.set(g, (id = ids.size));
    return id;
  });
  const units = ids.size;
  const counts = new Float64Array(units);
  return {
    units,
    weightsFor: (rng) => {
      counts.fill(0);
      for (let d = 0; d < units; d++) counts[rng.int(units)]++;
      return Float64Array.from(member, (u) => counts[u]);
    },
  };
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}