import { sampleWeights, subjectResampler } from "../util/bootstrap";
import { Rng } from "../util/random";
import { makeGraph, Polarity } from "./graph";
import { contrastFor, prepareDesign } from "./induce-design";
import { resolveOptions } from "./induce-options";
import { InductionData, InductionLabels, InductionOptions, InductionResult, ResolvedInductionOptions } from "./induce-types";
import { fitL1Logistic, lambdaMax } from "./logistic-l1";

/**
 * Independent, polarity-aware induction of G from AU annotations and labels
 * (spec §6): per class, L1-regularized logistic regression on standardized AU
 * intensities (z-scores over the frames used) over B bootstrap resamples of
 * subjects (stability selection, Meinshausen & Bühlmann 2010). An AU gets an
 * edge to a class when it is selected (non-zero coefficient) in at least π of the
 * resamples and its median standardized coefficient is at least ε in size; the
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
export { formatInductionTable } from "./induce-table";

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
  const resampler = subjectResampler(groupOf);
  const units = resampler.nUnits;
  const rng = new Rng(o.seed).fork("inducePolarityGraph");
  const draws: Float64Array[][] = classIdx.map(() => []); // [C][valid resample] → β
  const degenerate = new Array<number>(C).fill(0);
  for (let b = 0; b < o.resamples; b++) {
    const wAll = sampleWeights(resampler, resampler.draw(rng));
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
        `${o.baseline === null ? "per class vs rest" : `per class vs baseline "${o.baseline}" (baseline vs rest)`}, L1 logistic regression on standardized AU intensities, ${lambdaText}; ` +
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

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
