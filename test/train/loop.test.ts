import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { FitEpoch, fitWithEarlyStopping } from "../../src/train/loop";
import { Rng } from "../../src/util/random";

/** One scalar weight pulled towards 3 by every step. */
function toy() {
  const w = tf.tidy(() => tf.variable(tf.scalar(0)));
  const step = (idx: number[], minimize: (loss: () => tf.Scalar) => void) => {
    minimize(() => w.sub(3).square() as tf.Scalar);
    return { values: [idx.length, 2 * idx.length], weight: idx.length };
  };
  return { w, step, value: () => w.dataSync()[0] };
}

describe("train/loop.ts fitWithEarlyStopping", () => {
  it("draws each epoch's order from new Rng(seed).fork(label) and keeps weighted means of the step values", () => {
    const { w, value } = toy();
    const seen: number[][] = [];
    const epochs: FitEpoch[] = [];
    const res = fitWithEarlyStopping({
      epochs: 3,
      rows: 5,
      batchSize: 2,
      seed: 4,
      shuffleLabel: "test-batches",
      learningRate: 0.1,
      variables: [w],
      step: (idx, minimize) => {
        seen.push(idx);
        minimize(() => w.sub(3).square() as tf.Scalar);
        return { values: [idx.length, idx[0]], weight: idx.length };
      },
      onEpoch: (e) => epochs.push(e),
    });
    const rng = new Rng(4).fork("test-batches");
    const expected = [1, 2, 3].flatMap(() => {
      const order = rng.shuffle([0, 1, 2, 3, 4]);
      return [order.slice(0, 2), order.slice(2, 4), order.slice(4)];
    });
    expect(seen).toEqual(expected);
    expect(res).toMatchObject({ epochs: 3, steps: 9, weight: 15, bestEpoch: 0 });
    expect(epochs.map((e) => e.means[0])).toEqual([1.8, 1.8, 1.8]); // (2·2 + 2·2 + 1·1) / 5
    expect(epochs[0].means[1]).toBe((seen[0][0] * 2 + seen[1][0] * 2 + seen[2][0]) / 5);
    expect(epochs.every((e) => !e.best && Number.isNaN(e.validation))).toBe(true);
    expect(value()).toBeGreaterThan(0);
    w.dispose();
  });

  it("stops after `patience` epochs without improvement and restores the best epoch's weights; nothing leaks", () => {
    const before = tf.memory().numTensors;
    const { w, step, value } = toy();
    const scripted = [5, 3, 3.0000001, 4, 2, 9];
    const atEpoch: number[] = [];
    const epochs: FitEpoch[] = [];
    let v = 0;
    const res = fitWithEarlyStopping({
      epochs: 6,
      rows: 4,
      batchSize: 4,
      seed: 0,
      shuffleLabel: "b",
      learningRate: 0.1,
      variables: [w],
      step,
      earlyStopping: { patience: 2, validate: () => scripted[v++], snapshot: () => [w.clone()], restore: ([s]) => w.assign(s as tf.Scalar) },
      onEpoch: (e) => {
        epochs.push(e);
        atEpoch.push(value());
      },
    });
    // epoch 3 is not better by more than 1e-6; epochs 3 and 4 make 2 without improvement: stop before 5
    expect(res.epochs).toBe(4);
    expect(res.bestEpoch).toBe(2);
    expect(epochs.map((e) => e.best)).toEqual([true, true, false, false]);
    expect(epochs.map((e) => e.validation)).toEqual([5, 3, 3.0000001, 4]);
    expect(value()).toBe(atEpoch[1]);
    expect(atEpoch[3]).not.toBe(atEpoch[1]);
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("watches monitorTraining(means) without validation", () => {
    const { w, step } = toy();
    const epochs: FitEpoch[] = [];
    const res = fitWithEarlyStopping({
      epochs: 5,
      rows: 3,
      batchSize: 2,
      seed: 0,
      shuffleLabel: "b",
      learningRate: 0.1,
      variables: [w],
      step,
      earlyStopping: { patience: 1, monitorTraining: ([n]) => n, snapshot: () => [w.clone()], restore: ([s]) => w.assign(s as tf.Scalar) },
      onEpoch: (e) => epochs.push(e),
    });
    // the mean batch size never changes: only epoch 1 improves, patience 1 stops after epoch 2
    expect(res.epochs).toBe(2);
    expect(epochs.map((e) => e.best)).toEqual([true, false]);
    w.dispose();
  });

  it("frees the optimizer and the kept weights when a step throws", () => {
    const before = tf.memory().numTensors;
    const { w, step } = toy();
    let calls = 0;
    expect(() =>
      fitWithEarlyStopping({
        epochs: 5,
        rows: 2,
        batchSize: 1,
        seed: 0,
        shuffleLabel: "b",
        learningRate: 0.1,
        variables: [w],
        step: (idx, minimize) => {
          if (++calls === 4) throw new Error("boom");
          return step(idx, minimize);
        },
        earlyStopping: { patience: 3, monitorTraining: () => -calls, snapshot: () => [w.clone()], restore: ([s]) => w.assign(s as tf.Scalar) },
      }),
    ).toThrow("boom");
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
