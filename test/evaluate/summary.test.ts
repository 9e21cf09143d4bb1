import { describe, expect, it } from "vitest";
import { poolEvaluations } from "../../src/evaluate/pool";
import { summarizeArms } from "../../src/evaluate/summary";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";
import { refAgreement } from "../faithfulness/reference";

/**
 * summarizeArms — the paired subject bootstrap behind every C1–C4 number —
 * against a slow twin that materialises each resample: the drawn subjects'
 * rows copied as many times as drawn, every measure recomputed from scratch
 * (explicit sets for agreement, pair counting for AUC), intervals by sorting.
 */

const G = pspiGraph();
const K = G.aus.length;
const C = G.classes.length;

function refDetection(probs: number[][], y: number[]) {
  const pred = probs.map((p) => (p[1] > p[0] ? 1 : 0));
  const n = y.length;
  const correct = y.filter((v, i) => pred[i] === v).length;
  const f1Of = (c: number) => {
    const tp = y.filter((v, i) => v === c && pred[i] === c).length;
    const fp = y.filter((v, i) => v !== c && pred[i] === c).length;
    const fn = y.filter((v, i) => v === c && pred[i] !== c).length;
    return 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : NaN;
  };
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) for (let j = 0; j < n; j++) if (y[j] === 0) {
    pairs++;
    wins += probs[i][1] > probs[j][1] ? 1 : probs[i][1] === probs[j][1] ? 0.5 : 0;
  }
  const f1s = [f1Of(0), f1Of(1)].filter((v) => !Number.isNaN(v));
  return { accuracy: correct / n, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length, f1: f1Of(1), auc: pairs ? wins / pairs : NaN };
}

function refQuantile(xs: number[], q: number): number {
  const s = xs.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  return s[Math.floor(pos)] + (s[Math.ceil(pos)] - s[Math.floor(pos)]) * (pos - Math.floor(pos));
}

/** Two arms' random rows over 6 subjects; float32-exact values so both sides read the same numbers. */
function fixture() {
  const rng = new Rng("summary-twin");
  const N = 48;
  const subjects = Array.from({ length: N }, (_, i) => `s${(i * 5) % 6}`);
  const y = Int32Array.from({ length: N }, () => (rng.next() < 0.4 ? 1 : 0));
  const arm = (bias: number) => {
    const probs = new Float32Array(N * C);
    for (let i = 0; i < N; i++) {
      const p = Math.fround(Math.min(0.99, Math.max(0.01, 0.3 + bias * y[i] + 0.4 * (rng.next() - 0.5))));
      probs[i * C] = Math.fround(1 - p);
      probs[i * C + 1] = p;
    }
    const effects = Float32Array.from({ length: N * K * C }, () => Math.fround(2 * (rng.next() - 0.5) * (rng.next() < 0.5 ? 1.5 : 0.3)));
    return poolEvaluations([{ ev: { probs, effects: [effects] }, y, subjects }], K, C);
  };
  return { N, subjects, y, pooled: { a: arm(0.4), b: arm(0.1) } };
}

describe("summarizeArms (paired subject bootstrap)", () => {
  it("equals a slow twin that copies the drawn subjects' rows, for every measure, arm and difference", () => {
    const { N, subjects, y, pooled } = fixture();
    const tau = 0.5;
    const resamples = 60;
    const seed = 7;
    const out = summarizeArms(pooled, { G }, { tau, resamples, seed });

    // the same draws, made by hand: subjects in order of first appearance, rng.int(6) six times per resample
    const names = [...new Set(subjects)];
    const rng = new Rng(seed).fork("summariseArms");
    const measure = (arm: "a" | "b", rows: number[]) => {
      const p = pooled[arm];
      const probs = rows.map((i) => Array.from(p.probs.subarray(i * C, (i + 1) * C)));
      const eff = rows.map((i) => Array.from({ length: K }, (_, k) => Array.from({ length: C }, (_, c) => p.effects[0][(i * K + k) * C + c])));
      const pred = probs.map((q) => (q[1] > q[0] ? 1 : 0));
      const agr = Object.entries(refAgreement(eff, pred, G, tau)).map(([k, v]) => [`agreement|${k}`, v]);
      const det = Object.entries(refDetection(probs, rows.map((i) => y[i]))).map(([k, v]) => [`detection|${k}`, v]);
      return Object.fromEntries([...agr, ...det]) as Record<string, number>;
    };
    const reps: Record<string, number[]> = {};
    for (let b = 0; b < resamples; b++) {
      const rows: number[] = [];
      for (let d = 0; d < names.length; d++) {
        const s = names[rng.int(names.length)];
        for (let i = 0; i < N; i++) if (subjects[i] === s) rows.push(i);
      }
      for (const arm of ["a", "b"] as const) for (const [k, v] of Object.entries(measure(arm, rows))) (reps[`${arm}|${k}`] ??= []).push(v);
    }
    const all = Array.from({ length: N }, (_, i) => i);
    const full = { a: measure("a", all), b: measure("b", all) };
    for (const arm of ["a", "b"] as const) {
      for (const k of ["kappa", "jaccard", "precision", "recall", "f1", "polarityAccuracy", "auroc", "invokedRate"] as const) {
        const got = out.arms[arm].agreement.G[k];
        expect(got.estimate).toBeCloseTo(full[arm][`agreement|${k}`], 9);
        expect(got.lo).toBeCloseTo(refQuantile(reps[`${arm}|agreement|${k}`], 0.025), 9);
        expect(got.hi).toBeCloseTo(refQuantile(reps[`${arm}|agreement|${k}`], 0.975), 9);
      }
      for (const k of ["accuracy", "macroF1", "f1", "auc"] as const) {
        const got = out.arms[arm].detection[k];
        expect(got.estimate).toBeCloseTo(full[arm][`detection|${k}`], 9);
        expect(got.lo).toBeCloseTo(refQuantile(reps[`${arm}|detection|${k}`], 0.025), 9);
        expect(got.hi).toBeCloseTo(refQuantile(reps[`${arm}|detection|${k}`], 0.975), 9);
      }
    }
    // paired difference a − b: the quantiles of per-draw differences, not a difference of quantiles
    const dk = reps["a|agreement|kappa"].map((v, i) => v - reps["b|agreement|kappa"][i]);
    const d = out.differences["a-b"]["agreement|G|kappa"];
    expect(d.estimate).toBeCloseTo(full.a["agreement|kappa"] - full.b["agreement|kappa"], 9);
    expect(d.lo).toBeCloseTo(refQuantile(dk, 0.025), 9);
    expect(d.hi).toBeCloseTo(refQuantile(dk, 0.975), 9);
    const da = reps["a|detection|auc"].map((v, i) => v - reps["b|detection|auc"][i]);
    expect(out.differences["a-b"]["detection|auc"].lo).toBeCloseTo(refQuantile(da, 0.025), 9);
    expect(out.differences["b-a"]["detection|auc"].estimate).toBeCloseTo(full.b["detection|auc"] - full.a["detection|auc"], 9);
  });
});

describe("summarizeArms (hierarchical bootstrap, per-row graphs, decision-level extras)", () => {
  /** One arm over two seeds × 4 subjects, with z, truth, fixed-channel probabilities and ERASER values. */
  function hierFixture() {
    const rng = new Rng("summary-hier");
    const perSeed = 24;
    const parts = [1, 2].map((seed) => {
      const subjects = Array.from({ length: perSeed }, (_, i) => `s${i % 4}`);
      const y = Int32Array.from({ length: perSeed }, () => (rng.next() < 0.5 ? 1 : 0));
      const probsOf = (bias: number) => {
        const probs = new Float32Array(perSeed * C);
        for (let i = 0; i < perSeed; i++) {
          const p = Math.fround(Math.min(0.99, Math.max(0.01, 0.3 + bias * y[i] + 0.5 * (rng.next() - 0.5))));
          probs[i * C] = Math.fround(1 - p);
          probs[i * C + 1] = p;
        }
        return probs;
      };
      const effects = Float32Array.from({ length: perSeed * K * C }, () => Math.fround(2 * (rng.next() - 0.5) * (rng.next() < 0.5 ? 1.5 : 0.3)));
      const z = Float32Array.from({ length: perSeed * K }, () => Math.fround(rng.next()));
      const truth = Uint8Array.from({ length: perSeed * K }, (_, j) => (z[j] + 0.6 * (rng.next() - 0.5) > 0.5 ? 1 : 0));
      const comprehensiveness = Float32Array.from({ length: perSeed }, () => Math.fround(rng.next() - 0.3));
      const sufficiency = Float32Array.from({ length: perSeed }, () => Math.fround(rng.next() - 0.6));
      return {
        ev: { probs: probsOf(0.4), effects: [effects, effects], z, probsHFixed: probsOf(0.2), probsZFixed: probsOf(0.05), comprehensiveness, sufficiency },
        y,
        subjects,
        cluster: seed,
        truth,
      };
    });
    return { parts, pooled: poolEvaluations(parts, K, C) };
  }

  function refAuc(score: number[], pos: boolean[]): number {
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < score.length; i++) if (pos[i]) for (let j = 0; j < score.length; j++) if (!pos[j]) {
      pairs++;
      wins += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
    }
    return pairs ? wins / pairs : NaN;
  }

  it("equals a slow twin that draws seeds, then subjects within each, and copies their rows", () => {
    const { parts, pooled } = hierFixture();
    const N = pooled.N;
    const tau = 0.5;
    const tauScale = 0.5;
    const resamples = 40;
    const seed = 3;
    // the graph slot "Gs" is a different graph per seed: G for seed 1, its complement-like mirror for seed 2
    const G2 = { ...G, polarity: G.polarity.map((row) => row.map((p) => (p === 0 ? (1 as const) : (0 as const)))) } as typeof G;
    const graphOfRow = (row: number) => (pooled.clusters![row] === 1 ? G : G2);
    const out = summarizeArms({ a: pooled }, { G, Gs: (_arm, row) => graphOfRow(row) }, { tau, resamples, seed, tauScale });
    const s = out.arms.a;

    const rows = Array.from({ length: N }, (_, i) => i);
    const eff = (i: number) => Array.from({ length: K }, (_, k) => Array.from({ length: C }, (_, c) => pooled.effects[0][(i * K + k) * C + c]));
    const pred = (i: number) => (pooled.probs[i * C + 1] > pooled.probs[i * C] ? 1 : 0);
    // τ_arm = tauScale × median |Δ| over G-causal pairs at the predicted class
    const causalAbs: number[] = [];
    for (const i of rows) for (let k = 0; k < K; k++) if (G.polarity[k][pred(i)] !== 0) causalAbs.push(Math.abs(eff(i)[k][pred(i)]));
    const tauArm = tauScale * refQuantile(causalAbs, 0.5);
    expect(s.scaledTau!.tau).toBeCloseTo(tauArm, 6);

    const measure = (rs: number[]) => {
      const e = rs.map(eff);
      const p = rs.map(pred);
      const kappaG = refAgreement(e, p, G, tau).kappa;
      // per-row graphs: the agreement of the rows of each seed against their own graph, pooled — computed via counts
      let tp = 0, fp = 0, fn = 0, tn = 0;
      rs.forEach((i, j) => {
        const g = graphOfRow(i);
        for (let k = 0; k < K; k++) {
          const inv = Math.abs(e[j][k][p[j]]) >= tau;
          const cau = g.polarity[k][p[j]] !== 0;
          if (inv && cau) tp++;
          else if (inv) fp++;
          else if (cau) fn++;
          else tn++;
        }
      });
      const n = tp + fp + fn + tn;
      const pI = (tp + fp) / n, pR = (tp + fn) / n;
      const pe = pI * pR + (1 - pI) * (1 - pR);
      const kappaGs = pI === 0 || pI === 1 || pR === 0 || pR === 1 ? 0 : ((tp + tn) / n - pe) / (1 - pe);
      const yy = rs.map((i) => pooled.y[i] === 1);
      const aucOf = (probs: Float32Array) => refAuc(rs.map((i) => probs[i * C + 1]), yy);
      const mean = (xs: Float32Array) => rs.reduce((t, i) => t + xs[i], 0) / rs.length;
      const auRec = Array.from({ length: K }, (_, k) => refAuc(rs.map((i) => pooled.extras.z![i * K + k]), rs.map((i) => pooled.extras.truth![i * K + k] === 1))).filter(Number.isFinite);
      return {
        kappaG,
        kappaGs,
        scaledKappa: refAgreement(e, p, G, tauArm).kappa,
        auc: aucOf(pooled.probs),
        hFixedAuc: aucOf(pooled.extras.probsHFixed!),
        zFixedAuc: aucOf(pooled.extras.probsZFixed!),
        comp: mean(pooled.extras.comprehensiveness!),
        suff: mean(pooled.extras.sufficiency!),
        auRecovery: auRec.reduce((t, v) => t + v, 0) / auRec.length,
      };
    };
    // the draws by hand: 2 cluster draws; within each drawn seed, 4 subject draws (units in first-appearance order)
    const rng = new Rng(seed).fork("summariseArms");
    const units = [1, 2].map((c) => ["s0", "s1", "s2", "s3"].map((subj) => rows.filter((i) => pooled.clusters![i] === c && pooled.subjects[i] === subj)));
    const reps: Record<string, number[]> = {};
    for (let b = 0; b < resamples; b++) {
      const drawn: number[] = [];
      for (let d = 0; d < 2; d++) {
        const u = units[rng.int(2)];
        for (let e = 0; e < u.length; e++) drawn.push(...u[rng.int(u.length)]);
      }
      for (const [k, v] of Object.entries(measure(drawn))) (reps[k] ??= []).push(v);
    }
    const full = measure(rows);
    const check = (got: { estimate: number; lo: number; hi: number }, key: keyof typeof full) => {
      expect(got.estimate).toBeCloseTo(full[key], 6);
      expect(got.lo).toBeCloseTo(refQuantile(reps[key], 0.025), 6);
      expect(got.hi).toBeCloseTo(refQuantile(reps[key], 0.975), 6);
    };
    check(s.agreement.G.kappa, "kappaG");
    check(s.agreement.Gs.kappa, "kappaGs");
    check(s.scaledTau!.agreement.kappa, "scaledKappa");
    check(s.detection.auc, "auc");
    check(s.channels!.hFixed.auc, "hFixedAuc");
    check(s.channels!.zFixed.auc, "zFixedAuc");
    check(s.eraser!.comprehensiveness, "comp");
    check(s.eraser!.sufficiency, "suff");
    check(s.auRecovery!.macro, "auRecovery");
    // per-seed values: the measures on one seed's rows alone
    expect(s.perCluster!.map((p) => p.cluster)).toEqual([1, 2]);
    parts.forEach((_, j) => {
      const own = rows.filter((i) => pooled.clusters![i] === j + 1);
      expect(s.perCluster![j].kappa.G).toBeCloseTo(measure(own).kappaG, 9);
      expect(s.perCluster![j].detection.auc).toBeCloseTo(measure(own).auc, 9);
    });
  });
});
