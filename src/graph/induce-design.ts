import { FacrInputError } from "../util/errors";
import { Design } from "./design-matrix";
import { InductionData, InductionLabels, InductionResult } from "./induce-types";

/** The design of an induction: the frames and AUs used, standardized, and each class's contrast (its rows and 0/1 targets). */

export interface PreparedDesign {
  /** Standardized intensities of the frames used (inactive columns are 0). */
  design: Design;
  /** 1 for AUs the solver may use. */
  active: Uint8Array;
  /** Dataset frame index of each design row. */
  rows: Int32Array;
  /** Class index of each design row. */
  rowLabels: Int32Array;
  excluded: InductionResult["excluded"];
}

/** Leave out unlabelled and not-coded frames, drop never-coded and constant AUs, z-score the rest. */
export function prepareDesign(data: InductionData, labels: InductionLabels): PreparedDesign {
  const K = data.aus.length;
  const N = labels.y.length;
  if (K === 0) throw new FacrInputError("no AU columns", { field: "aus" });
  if (data.intensities.length !== N * K) {
    throw new FacrInputError(`holds ${data.intensities.length} values, expected frames × AUs = ${N} × ${K}`, { field: "intensities" });
  }
  if (data.subjects && data.subjects.length !== N) throw new FacrInputError(`holds ${data.subjects.length} ids, expected ${N}`, { field: "subjects" });
  const X = data.intensities;
  let unlabelled = 0;
  const labelled: number[] = [];
  for (let i = 0; i < N; i++) {
    const yi = labels.y[i];
    if (yi === -1) unlabelled++;
    else if (Number.isInteger(yi) && yi >= 0 && yi < labels.classes.length) labelled.push(i);
    else throw new FacrInputError(`must be -1 (unlabelled) or a class index in [0, ${labels.classes.length}), got ${yi}`, { field: `labels.y[${i}]` });
  }
  const coded = new Uint8Array(K);
  for (const i of labelled) for (let k = 0; k < K; k++) if (!Number.isNaN(X[i * K + k])) coded[k] = 1;
  const uncodedAus = data.aus.filter((_, k) => !coded[k]);
  const rows: number[] = [];
  let notCoded = 0;
  for (const i of labelled) {
    let ok = true;
    for (let k = 0; k < K && ok; k++) if (coded[k] && Number.isNaN(X[i * K + k])) ok = false;
    if (ok) rows.push(i);
    else notCoded++;
  }
  const n = rows.length;
  if (n === 0) throw new FacrInputError(`no labelled, coded frame to induce from (${unlabelled} unlabelled, ${notCoded} not coded)`, { field: "labels.y" });
  const mean = new Float64Array(K);
  const sd = new Float64Array(K);
  for (const i of rows) for (let k = 0; k < K; k++) if (coded[k]) mean[k] += X[i * K + k];
  for (let k = 0; k < K; k++) mean[k] /= n;
  for (const i of rows) for (let k = 0; k < K; k++) if (coded[k]) sd[k] += (X[i * K + k] - mean[k]) ** 2;
  const active = new Uint8Array(K);
  const constantAus: string[] = [];
  for (let k = 0; k < K; k++) {
    sd[k] = Math.sqrt(sd[k] / n);
    if (!coded[k]) continue;
    // relative to the scale of the values: float32 input cannot resolve less
    if (sd[k] > 1e-6 * Math.max(1, Math.abs(mean[k]))) active[k] = 1;
    else constantAus.push(data.aus[k]);
  }
  const columns = data.aus.map((_, k) => {
    const col = new Float64Array(n);
    if (active[k]) rows.forEach((i, r) => (col[r] = (X[i * K + k] - mean[k]) / sd[k]));
    return col;
  });
  return {
    design: { columns, n },
    active,
    rows: Int32Array.from(rows),
    rowLabels: Int32Array.from(rows, (i) => labels.y[i]),
    excluded: { unlabelled, notCoded, constantAus, uncodedAus },
  };
}

export interface Contrast {
  design: Design;
  /** 1 for frames of the class, 0 for the frames it is contrasted with. */
  y: Float64Array;
  /** Design rows used (null: all). */
  rows: Int32Array | null;
}

/** Class `ci` against every other class, or against the baseline class alone when one is set. */
export function contrastFor(design: Design, rowLabels: Int32Array, ci: number, baseline: number, name: string, baselineName: string | null): Contrast {
  let rows: Int32Array | null = null;
  let sub = design;
  if (baseline >= 0 && ci !== baseline) {
    const picked: number[] = [];
    rowLabels.forEach((l, r) => {
      if (l === ci || l === baseline) picked.push(r);
    });
    const kept = Int32Array.from(picked);
    sub = { columns: design.columns.map((col) => Float64Array.from(kept, (r) => col[r])), n: kept.length };
    rows = kept;
  }
  const y = rows ? Float64Array.from(rows, (r) => (rowLabels[r] === ci ? 1 : 0)) : Float64Array.from(rowLabels, (l) => (l === ci ? 1 : 0));
  const pos = y.reduce((s, v) => s + v, 0);
  if (pos === 0 || pos === y.length) {
    const against = rows ? `the baseline "${baselineName}"` : "the other classes";
    throw new FacrInputError(
      pos === 0
        ? `cannot induce edges for "${name}": none of the labelled, coded frames belongs to it`
        : `cannot induce edges for "${name}": no labelled, coded frame of ${against} to contrast it with`,
      { field: "classes" },
    );
  }
  return { design: sub, y, rows };
}
