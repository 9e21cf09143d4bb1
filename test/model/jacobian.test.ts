import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { classLogOdds } from "../../src/faithfulness/effects";
import { makeGraph } from "../../src/graph/graph";
import { Reasoner } from "../../src/model/reasoner";
import { rrrPenalty } from "../../src/train/rrr";
import { Rng } from "../../src/util/random";

/**
 * The analytic z-Jacobian of the head (forward-mode tangent through the ReLU
 * MLP) and the log-odds input gradient of L_rrr, against central finite
 * differences. The head is piecewise linear in z, so a central difference of
 * the logits is exact up to float32 rounding unless a ReLU kink lies within
 * ±eps; such (sample, AU) pairs are recognised by their forward and backward
 * differences of the logits disagreeing, and left out (most pairs must remain).
 * The log-odds add an O(eps²) truncation error.
 */
const AUS = ["AU01", "AU02", "AU04", "AU06"];
const CLASSES = ["a", "b", "c"];
const G = makeGraph({
  aus: AUS,
  classes: CLASSES,
  // AU04 irrelevant everywhere; AU01 irrelevant to c, AU06 irrelevant to a
  polarity: [
    [1, -1, 0],
    [-1, 1, 1],
    [0, 0, 0],
    [0, 1, -1],
  ],
  provenance: { kind: "custom", source: "test" },
});

const EPS = 1e-3;

function inputs(N: number, K: number, d: number, seed: number) {
  const rng = new Rng(seed);
  const z = tf.tensor2d(Float32Array.from({ length: N * K }, () => rng.uniform(0.1, 0.9)), [N, K]);
  const h = tf.tensor2d(Float32Array.from({ length: N * d }, () => rng.normal(0, 1)), [N, d]);
  return { z, h };
}

function reasoner(headHidden: number[], bottleneckOnly = false, seed = 3) {
  return new Reasoner({ inputDim: 5, aus: AUS, classes: CLASSES, encoderHidden: [6], embeddingDim: 3, headHidden, bottleneckOnly, seed });
}

/**
 * Central differences of f(z) [N, C] in each z_k: fd [N, K, C] as nested
 * arrays, and smooth[n][k] = false where a ReLU kink of `head` lies within ±eps
 * of z_n in direction k (its forward and backward differences disagree).
 */
function finiteDifferenceZ(f: (z: tf.Tensor2D) => tf.Tensor2D, z: tf.Tensor2D, head: (z: tf.Tensor2D) => tf.Tensor2D): { fd: number[][][]; smooth: boolean[][] } {
  const [N, K] = z.shape;
  const fd: number[][][] = Array.from({ length: N }, () => Array.from({ length: K }, () => []));
  const smooth: boolean[][] = Array.from({ length: N }, () => []);
  for (let k = 0; k < K; k++) {
    const [up, down, hUp, hMid, hDown] = tf.tidy(() => {
      const e = tf.oneHot(tf.fill([N], k, "int32") as tf.Tensor1D, K).cast("float32").mul(EPS);
      const zu = z.add(e) as tf.Tensor2D;
      const zd = z.sub(e) as tf.Tensor2D;
      return [f(zu).arraySync(), f(zd).arraySync(), head(zu).arraySync(), head(z).arraySync(), head(zd).arraySync()];
    });
    for (let n = 0; n < N; n++) {
      fd[n][k] = up[n].map((u, c) => (u - down[n][c]) / (2 * EPS));
      smooth[n][k] = hMid[n].every((m, c) => Math.abs(hUp[n][c] - m - (m - hDown[n][c])) < 1e-5);
    }
  }
  return { fd, smooth };
}

/** Every entry with smooth[n][k] within abs + rel·|expected|; returns the share of (n, k) compared. */
function expectClose(actual: number[][][] | number[][], expected: number[][][] | number[][], rel: number, abs: number, smooth?: boolean[][]): number {
  let compared = 0;
  let total = 0;
  actual.forEach((rows, n) =>
    (rows as (number | number[])[]).forEach((row, k) => {
      total++;
      if (smooth && !smooth[n][k]) return;
      compared++;
      const a = ([] as number[]).concat(row);
      const e = ([] as number[]).concat(expected[n][k]);
      expect(a.length).toBe(e.length);
      a.forEach((x, c) => expect(Math.abs(x - e[c]), `[${n}][${k}][${c}]: ${x} vs finite difference ${e[c]}`).toBeLessThan(abs + rel * Math.abs(e[c])));
    }),
  );
  expect(compared / total).toBeGreaterThan(0.8);
  return compared / total;
}

describe("Reasoner.logitJacobianZ", () => {
  for (const [name, hidden, bottleneckOnly] of [
    ["two hidden layers", [8, 6], false],
    ["one hidden layer, bottleneck only", [7], true],
    ["no hidden layer (linear head)", [], false],
  ] as const) {
    it(`equals central finite differences of the logits: ${name}`, () => {
      const r = reasoner([...hidden], bottleneckOnly);
      const { z, h } = inputs(12, 4, 3, 7);
      const J = tf.tidy(() => r.logitJacobianZ(z, h).arraySync());
      expect([J.length, J[0].length, J[0][0].length]).toEqual([12, 4, 3]);
      const { fd, smooth } = finiteDifferenceZ((zz) => r.head(zz, h), z, (zz) => r.head(zz, h));
      expectClose(J, fd, 1e-3, 2e-4, smooth);
      // same logits as the head itself
      const same = tf.tidy(() => r.headWithJacobianZ(z, h).logits.sub(r.head(z, h)).abs().max().dataSync()[0]);
      expect(same).toBe(0);
      tf.dispose([z, h]);
      r.dispose();
    });
  }

  it("has power: the Jacobian without the ReLU masks (W_z·W_1·W_2) is far from the finite differences", () => {
    const r = reasoner([8, 6]);
    const { z, h } = inputs(12, 4, 3, 7);
    const fd = finiteDifferenceZ((zz) => r.head(zz, h), z, (zz) => r.head(zz, h)).fd.flat(2);
    const naive = tf.tidy(() => {
      const [w0, , w1, , w2] = r.variablesOf("head") as tf.Tensor[];
      const wz = w0.slice([0, 0], [4, -1]) as tf.Tensor2D;
      const prod = wz.matMul(w1 as tf.Tensor2D).matMul(w2 as tf.Tensor2D).arraySync();
      return Array.from({ length: 12 }, () => prod).flat(2) as number[];
    });
    const worst = Math.max(...fd.map((x, i) => Math.abs(x - naive[i])));
    expect(worst).toBeGreaterThan(0.05);
    tf.dispose([z, h]);
    r.dispose();
  });
});

describe("Reasoner.logOddsGradientZ", () => {
  for (const [name, hidden, bottleneckOnly] of [
    ["two hidden layers", [8, 6], false],
    ["bottleneck only", [7], true],
  ] as const) {
    it(`equals finite differences of the class log-odds ℓ_c, c = argmax and c = a given class: ${name}`, () => {
      const r = reasoner([...hidden], bottleneckOnly, 5);
      const N = 12;
      const { z, h } = inputs(N, 4, 3, 11);
      const { fd, smooth } = finiteDifferenceZ((zz) => classLogOdds(r.head(zz, h)), z, (zz) => r.head(zz, h)); // [N, K, C]
      const pred = tf.tidy(() => Array.from(r.head(z, h).argMax(1).dataSync()));
      expect(new Set(pred).size).toBeGreaterThan(1); // more than one predicted class among the rows
      const other = pred.map((c) => (c + 1) % 3);
      const g = tf.tidy(() => r.logOddsGradientZ(z, h).arraySync());
      const gOther = tf.tidy(() => r.logOddsGradientZ(z, h, tf.tensor1d(other, "int32")).arraySync());
      expectClose(g, fd.map((rows, n) => rows.map((c) => c[pred[n]])), 2e-3, 1e-3, smooth);
      expectClose(gOther, fd.map((rows, n) => rows.map((c) => c[other[n]])), 2e-3, 1e-3, smooth);
      tf.dispose([z, h]);
      r.dispose();
    });
  }

  it("two classes: ℓ_0 = l_0 − l_1, so ∂ℓ_0/∂z = J[:,:,0] − J[:,:,1]", () => {
    const r = new Reasoner({ inputDim: 5, aus: AUS, classes: ["a", "b"], encoderHidden: [6], embeddingDim: 3, headHidden: [5], seed: 2 });
    const { z, h } = inputs(6, 4, 3, 2);
    const [g, want] = tf.tidy(() => {
      const J = r.logitJacobianZ(z, h);
      const [j0, j1] = tf.unstack(J, 2);
      return [r.logOddsGradientZ(z, h, tf.zeros([6], "int32")).arraySync(), (j0.sub(j1) as tf.Tensor2D).arraySync()];
    });
    expectClose(g, want, 1e-5, 1e-6);
    tf.dispose([z, h]);
    r.dispose();
  });
});

describe("rrrPenalty", () => {
  it("is mean_i Σ_{k irrelevant for ĉ_i} (∂ℓ_ĉ/∂z_k)², by hand from the finite differences", () => {
    const r = reasoner([8, 6]);
    const N = 12;
    const { z, h } = inputs(N, 4, 3, 11);
    const { fd, smooth } = finiteDifferenceZ((zz) => classLogOdds(r.head(zz, h)), z, (zz) => r.head(zz, h));
    expect(smooth.flat().every((s) => s)).toBe(true); // a sum over every (n, k): needs no kink near z
    const pred = tf.tidy(() => Array.from(r.head(z, h).argMax(1).dataSync()));
    let want = 0;
    for (let n = 0; n < N; n++) for (let k = 0; k < 4; k++) if (G.polarity[k][pred[n]] === 0) want += fd[n][k][pred[n]] ** 2;
    want /= N;
    const got = tf.tidy(() => rrrPenalty(r, z, h, G).dataSync()[0]);
    expect(want).toBeGreaterThan(0);
    expect(Math.abs(got - want)).toBeLessThan(1e-3 * want + 1e-5);
    tf.dispose([z, h]);
    r.dispose();
  });

  it("its gradient with respect to head weights matches finite differences of the penalty", () => {
    for (const bottleneckOnly of [false, true]) {
      const r = reasoner([8, 6], bottleneckOnly, 5);
      const { z, h } = inputs(16, 4, 3, 13);
      const vars = r.variablesOf("head");
      const { grads } = tf.variableGrads(() => rrrPenalty(r, z, h, G), vars);
      const rng = new Rng(21);
      let checked = 0;
      for (const v of vars) {
        const g = grads[v.name].dataSync();
        // up to 3 entries per variable (every head weight and bias), drawn at random; an entry whose
        // ±eps bumps cross a ReLU kink or flip a predicted class (forward and backward differences
        // disagree) is redrawn
        let here = 0;
        for (let t = 0; t < 8 && here < 3; t++) {
          const i = Math.floor(rng.uniform(0, v.size));
          const original = v.clone();
          const at = (delta: number) => {
            tf.tidy(() => {
              const bump = tf.oneHot(tf.tensor1d([i], "int32"), v.size).cast("float32").reshape(v.shape).mul(delta);
              v.assign(original.add(bump));
            });
            return tf.tidy(() => rrrPenalty(r, z, h, G).dataSync()[0]);
          };
          const [up, mid, down] = [at(EPS), at(0), at(-EPS)];
          v.assign(original);
          original.dispose();
          const fd = (up - down) / (2 * EPS);
          const forward = (up - mid) / EPS;
          const backward = (mid - down) / EPS;
          if (Math.abs(forward - backward) > 0.05 * Math.abs(fd) + 5e-3) continue;
          expect(Math.abs(g[i] - fd), `${v.name}[${i}]: analytic ${g[i]}, finite difference ${fd}`).toBeLessThan(1e-2 * Math.abs(fd) + 2e-3);
          here++;
        }
        expect(here, v.name).toBeGreaterThanOrEqual(2);
        checked += here;
      }
      // the penalty depends on the weights at all (not a constant-zero gradient)
      expect(Math.max(...vars.map((v) => tf.tidy(() => grads[v.name].abs().max().dataSync()[0])))).toBeGreaterThan(1e-2);
      expect(checked).toBeGreaterThanOrEqual(2 * vars.length);
      tf.dispose(grads);
      tf.dispose([z, h]);
      r.dispose();
    }
  });

  it("leaks no tensors across repeated calls (values, Jacobians, gradients)", () => {
    const r = reasoner([8, 6]);
    const { z, h } = inputs(10, 4, 3, 1);
    const vars = r.variablesOf("head");
    const once = () => {
      const J = r.logitJacobianZ(z, h);
      const g = r.logOddsGradientZ(z, h);
      const p = rrrPenalty(r, z, h, G);
      const { value, grads } = tf.variableGrads(() => rrrPenalty(r, z, h, G), vars);
      tf.dispose([J, g, p, value]);
      tf.dispose(grads);
    };
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, h]);
    r.dispose();
  });
});
