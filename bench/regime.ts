/**
 * What SynPain's regime knobs (spec §11.1, config.regime) do to the data, and
 * how long generation takes at each setting:
 *
 *   npx tsx bench/regime.ts [--profile smoke|quick|paper] [--seed N]
 *
 * Per (shortcutStrength s, auVisibility v): the AUROC of the "tension" cue and
 * of AU12 + AU25 + AU26 for the pain label, and the R² of a linear probe from the
 * model input x (normalized landmarks + appearance, src/model/features.ts) to
 * AU04 and AU06 intensity, in-sample and trained on half the subjects / scored
 * on the others. Then, per auLabelNoise η, the share of AU annotations that
 * differ from the truth. Numbers describe the data; nothing is asserted.
 */
import { UNBC_AUS } from "../src/au/registry";
import type { Dataset } from "../src/data/dataset";
import { generateSynPain } from "../src/data/synpain";
import { ascendingOrder, weightedAuc } from "../src/faithfulness/auc";
import { extractFeatures } from "../src/model/features";
import { checkProfile } from "../src/util/config";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const profile = checkProfile(arg("profile") ?? "paper");
const seed = Number(arg("seed") ?? 1);

const auroc = (score: ArrayLike<number>, y: ArrayLike<number>) => weightedAuc(ascendingOrder(score), score, y);

function auColumn(ds: Dataset, code: string): Float64Array {
  const K = ds.aus.length;
  const k = ds.aus.indexOf(code);
  return Float64Array.from({ length: ds.size }, (_, i) => ds.intensities[i * K + k]);
}

/** R² on `test` of a ridge probe (standardized x, penalty `lambda` · rows) fitted on `train`. */
function probeR2(x: Float32Array, D: number, y: Float64Array, train: number[], test: number[], lambda: number): number {
  const mean = new Float64Array(D), sd = new Float64Array(D);
  for (const i of train) for (let d = 0; d < D; d++) mean[d] += x[i * D + d] / train.length;
  for (const i of train) for (let d = 0; d < D; d++) sd[d] += (x[i * D + d] - mean[d]) ** 2 / train.length;
  for (let d = 0; d < D; d++) sd[d] = Math.sqrt(sd[d]) || 1;
  const P = D + 1;
  const r = new Float64Array(P);
  const row = (i: number) => {
    for (let d = 0; d < D; d++) r[d] = (x[i * D + d] - mean[d]) / sd[d];
    r[D] = 1;
  };
  const A = new Float64Array(P * P), b = new Float64Array(P);
  for (const i of train) {
    row(i);
    for (let p = 0; p < P; p++) {
      b[p] += r[p] * y[i];
      for (let q = 0; q <= p; q++) A[p * P + q] += r[p] * r[q];
    }
  }
  for (let p = 0; p < D; p++) A[p * P + p] += lambda * train.length;
  A[D * P + D] += 1e-9;
  const L = new Float64Array(P * P);
  for (let i = 0; i < P; i++) for (let j = 0; j <= i; j++) {
    let s = A[i * P + j];
    for (let m = 0; m < j; m++) s -= L[i * P + m] * L[j * P + m];
    L[i * P + j] = i === j ? Math.sqrt(s) : s / L[j * P + j];
  }
  const z = new Float64Array(P), w = new Float64Array(P);
  for (let i = 0; i < P; i++) { let s = b[i]; for (let m = 0; m < i; m++) s -= L[i * P + m] * z[m]; z[i] = s / L[i * P + i]; }
  for (let i = P - 1; i >= 0; i--) { let s = z[i]; for (let m = i + 1; m < P; m++) s -= L[m * P + i] * w[m]; w[i] = s / L[i * P + i]; }
  let ym = 0;
  for (const i of test) ym += y[i] / test.length;
  let sse = 0, sst = 0;
  for (const i of test) {
    row(i);
    let pred = 0;
    for (let p = 0; p < P; p++) pred += w[p] * r[p];
    sse += (y[i] - pred) ** 2;
    sst += (y[i] - ym) ** 2;
  }
  return 1 - sse / sst;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "—");
console.log(`SynPain regime (profile ${profile}, seed ${seed})`);
console.log("s     v     frames  gen s  tension AUROC  AU12+25+26 AUROC  R² AU04 in / held-out  R² AU06 in / held-out");
for (const s of [0, 0.5, 1]) {
  for (const v of [1, 0.5, 0.25]) {
    const t0 = performance.now();
    const ds = generateSynPain({ seed, profile, config: { regime: { shortcutStrength: s, auVisibility: v } } });
    const seconds = (performance.now() - t0) / 1000;
    const y = ds.labels!.y;
    const names = ds.appearance!.names;
    const F = names.length;
    const f = names.indexOf("tension");
    const tension = f < 0 ? NaN : auroc(Float64Array.from({ length: ds.size }, (_, i) => ds.appearance!.data[i * F + f]), y);
    const a12 = auColumn(ds, "AU12"), a25 = auColumn(ds, "AU25"), a26 = auColumn(ds, "AU26");
    const mouth = auroc(a12.map((x, i) => x + a25[i] + a26[i]), y);
    const { x, D } = extractFeatures(ds);
    const all = Array.from({ length: ds.size }, (_, i) => i);
    const subjects = [...new Set(ds.subjects)];
    const half = all.filter((i) => subjects.indexOf(ds.subjects[i]) % 2 === 0);
    const other = all.filter((i) => subjects.indexOf(ds.subjects[i]) % 2 === 1);
    const r2 = (code: string) => {
      const t = auColumn(ds, code);
      return `${fmt(probeR2(x, D, t, all, all, 1e-4))} / ${fmt(probeR2(x, D, t, half, other, 1e-2))}`;
    };
    console.log(`${s.toFixed(2)}  ${v.toFixed(2)}  ${String(ds.size).padStart(6)}  ${seconds.toFixed(2).padStart(5)}  ${fmt(tension).padStart(13)}  ${fmt(mouth).padStart(16)}  ${r2("AU04").padStart(21)}  ${r2("AU06").padStart(21)}`);
  }
}
console.log("η     annotation ≠ truth  (share of all", UNBC_AUS.length, "AU cells)  gen s");
for (const eta of [0, 0.1, 0.2, 0.4]) {
  const t0 = performance.now();
  const ds = generateSynPain({ seed, profile, config: { regime: { auLabelNoise: eta } } });
  const seconds = (performance.now() - t0) / 1000;
  const truth = ds.meta.truth!.intensities!;
  let differ = 0;
  for (let j = 0; j < truth.length; j++) if (truth[j] !== ds.intensities[j]) differ++;
  console.log(`${eta.toFixed(2)}  ${(differ / truth.length).toFixed(4)}  ${seconds.toFixed(2)}`);
}
