import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { pspiGraph } from "../../src/graph/known";
import { Reasoner } from "../../src/model/reasoner";
import { evaluateObjective, formatEpoch, trainReasoner, trainSequential } from "../../src/train/train";
import { toyData } from "./toy-data";

const G = pspiGraph();

const values = (vs: tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));
const newReasoner = (bottleneckOnly: boolean, seed = 3) => new Reasoner({ inputDim: 20, aus: [...G.aus], classes: [...G.classes], seed, bottleneckOnly });

describe("stage 'joint' (the default) is the objective as before", () => {
  const run = (stage: { stage?: "joint" }, bottleneckOnly = false, lambdaCf = 1) => {
    const r = newReasoner(bottleneckOnly);
    const res = trainReasoner(r, toyData(300, 1), toyData(100, 2), G, { epochs: 3, patience: 10, batchSize: 64, seed: 2, lambdaCf, ...stage });
    const w = values(r.variables);
    r.dispose();
    return { w, loss: res.history.map((e) => e.loss), val: res.history.map((e) => e.valLoss), rrr: res.history.map((e) => e.rrr) };
  };

  it("explicit stage 'joint' gives bitwise the weights and losses of the default", () => {
    const a = run({});
    const b = run({ stage: "joint" });
    expect(b.w).toEqual(a.w);
    expect(b.loss).toEqual(a.loss);
    expect(a.rrr).toEqual([0, 0, 0]);
  });

  it("matches values recorded from the code before L_rrr and stages existed (wasm backend)", () => {
    // Recorded at f8be2ea with this exact run (Reasoner seed 3, toyData(300, 1) / toyData(100, 2),
    // epochs 3, batch 64, seed 2). Float32 kernels of another backend round differently.
    if (tf.getBackend() !== "wasm") return;
    const cf = run({});
    expect(cf.loss).toEqual([1.8819857184092204, 1.626907124519348, 1.4450118573506674]);
    expect(cf.val).toEqual([1.7918262481689453, 1.692969799041748, 1.6463254690170288]);
    expect(cf.w[0].slice(0, 4)).toEqual([0.10873767733573914, -0.00835146103054285, 0.11601324379444122, -0.1791868954896927]);
    expect(cf.w[cf.w.length - 2].slice(0, 4)).toEqual([0.10270881652832031, -0.046193983405828476, -0.35086068511009216, 0.1150224506855011]);
    const base = run({}, false, 0);
    expect(base.loss).toEqual([1.325413146018982, 1.0946043920516968, 0.9176073026657104]);
    expect(base.w[0].slice(0, 4)).toEqual([0.11102674156427383, 0.007910317741334438, 0.11606178432703018, -0.18613827228546143]);
    const bn = run({}, true);
    expect(bn.loss).toEqual([1.9439054393768311, 1.7208780829111736, 1.5854932562510173]);
    expect(bn.w[bn.w.length - 2].slice(0, 4)).toEqual([0.08157213032245636, -0.025057291612029076, -0.3535071015357971, 0.11766893416643143]);
  });
});

describe("stages 'concepts' and 'head'", () => {
  it("'concepts' trains encoder and z on the AU loss only: head (and h) bitwise unchanged", () => {
    const r = newReasoner(true);
    const head0 = values(r.variablesOf("head", "h"));
    const enc0 = values(r.variablesOf("encoder", "z"));
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const res = trainReasoner(r, toyData(300, 1), toyData(100, 2), G, { epochs: 3, patience: 10, batchSize: 64, stage: "concepts" }, (e) => lines.push(formatEpoch(e)));
    expect(tf.memory().numTensors).toBe(before);
    expect(values(r.variablesOf("head", "h"))).toEqual(head0);
    expect(values(r.variablesOf("encoder", "z"))).not.toEqual(enc0);
    // no CE, L_cf or L_rrr in this stage: NaN, shown as "–"; the loss is λ_au · BCE
    for (const e of res.history) {
      expect([e.ce, e.cf, e.rrr].every(Number.isNaN)).toBe(true);
      expect(e.loss).toBeCloseTo(e.au, 6);
    }
    expect(lines[0]).toMatch(/\(ce – au \d\.\d{3} cf –\)/);
    expect(res.history[2].au).toBeLessThan(res.history[0].au);
    // the validation value it early-stops on is its own objective
    const v = evaluateObjective(r, toyData(100, 2), G, { stage: "concepts", lambdaAu: 2 });
    expect(v.total).toBeCloseTo(2 * v.au, 5);
    expect(res.history[res.bestEpoch - 1].valLoss).toBeCloseTo(evaluateObjective(r, toyData(100, 2), G, { stage: "concepts" }).total, 5);
    r.dispose();
  });

  it("'head' trains the head only on CE + λ_cf·L_cf: encoder, z and h bitwise unchanged", () => {
    const r = newReasoner(true);
    const enc0 = values(r.variablesOf("encoder", "z", "h"));
    const head0 = values(r.variablesOf("head"));
    const res = trainReasoner(r, toyData(300, 1), toyData(100, 2), G, { epochs: 3, patience: 10, batchSize: 64, stage: "head" });
    expect(values(r.variablesOf("encoder", "z", "h"))).toEqual(enc0);
    expect(values(r.variablesOf("head"))).not.toEqual(head0);
    for (const e of res.history) {
      expect(e.cf).toBeGreaterThan(0); // λ_cf = 1 by default
      expect(e.loss).toBeCloseTo(e.ce + e.cf, 5); // no AU term
    }
    const v = evaluateObjective(r, toyData(100, 2), G, { stage: "head" });
    expect(v.total).toBeCloseTo(v.ce + v.cf, 5);
    r.dispose();
  });

  it("variablesOf partitions the variables in their order", () => {
    const r = newReasoner(false);
    expect(r.variablesOf("encoder", "z", "h", "head")).toEqual(r.variables);
    expect(r.variablesOf("head", "encoder")).toEqual([...r.variablesOf("encoder"), ...r.variablesOf("head")]);
    expect(r.variablesOf("z").map((v) => v.name.split("/").slice(1).join("/"))).toEqual(["z/w", "z/b"]);
    expect(() => r.variablesOf("decoder" as never)).toThrow(/unknown part/);
    r.dispose();
  });

  it("rejects an unknown stage", () => {
    const r = newReasoner(true);
    expect(() => trainReasoner(r, toyData(50, 1), null, G, { stage: "encoder" as never })).toThrow(/train.stage/);
    r.dispose();
  });
});

describe("trainSequential", () => {
  it("runs 'concepts' then 'head' with early stopping each, and is deterministic", () => {
    const run = () => {
      const r = newReasoner(true);
      const stages: string[] = [];
      const res = trainSequential(r, toyData(300, 1), toyData(100, 2), G, { epochs: 4, patience: 2, batchSize: 64, seed: 1 }, (_e, stage) => stages.push(stage));
      const w = values(r.variables);
      r.dispose();
      return { res, w, stages };
    };
    const before = tf.memory().numTensors;
    const a = run();
    expect(tf.memory().numTensors).toBe(before);
    const { res, stages } = a;
    expect(stages).toEqual([...res.concepts.history.map(() => "concepts"), ...res.head.history.map(() => "head")]);
    expect(res.concepts.config.stage).toBe("concepts");
    expect(res.head.config.stage).toBe("head");
    expect(res.steps).toBe(res.concepts.steps + res.head.steps);
    expect(res.seconds).toBeCloseTo(res.concepts.seconds + res.head.seconds, 9);
    expect(res.head.history.every((e) => e.cf > 0)).toBe(true);
    const b = run();
    expect(b.w).toEqual(a.w);
    // λ_cf = 0: the plain sequential CBM
    const r = newReasoner(true);
    const plain = trainSequential(r, toyData(200, 1), null, G, { epochs: 2, batchSize: 100, lambdaCf: 0 });
    expect(plain.head.history.every((e) => e.cf === 0)).toBe(true);
    r.dispose();
  });

  it("needs a bottleneck-only reasoner and sets the stage itself", () => {
    const r = newReasoner(false);
    expect(() => trainSequential(r, toyData(50, 1), null, G)).toThrow(/bottleneckOnly/);
    r.dispose();
    const b = newReasoner(true);
    expect(() => trainSequential(b, toyData(50, 1), null, G, { stage: "joint" } as never)).toThrow(/train.stage/);
    b.dispose();
  });
});
