import { aucFromGroups, ascendingOrder, GroupAuc, groupAuc, weightedAuc } from "../faithfulness/auc";
import { Interval, intervalsOf, pairedBootstrap, subjectResampler } from "../util/bootstrap";
import { Rng, Seed } from "../util/random";
import { argmaxRows } from "./score";

/**
 * Detection / recognition quality of a classifier's probabilities, with per-sample
 * weights so a subject bootstrap only reweights (like `AgreementTable`).
 *
 * - accuracy: argmax equals the label;
 * - macroF1: mean over classes of F1 (one-vs-rest, argmax decisions);
 * - f1: F1 of the positive class (index 1) for two classes, else macroF1;
 * - auc: AUROC of p(class 1) for two classes, else the mean one-vs-rest AUROC.
 */
export interface Detection {
  accuracy: number;
  macroF1: number;
  f1: number;
  auc: number;
}

export const DETECTION_KEYS: readonly (keyof Detection)[] = ["accuracy", "macroF1", "f1", "auc"];

export class DetectionTable {
  readonly N: number;
  readonly C: number;
  readonly predicted: Int32Array;
  private readonly y: Int32Array;
  /** Per AUC class (class 1 for two classes, else every class): scores, their ascending order, positives. */
  private readonly scores: Float32Array[];
  private readonly orders: Uint32Array[];
  private readonly positives: Uint8Array[];

  constructor(probs: Float32Array, y: Int32Array, C: number) {
    const N = y.length;
    if (probs.length !== N * C) throw new Error(`DetectionTable: ${probs.length} probabilities for ${N} samples × ${C} classes`);
    this.N = N;
    this.C = C;
    this.y = y;
    this.predicted = argmaxRows(probs, C);
    const classes = C === 2 ? [1] : Array.from({ length: C }, (_, c) => c);
    this.scores = classes.map((c) => Float32Array.from({ length: N }, (_, i) => probs[i * C + c]));
    this.orders = this.scores.map(ascendingOrder);
    this.positives = classes.map((c) => Uint8Array.from(y, (v) => (v === c ? 1 : 0)));
  }

  summarize(weights?: ArrayLike<number>): Detection {
    const { N, C, y, predicted } = this;
    const tp = new Float64Array(C);
    const fp = new Float64Array(C);
    const fn = new Float64Array(C);
    let correct = 0;
    let total = 0;
    for (let i = 0; i < N; i++) {
      const w = weights ? weights[i] : 1;
      if (w === 0) continue;
      total += w;
      if (predicted[i] === y[i]) {
        correct += w;
        tp[y[i]] += w;
      } else {
        fp[predicted[i]] += w;
        fn[y[i]] += w;
      }
    }
    const aucs = this.orders.map((order, j) => weightedAuc(order, this.scores[j], this.positives[j], weights && ((i) => weights[i])));
    return combine(correct, total, tp, fp, fn, aucs);
  }

  /** Per-group sufficient statistics (`groupOf[i]` ∈ [0, nGroups)), for fast subject bootstraps. */
  grouped(groupOf: Int32Array, nGroups: number): GroupedDetection {
    const { N, C, y, predicted } = this;
    const tp = new Float64Array(nGroups * C);
    const fp = new Float64Array(nGroups * C);
    const fn = new Float64Array(nGroups * C);
    const correct = new Float64Array(nGroups);
    const total = new Float64Array(nGroups);
    for (let i = 0; i < N; i++) {
      const g = groupOf[i];
      total[g]++;
      if (predicted[i] === y[i]) {
        correct[g]++;
        tp[g * C + y[i]]++;
      } else {
        fp[g * C + predicted[i]]++;
        fn[g * C + y[i]]++;
      }
    }
    const aucs = this.orders.map((order, j) => groupAuc(order, this.scores[j], this.positives[j], (i) => groupOf[i], nGroups));
    return new GroupedDetection(nGroups, C, { tp, fp, fn, correct, total }, aucs);
  }

  /** Confusion matrix [true][predicted] (counts). */
  confusion(): number[][] {
    const m = Array.from({ length: this.C }, () => new Array<number>(this.C).fill(0));
    for (let i = 0; i < this.N; i++) m[this.y[i]][this.predicted[i]]++;
    return m;
  }
}

export class GroupedDetection {
  constructor(
    readonly nGroups: number,
    readonly C: number,
    private readonly st: { tp: Float64Array; fp: Float64Array; fn: Float64Array; correct: Float64Array; total: Float64Array },
    private readonly aucs: GroupAuc[],
  ) {}

  summarize(counts?: ArrayLike<number>): Detection {
    const { nGroups, C, st } = this;
    const w = (g: number) => (counts ? counts[g] : 1);
    let correct = 0;
    let total = 0;
    const tp = new Float64Array(C);
    const fp = new Float64Array(C);
    const fn = new Float64Array(C);
    for (let g = 0; g < nGroups; g++) {
      const wg = w(g);
      if (wg === 0) continue;
      correct += wg * st.correct[g];
      total += wg * st.total[g];
      for (let c = 0; c < C; c++) {
        tp[c] += wg * st.tp[g * C + c];
        fp[c] += wg * st.fp[g * C + c];
        fn[c] += wg * st.fn[g * C + c];
      }
    }
    return combine(correct, total, tp, fp, fn, this.aucs.map((a) => aucFromGroups(a, counts)));
  }
}

function combine(correct: number, total: number, tp: Float64Array, fp: Float64Array, fn: Float64Array, aucs: number[]): Detection {
  const C = tp.length;
  const f1s = Array.from({ length: C }, (_, c) => (2 * tp[c] + fp[c] + fn[c] ? (2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]) : NaN));
  const present = f1s.filter((v) => !Number.isNaN(v));
  const macroF1 = present.length ? present.reduce((a, b) => a + b, 0) / present.length : NaN;
  const finiteAucs = aucs.filter((v) => !Number.isNaN(v));
  return {
    accuracy: total ? correct / total : NaN,
    macroF1,
    f1: C === 2 ? f1s[1] : macroF1,
    auc: finiteAucs.length ? finiteAucs.reduce((a, b) => a + b, 0) / finiteAucs.length : NaN,
  };
}

/** Every detection measure with a percentile bootstrap CI over subjects. */
export function detectionCI(
  table: DetectionTable,
  subjects: readonly string[],
  opts: { resamples?: number; level?: number; seed?: Seed } = {},
): Record<keyof Detection, Interval> {
  const r = subjectResampler(subjects);
  const grouped = table.grouped(r.unitOf, r.nUnits);
  const boot = pairedBootstrap(r, (counts) => grouped.summarize(counts), {
    resamples: opts.resamples ?? 1000,
    level: opts.level ?? 0.95,
    rng: new Rng(opts.seed ?? 0).fork("detectionCI"),
    estimate: table.summarize(),
  });
  return intervalsOf(boot, DETECTION_KEYS);
}
