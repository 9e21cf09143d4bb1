import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { channelMeans, eraserOnRows, probsWithChannelFixed } from "../../src/evaluate/channels";
import { pspiGraph } from "../../src/graph/known";
import { Reasoner } from "../../src/model/reasoner";
import { Rng } from "../../src/util/random";

const G = pspiGraph();

function setup() {
  const D = 12;
  const N = 37; // not a multiple of the chunk: the last chunk is short
  const rng = new Rng("channels");
  const x = Float32Array.from({ length: N * D }, () => rng.normal(0, 1));
  const reasoner = new Reasoner({ inputDim: D, aus: [...G.aus], classes: [...G.classes], encoderHidden: [8], embeddingDim: 4, headHidden: [6], seed: 3 });
  return { rows: { x, D, N }, reasoner };
}

describe("decision-level channel measures (spec §11.5)", () => {
  it("fix a channel at its mean exactly as a hand-built head call does, in chunks, without leaking tensors", () => {
    const { rows, reasoner } = setup();
    const before = tf.memory().numTensors;
    const means = channelMeans(reasoner, rows, 10);
    const hFixed = probsWithChannelFixed(reasoner, rows, "h", means.h, 10);
    const zFixed = probsWithChannelFixed(reasoner, rows, "z", means.z, 10);
    expect(tf.memory().numTensors).toBe(before);
    // the slow twin: encode every row at once, average by hand, one head call with the channel replaced
    const [z, h, hf, zf] = tf.tidy(() => {
      const { z, h } = reasoner.encode(tf.tensor2d(rows.x, [rows.N, rows.D]));
      const hMean = h.mean(0, true).tile([rows.N, 1]) as tf.Tensor2D;
      const zMean = z.mean(0, true).tile([rows.N, 1]) as tf.Tensor2D;
      return [z.dataSync(), h.dataSync(), tf.softmax(reasoner.head(z, hMean)).dataSync(), tf.softmax(reasoner.head(zMean, h)).dataSync()];
    });
    expect(z.length).toBe(rows.N * G.aus.length);
    expect(h.length).toBe(rows.N * 4);
    hFixed.forEach((v, i) => expect(v).toBeCloseTo(hf[i], 5));
    zFixed.forEach((v, i) => expect(v).toBeCloseTo(zf[i], 5));
    reasoner.dispose();
  });

  it("ERASER on rows: an empty rationale removes nothing (comprehensiveness 0); a full one keeps nothing (sufficiency = p − p(all lo))", () => {
    const { rows, reasoner } = setup();
    const K = G.aus.length;
    const before = tf.memory().numTensors;
    const empty = eraserOnRows(reasoner, rows, new Uint8Array(rows.N * K), { chunk: 8 });
    const full = eraserOnRows(reasoner, rows, new Uint8Array(rows.N * K).fill(1), { chunk: 8 });
    expect(tf.memory().numTensors).toBe(before);
    empty.comprehensiveness.forEach((v) => expect(v).toBeCloseTo(0, 6));
    full.sufficiency.forEach((v) => expect(v).toBeCloseTo(0, 6)); // keeping every AU keeps the input
    // comprehensiveness of the full rationale = p_ĉ(z, h) − p_ĉ(0, h)
    const ref = tf.tidy(() => {
      const { z, h } = reasoner.encode(tf.tensor2d(rows.x, [rows.N, rows.D]));
      const p = tf.softmax(reasoner.head(z, h));
      const p0 = tf.softmax(reasoner.head(tf.zerosLike(z), h));
      const c = p.argMax(1);
      const oh = tf.oneHot(c, 2).cast("float32");
      return p.mul(oh).sum(1).sub(p0.mul(oh).sum(1)).dataSync();
    });
    full.comprehensiveness.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
    reasoner.dispose();
  });
});
