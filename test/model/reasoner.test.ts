import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { interventionEffects } from "../../src/faithfulness/effects";
import { pspiGraph } from "../../src/graph/known";
import { Reasoner } from "../../src/model/reasoner";

const G = pspiGraph();
const base = { inputDim: 12, aus: [...G.aus], classes: [...G.classes] };

describe("Reasoner", () => {
  it("maps x to z in [0,1]^K, h in R^d and logits [N, C]", () => {
    const r = new Reasoner({ ...base, embeddingDim: 5 });
    const x = tf.randomNormal([7, 12], 0, 1, "float32", 3) as tf.Tensor2D;
    const { z, h } = r.encode(x);
    expect(z.shape).toEqual([7, 11]);
    expect(h.shape).toEqual([7, 5]);
    const zv = z.dataSync();
    expect(Math.min(...zv)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...zv)).toBeLessThanOrEqual(1);
    expect(r.logits(x).shape).toEqual([7, 2]);
    tf.dispose([x, z, h]);
    r.dispose();
  });

  it("leaves no tensors behind once disposed", () => {
    const before = tf.memory().numTensors;
    const r = new Reasoner({ ...base, seed: 9 });
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("is deterministic per seed", () => {
    const a = new Reasoner({ ...base, seed: 4 });
    const b = new Reasoner({ ...base, seed: 4 });
    const c = new Reasoner({ ...base, seed: 5 });
    const x = tf.ones([2, 12]) as tf.Tensor2D;
    const [la, lb, lc] = [a, b, c].map((r) => tf.tidy(() => Array.from(r.logits(x).dataSync())));
    expect(la).toEqual(lb);
    expect(la).not.toEqual(lc);
    [a, b, c].forEach((r) => r.dispose());
    x.dispose();
  });

  it("bottleneck-only heads ignore h: effects equal, logits independent of h", () => {
    const r = new Reasoner({ ...base, bottleneckOnly: true });
    const z = tf.randomUniform([4, 11], 0, 1, "float32", 1) as tf.Tensor2D;
    const h1 = tf.randomNormal([4, 16], 0, 1, "float32", 2) as tf.Tensor2D;
    const h2 = tf.randomNormal([4, 16], 0, 5, "float32", 3) as tf.Tensor2D;
    const l1 = tf.tidy(() => Array.from(r.head(z, h1).dataSync()));
    const l2 = tf.tidy(() => Array.from(r.head(z, h2).dataSync()));
    expect(l1).toEqual(l2);
    tf.dispose([z, h1, h2]);
    r.dispose();
  });

  it("saves and loads to a directory with identical outputs and effects", async () => {
    const r = new Reasoner({ ...base, seed: 7, headHidden: [8, 8] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-reasoner-"));
    await r.save(dir, { note: "hello" });
    expect(fs.readdirSync(dir).sort()).toEqual(["reasoner.json", "weights.bin"]);
    const { reasoner: q, extra } = Reasoner.load(dir);
    expect(extra).toEqual({ note: "hello" });
    expect(q.config).toEqual(r.config);
    const x = tf.randomNormal([9, 12], 0, 1, "float32", 8) as tf.Tensor2D;
    const out = (m: Reasoner) =>
      tf.tidy(() => {
        const { z, h } = m.encode(x);
        return [Array.from(m.logits(x).dataSync()), Array.from(interventionEffects(m.head, z, h, G).dataSync())];
      });
    expect(out(q)).toEqual(out(r));
    x.dispose();
    r.dispose();
    q.dispose();
    expect(() => Reasoner.load(path.join(dir, "nope"))).toThrow(/reasoner.json missing/);
  });

  it("rejects bad configs by name", () => {
    expect(() => new Reasoner({ ...base, inputDim: 0 })).toThrow(/reasoner.inputDim/);
    expect(() => new Reasoner({ ...base, embedingDim: 3 } as never)).toThrow(/reasoner.embedingDim: unknown key/);
    expect(() => new Reasoner({ ...base, classes: ["a"] })).toThrow(/at least two classes/);
  });
});
