import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Head, interventionEffects } from "../../src/faithfulness/effects";
import { faithfulnessLoss } from "../../src/faithfulness/loss";
import { agreement, agreementCI } from "../../src/faithfulness/metric";
import { eraser, invokedMask } from "../../src/faithfulness/eraser";
import { makeGraph } from "../../src/graph/graph";
import { pspiGraph } from "../../src/graph/known";
import { Rng } from "../../src/util/random";

describe("tensor hygiene", () => {
  it("leaves tf.memory().numTensors unchanged across effects, agreement, ERASER and a loss-gradient step", () => {
    for (const G of [
      pspiGraph(),
      // class-dependent groups exercise the selection-matrix path
      makeGraph({
        aus: ["AU01", "AU04", "AU06"],
        classes: ["a", "b"],
        polarity: [[1, 0], [1, 1], [0, 1]],
        groups: { a: [["AU01", "AU04"]], b: [["AU04", "AU06"]] },
        provenance: { kind: "custom", source: "test" },
      }),
    ]) {
      const K = G.aus.length;
      const rng = new Rng(1);
      const W = tf.variable(tf.randomNormal([K + 2, 2], 0, 1, "float32", 1));
      const head: Head = (z, h) => tf.concat([z, h], 1).matMul(W) as tf.Tensor2D;
      const z = tf.tensor2d(Array.from({ length: 16 * K }, () => rng.next()), [16, K]);
      const h = tf.tensor2d(Array.from({ length: 32 }, () => rng.normal()), [16, 2]);
      const labels = Array.from({ length: 16 }, () => rng.int(2));
      const opt = tf.train.adam(0.01);
      // warm-up: the optimizer allocates its slots on the first step
      tf.dispose(opt.minimize(() => faithfulnessLoss(interventionEffects(head, z, h, G), labels, G), true) as tf.Scalar);

      const before = tf.memory().numTensors;
      const eff = interventionEffects(head, z, h, G);
      agreement(eff, labels, G);
      agreementCI(eff, labels, G, labels.map((_, i) => i % 4), { resamples: 20 });
      eraser(head, z, h, invokedMask(eff, labels));
      eff.dispose();
      tf.dispose(opt.minimize(() => faithfulnessLoss(interventionEffects(head, z, h, G), labels, G), true) as tf.Scalar);
      tf.dispose(interventionEffects(head, z, h, G, { chunkSize: 5 }));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([W, z, h]);
      opt.dispose();
    }
  });
});
