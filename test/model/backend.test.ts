import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { backendInfo } from "../../src/model/backend";

describe("backend selection", () => {
  it("selects a backend and reports it", () => {
    const info = backendInfo();
    expect(info).not.toBeNull();
    expect(["tensorflow", "wasm", "cpu"]).toContain(info!.name);
    expect(tf.getBackend()).toBe(info!.name);
  });

  it("multiplies transposed operands exactly like explicitly transposed ones (the wasm matMul patch)", () => {
    const a = tf.randomNormal([7, 5], 0, 1, "float32", 1);
    const b = tf.randomNormal([7, 3], 0, 1, "float32", 2);
    const c = tf.randomNormal([4, 5], 0, 1, "float32", 3);
    const d = tf.randomNormal([2, 7, 5], 0, 1, "float32", 4);
    const e = tf.randomNormal([2, 6, 5], 0, 1, "float32", 5);
    const close = (x: tf.Tensor, y: tf.Tensor) => {
      const [u, v] = [x.dataSync(), y.dataSync()];
      expect(x.shape).toEqual(y.shape);
      for (let i = 0; i < u.length; i++) expect(Math.abs(u[i] - v[i])).toBeLessThan(1e-5);
    };
    tf.tidy(() => {
      close(tf.matMul(a, b, true, false), a.transpose().matMul(b));
      close(tf.matMul(a, c, false, true), a.matMul(c.transpose()));
      close(tf.matMul(a.transpose(), c, true, true), a.matMul(c.transpose()));
      close(tf.matMul(d, e, false, true), tf.matMul(d, e.transpose([0, 2, 1])));
    });
    const before = tf.memory();
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        tf.matMul(a, b, true, false);
        tf.matMul(d, e, false, true);
      });
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect((after as unknown as { numDataBuffers: number }).numDataBuffers).toBe((before as unknown as { numDataBuffers: number }).numDataBuffers);
    tf.dispose([a, b, c, d, e]);
  });
});
