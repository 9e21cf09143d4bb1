import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { biasAdd } from "../../src/model/bias-add";

describe("biasAdd", () => {
  it("equals x + b, and its gradients equal those of tf.add (the bias one summed by a matMul)", () => {
    const x = tf.randomNormal([300, 7], 0, 1, "float32", 1) as tf.Tensor2D;
    const b = tf.variable(tf.randomNormal([7], 0, 1, "float32", 2));
    const w = tf.randomNormal([300, 7], 0, 1, "float32", 3);
    const before = tf.memory().numTensors;
    const grads = (f: (x: tf.Tensor2D, b: tf.Tensor) => tf.Tensor) => {
      const out = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => f(xx as tf.Tensor2D, bb).mul(w).sum())([x, b]);
      const arrays = out.map((g) => Array.from(g.dataSync()));
      tf.dispose(out);
      return arrays;
    };
    const [dxA, dbA] = grads((xx, bb) => biasAdd(xx, bb));
    const [dxB, dbB] = grads((xx, bb) => xx.add(bb));
    expect(tf.memory().numTensors).toBe(before);
    expect(dxA).toEqual(dxB);
    // dbB[j] = Σ_i w[i, j], worked out here in float64
    const wv = w.dataSync();
    dbA.forEach((v, j) => {
      let s = 0;
      for (let i = 0; i < 300; i++) s += wv[i * 7 + j];
      expect(v).toBeCloseTo(s, 3);
      expect(v).toBeCloseTo(dbB[j], 3);
    });
    const v = tf.tidy(() => biasAdd(x, b).sub(x.add(b)).abs().max().dataSync()[0]);
    expect(v).toBe(0);
    tf.dispose([x, b, w]);
  });
});
