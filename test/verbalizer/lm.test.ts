import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { UNBC_AUS } from "../../src/au/registry";
import { pspiGraph } from "../../src/graph/known";
import { measureVerbalizer } from "../../src/verbalizer/ablation";
import { generateCorpus } from "../../src/verbalizer/corpus";
import { decodeRationales } from "../../src/verbalizer/decode";
import { createLm, loadLm, perplexity, saveLm, scoreSequences, trainLm } from "../../src/verbalizer/lm";
import { BACKBONES } from "../../src/verbalizer/lm-base";
import { Rng } from "../../src/util/random";
import { painSpecs, sharedVocabulary } from "./fixtures";

const vocab = sharedVocabulary();
const small = (kind: "gru" | "transformer", seed = 1) => createLm(vocab, kind === "gru" ? { kind, hidden: 24, seed } : { kind, dModel: 24, heads: 3, layers: 2, mlpHidden: 32, seed });
const tokens = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0].length], "int32");

describe("language-model backbones", () => {
  it("give [B, T, V] logits that are causal: position t never sees later tokens", () => {
    for (const kind of BACKBONES) {
      const lm = small(kind);
      const a = [vocab.classToken("pain"), vocab.wordToken("we"), vocab.wordToken("infer"), vocab.classToken("pain"), vocab.wordToken("from")];
      const b = [...a.slice(0, 3), vocab.auToken("AU04"), vocab.eos];
      const [la, lb] = [a, b].map((s) => tf.tidy(() => lm.forward(tokens([s])).arraySync()[0]));
      expect(la.length).toBe(5);
      expect(la[0].length).toBe(vocab.size);
      for (let t = 0; t < 3; t++) for (let v = 0; v < vocab.size; v++) expect(lb[t][v]).toBeCloseTo(la[t][v], 5);
      expect(Math.max(...la[4].map((x, v) => Math.abs(x - lb[4][v])))).toBeGreaterThan(1e-4);
      // nextLogits = the last position of forward
      const nl = tf.tidy(() => lm.nextLogits(tokens([a])).arraySync()[0]);
      nl.forEach((x, v) => expect(x).toBeCloseTo(la[4][v], 5));
      lm.dispose();
    }
  });

  it("are seeded: same seed → same weights, another seed → others", () => {
    for (const kind of BACKBONES) {
      const [x, y, z] = [small(kind, 3), small(kind, 3), small(kind, 4)];
      const w = (m: typeof x) => Array.from(m.variables[0].dataSync());
      expect(w(x)).toEqual(w(y));
      expect(w(x)).not.toEqual(w(z));
      [x, y, z].forEach((m) => m.dispose());
    }
  });

  it("reject bad hyper-parameters and inputs, naming them", () => {
    expect(() => createLm(vocab, { kind: "transformer", dModel: 30, heads: 4 })).toThrow(/transformer.heads/);
    expect(() => createLm(vocab, { kind: "gru", hidden: 0 })).toThrow(/gru.hidden/);
    expect(() => createLm(vocab, { kind: "lstm" } as never)).toThrow(/lm.kind/);
    const lm = small("gru");
    expect(() => lm.forward(tf.tensor2d([[1.5, 2]]))).toThrow(/int32/);
    expect(() => trainLm(lm, [[vocab.classToken("pain"), 999]], null)).toThrow(/outside/);
    lm.dispose();
  });

  it("learn the grammar's language: validation perplexity falls far below the uniform and unigram levels", () => {
    const train = generateCorpus(vocab, painSpecs(400, 1), 1);
    const val = generateCorpus(vocab, painSpecs(100, 2), 2);
    for (const kind of BACKBONES) {
      const lm = createLm(vocab, kind === "gru" ? { kind, hidden: 48, seed: 1 } : { kind, dModel: 32, heads: 2, layers: 1, mlpHidden: 64, seed: 1 });
      const before = perplexity(lm, val);
      const res = trainLm(lm, train, val, { epochs: 8, batchSize: 64, learningRate: 1e-2, seed: 1 });
      expect(before).toBeGreaterThan(30);
      expect(res.validationPerplexity).toBeLessThan(3);
      expect(res.validationPerplexity).toBeCloseTo(perplexity(lm, val), 4); // best epoch restored
      lm.dispose();
    }
  });

  it("save → load gives identical logits, for both backbones", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-lm-"));
    const corpus = generateCorpus(vocab, painSpecs(60, 4), 4);
    for (const kind of BACKBONES) {
      const lm = small(kind, 7);
      trainLm(lm, corpus, null, { epochs: 1, batchSize: 32 });
      await saveLm(lm, path.join(dir, kind), { note: kind });
      const { lm: back, extra } = loadLm(path.join(dir, kind));
      expect(extra).toEqual({ note: kind });
      expect(back.config).toEqual(lm.config);
      const input = tokens(corpus.slice(0, 4).map((s) => s.slice(0, 6)));
      const [a, b] = [lm, back].map((m) => tf.tidy(() => m.forward(input).dataSync()));
      expect(Array.from(b)).toEqual(Array.from(a));
      input.dispose();
      lm.dispose();
      back.dispose();
    }
    expect(() => loadLm(path.join(dir, "nothing"))).toThrow(/lm.json missing/);
  });

  it("leave tf.memory().numTensors unchanged across a training step, scoring, a decode and an audit", () => {
    const corpus = generateCorpus(vocab, painSpecs(40, 5), 5);
    const G = pspiGraph();
    const rng = new Rng(3);
    for (const kind of BACKBONES) {
      const lm = small(kind);
      trainLm(lm, corpus, null, { epochs: 1, batchSize: 40 }); // warm-up (kernels, caches)
      const before = tf.memory().numTensors;
      trainLm(lm, corpus, corpus.slice(0, 10), { epochs: 1, batchSize: 40 });
      scoreSequences(lm, corpus);
      const n = 12;
      const act = Float32Array.from({ length: n * UNBC_AUS.length }, () => rng.next());
      decodeRationales((p) => lm.nextLogits(p), vocab, { classes: Array.from({ length: n }, () => "pain"), aus: UNBC_AUS, activations: act, seeds: Array.from({ length: n }, (_, i) => i) });
      measureVerbalizer(lm, G, { activations: act, predicted: new Int32Array(n).fill(1), subjects: Array.from({ length: n }, (_, i) => `s${i % 3}`) }, { bootstrap: { resamples: 10 } });
      expect(tf.memory().numTensors).toBe(before);
      lm.dispose();
    }
  });
});
