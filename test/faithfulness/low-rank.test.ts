import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { faithfulnessLoss } from "../../src/faithfulness/loss";
import { interventionEffects } from "../../src/faithfulness/effects";
import { CausalGraph } from "../../src/graph/graph";
import { emotionPrototypeGraph, EMOTION_CLASSES, pspiGraph } from "../../src/graph/known";
import { Reasoner } from "../../src/model/reasoner";
import { refEffects } from "./reference";

/**
 * The low-rank path of interventionEffects (a Reasoner head: first layer
 * linear in (z, h), corrections added to the factual pre-activation) against
 * the generic path (the head run on every intervened row) and the slow twin:
 * the same Δ and the same gradients, for graphs with and without substitute
 * groups, the bottleneck head and a head with no hidden layer.
 */
function setup(G: CausalGraph, cfg: { bottleneckOnly?: boolean; headHidden?: number[] } = {}, N = 37) {
  const r = new Reasoner({ inputDim: 9, aus: [...G.aus], classes: [...G.classes], encoderHidden: [12], embeddingDim: 5, headHidden: cfg.headHidden ?? [8], bottleneckOnly: cfg.bottleneckOnly ?? false, seed: 4 });
  const x = tf.randomNormal([N, 9], 0, 1, "float32", 7) as tf.Tensor2D;
  return { r, x };
}

const emotion = emotionPrototypeGraph();

describe("interventionEffects: low-rank path for linear-first-layer heads", () => {
  const cases: [string, CausalGraph, { bottleneckOnly?: boolean; headHidden?: number[] }][] = [
    ["PSPI graph (groups shared by both classes)", pspiGraph(), {}],
    ["FACS prototype graph (class-dependent groups, 7 classes)", emotion, {}],
    ["bottleneck-only head", pspiGraph(), { bottleneckOnly: true }],
    ["head with no hidden layer", emotion, { headHidden: [] }],
  ];

  it.each(cases)("%s: Δ equals the generic path and the slow twin", (_name, G, cfg) => {
    const { r, x } = setup(G, cfg);
    const before = tf.memory().numTensors;
    const [fast, generic, zh] = tf.tidy(() => {
      const { z, h } = r.encode(x);
      return [
        interventionEffects(r.head, z, h, G, { path: "lowRank" }).arraySync(),
        interventionEffects(r.head, z, h, G, { path: "generic" }).arraySync(),
        { z: z.arraySync(), h: h.arraySync() },
      ];
    });
    expect(tf.memory().numTensors).toBe(before);
    const ref = refEffects((zi, hi) => tf.tidy(() => Array.from(r.head(tf.tensor2d([zi]), tf.tensor2d([hi])).dataSync())), zh.z, zh.h, G);
    let worst = 0;
    let worstRef = 0;
    fast.forEach((row, i) => row.forEach((cells, k) => cells.forEach((v, c) => {
      worst = Math.max(worst, Math.abs(v - generic[i][k][c]));
      worstRef = Math.max(worstRef, Math.abs(v - ref[i][k][c]));
    })));
    expect(worst).toBeLessThan(1e-5);
    expect(worstRef).toBeLessThan(1e-4);
    // not all zero: the comparison means something
    expect(Math.max(...fast.flat(2).map(Math.abs))).toBeGreaterThan(1e-3);
    r.dispose();
    x.dispose();
  });

  it("with per-AU hi/lo values and in chunks", () => {
    const G = pspiGraph();
    const { r, x } = setup(G);
    const hi = G.aus.map((_, k) => 0.5 + 0.04 * k);
    const lo = G.aus.map((_, k) => 0.01 * k);
    const [a, b] = tf.tidy(() => {
      const { z, h } = r.encode(x);
      return [interventionEffects(r.head, z, h, G, { hi, lo, chunkSize: 10, path: "lowRank" }).arraySync(), interventionEffects(r.head, z, h, G, { hi, lo, path: "generic" }).arraySync()];
    });
    const worst = Math.max(...a.flat(2).map((v, i) => Math.abs(v - b.flat(2)[i])));
    expect(worst).toBeLessThan(1e-5);
    r.dispose();
    x.dispose();
  });

  it.each([["PSPI", pspiGraph()], ["FACS prototypes", emotion]] as const)("%s: the gradients of L_cf equal the generic path's", (_n, G) => {
    const { r, x } = setup(G, {}, 29);
    const labels = tf.tensor1d(Array.from({ length: 29 }, (_, i) => i % G.classes.length), "int32");
    const grads = (path: "lowRank" | "generic") => {
      const { grads } = tf.variableGrads(() => {
        const { z, h } = r.encode(x);
        return faithfulnessLoss(interventionEffects(r.head, z, h, G, { path }), labels, G) as tf.Scalar;
      }, r.variables);
      const out = r.variables.map((v) => Array.from(grads[v.name].dataSync()));
      tf.dispose(Object.values(grads));
      return out;
    };
    const fast = grads("lowRank");
    const generic = grads("generic");
    let worst = 0;
    let scale = 0;
    fast.forEach((g, j) => g.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - generic[j][i]));
      scale = Math.max(scale, Math.abs(generic[j][i]));
    }));
    expect(scale).toBeGreaterThan(1e-4);
    expect(worst).toBeLessThan(1e-5);
    labels.dispose();
    r.dispose();
    x.dispose();
  });
});

describe("interventionEffects path choice", () => {
  it('the default is the generic path; "lowRank" takes the low-rank one', () => {
    const G = pspiGraph();
    const { r, x } = setup(G, {}, 6);
    let calls = 0;
    const first = r.head.firstLayer!;
    const spied = Object.assign((z: tf.Tensor2D, h: tf.Tensor2D) => r.head(z, h), { firstLayer: { ...first, pre: (z: tf.Tensor2D, h: tf.Tensor2D) => (calls++, first.pre(z, h)) } });
    tf.tidy(() => {
      const { z, h } = r.encode(x);
      interventionEffects(spied, z, h, G);
      expect(calls).toBe(0);
      interventionEffects(spied, z, h, G, { path: "generic" });
      expect(calls).toBe(0);
      interventionEffects(spied, z, h, G, { path: "lowRank" });
      expect(calls).toBe(1);
    });
    r.dispose();
    x.dispose();
  });
});

void EMOTION_CLASSES;
