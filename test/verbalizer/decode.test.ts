import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNBC_AUS } from "../../src/au/registry";
import { Rng } from "../../src/util/random";
import { decodeRationales, DecodeOptions, staticLogitOffsets } from "../../src/verbalizer/decode";
import { EMPTY_TEMPLATES, parseText } from "../../src/verbalizer/grammar";
import { createLm } from "../../src/verbalizer/lm";
import { BACKBONES, BackboneKind, CausalLm } from "../../src/verbalizer/lm-base";
import { briefModel, sharedVocabulary } from "./fixtures";

const vocab = sharedVocabulary();
const TASK = [...UNBC_AUS];
const K = TASK.length;
const trained = {} as Record<BackboneKind, CausalLm>;
const untrained = {} as Record<BackboneKind, CausalLm>;

beforeAll(() => {
  for (const kind of BACKBONES) {
    trained[kind] = briefModel(kind, vocab);
    untrained[kind] = createLm(vocab, { kind, seed: 9, ...(kind === "gru" ? { hidden: 16 } : { dModel: 16, heads: 2, layers: 1, mlpHidden: 16 }) });
  }
});
afterAll(() => {
  for (const kind of BACKBONES) {
    trained[kind].dispose();
    untrained[kind].dispose();
  }
});

const next = (lm: CausalLm) => (p: Parameters<CausalLm["nextLogits"]>[0]) => lm.nextLogits(p);

/** Random activations: about half the AUs well below any gate, the rest anywhere in [0, 1]. */
function randomActivations(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n * K }, () => (rng.bernoulli(0.5) ? rng.uniform(0, 0.04) : rng.next()));
}

describe("logit offsets (hand-worked)", () => {
  it("gates AUs below θ_gate to −∞, biases the others by β(a − θ), closes other classes, specials and foreign AUs", () => {
    const a = [0.05, 0.1, 0.9, 0, 0, 0, 0, 0, 0, 0, 0.5]; // AU04 AU06 AU07 … AU43
    const off = staticLogitOffsets(vocab, "pain", TASK, a, { mode: "gated", beta: 10, theta: 0.3, thetaGate: 0.1 });
    expect(off[vocab.auToken("AU04")]).toBe(-Infinity);
    expect(off[vocab.auToken("AU06")]).toBeCloseTo(-2, 10); // a = θ_gate is open
    expect(off[vocab.auToken("AU07")]).toBeCloseTo(6, 10);
    expect(off[vocab.auToken("AU43")]).toBeCloseTo(2, 10);
    expect(off[vocab.auToken("AU12")]).toBe(-Infinity); // a = 0
    expect(off[vocab.auToken("AU01")]).toBe(-Infinity); // not a pain AU
    expect(off[vocab.classToken("pain")]).toBe(0);
    expect(off[vocab.classToken("no_pain")]).toBe(-Infinity);
    expect(off[vocab.pad]).toBe(-Infinity);
    expect(off[vocab.eos]).toBe(0);
    expect(off[vocab.wordToken("by")]).toBe(0);
    const free = staticLogitOffsets(vocab, "pain", TASK, null, { mode: "free", beta: 10, theta: 0.3, thetaGate: 0.1 });
    expect(TASK.every((au) => free[vocab.auToken(au)] === 0)).toBe(true);
    expect(free[vocab.auToken("AU01")]).toBe(-Infinity);
  });

  it("rejects a gate that would let an ablated AU through, and bad options, naming them", () => {
    const req = { classes: ["pain"], aus: TASK, activations: new Float32Array(K), seeds: [1] };
    expect(() => decodeRationales(next(untrained.gru), vocab, req, { thetaGate: 0 })).toThrow(/decode.thetaGate/);
    expect(() => decodeRationales(next(untrained.gru), vocab, req, { temperature: 0 })).toThrow(/decode.temperature/);
    expect(() => decodeRationales(next(untrained.gru), vocab, { ...req, activations: null })).toThrow(/activations/);
    expect(() => decodeRationales(next(untrained.gru), vocab, req, { beta: 1, betta: 2 } as never)).toThrow(/decode.betta: unknown key/);
  });
});

describe("gated decoding", () => {
  it("never emits an AU whose activation is below θ_gate, nor an AU twice, nor a foreign AU (random activations and seeds, both backbones, trained and untrained)", () => {
    const rng = new Rng(11);
    let mentions = 0;
    for (const kind of BACKBONES) {
      for (const lm of [trained[kind], untrained[kind]]) {
        for (let trial = 0; trial < 4; trial++) {
          const n = 24;
          const opts: Partial<DecodeOptions> = {
            mode: "gated",
            beta: [0, 2, 10, 50][trial],
            theta: rng.next(),
            thetaGate: [0.05, 0.1, 0.3, 0.6][rng.int(4)],
            strategy: trial % 2 ? "greedy" : "sample",
          };
          const act = randomActivations(n, rng);
          const classes = Array.from({ length: n }, () => (rng.bernoulli(0.5) ? "pain" : "no_pain"));
          const out = decodeRationales(next(lm), vocab, { classes, aus: TASK, activations: act, seeds: classes.map(() => rng.int(1e9)) }, opts);
          out.forEach((d, i) => {
            expect(new Set(d.aus).size).toBe(d.aus.length);
            for (const au of d.aus) {
              const k = TASK.indexOf(au);
              expect(k, `${kind}: ${au} is not a pain AU`).toBeGreaterThanOrEqual(0);
              expect(act[i * K + k], `${kind}: ${au} mentioned with a = ${act[i * K + k]} < θ_gate = ${opts.thetaGate}`).toBeGreaterThanOrEqual(opts.thetaGate!);
              mentions++;
            }
            // class slots can only hold the conditioning class
            expect(d.tokens.filter((t) => vocab.isClass(t)).every((t) => t === d.tokens[0])).toBe(true);
            if (d.accepted) expect(parseText(d.text, vocab).tokens).toEqual(d.tokens);
          });
        }
      }
    }
    expect(mentions).toBeGreaterThan(50); // the property was exercised, not vacuous
  });

  it("ablating a mentioned AU (a_k := 0) removes it, for both backbones; free generation does not change at all", () => {
    const rng = new Rng(5);
    for (const kind of BACKBONES) {
      const n = 40;
      const act = Float32Array.from({ length: n * K }, () => (rng.bernoulli(0.6) ? rng.uniform(0.3, 1) : 0));
      const classes = Array.from({ length: n }, () => "pain");
      const seeds = classes.map((_, i) => `ablate/${i}`);
      for (const mode of ["gated", "free"] as const) {
        const before = decodeRationales(next(trained[kind]), vocab, { classes, aus: TASK, activations: act, seeds }, { mode, beta: 5, theta: 0.3 });
        const rows: { i: number; k: number }[] = [];
        before.forEach((d, i) => d.aus.forEach((au) => rows.push({ i, k: TASK.indexOf(au) })));
        expect(rows.length).toBeGreaterThan(20);
        const ablAct = new Float32Array(rows.length * K);
        rows.forEach(({ i, k }, r) => {
          ablAct.set(act.subarray(i * K, (i + 1) * K), r * K);
          ablAct[r * K + k] = 0;
        });
        const after = decodeRationales(next(trained[kind]), vocab, { classes: rows.map(() => "pain"), aus: TASK, activations: ablAct, seeds: rows.map(({ i }) => seeds[i]) }, { mode, beta: 5, theta: 0.3 });
        rows.forEach(({ i, k }, r) => {
          if (mode === "gated") expect(after[r].aus, `${kind}: ${TASK[k]} survived its ablation`).not.toContain(TASK[k]);
          else expect(after[r].tokens).toEqual(before[i].tokens); // free generation never reads a
        });
      }
    }
  });

  it("when the gate closes every AU, writes a rationale without AUs — an empty template of the grammar", () => {
    for (const kind of BACKBONES) {
      const n = 40;
      const out = decodeRationales(next(trained[kind]), vocab, { classes: Array.from({ length: n }, () => "pain"), aus: TASK, activations: new Float32Array(n * K).fill(0.02), seeds: Array.from({ length: n }, (_, i) => i) }, { mode: "gated" });
      expect(out.every((d) => d.aus.length === 0)).toBe(true);
      const accepted = out.filter((d) => d.accepted);
      expect(accepted.length / n, kind).toBeGreaterThanOrEqual(0.9);
      const emptyIds = new Set(EMPTY_TEMPLATES.map((t) => t.id));
      for (const d of accepted) expect(emptyIds.has(parseText(d.text, vocab).template!)).toBe(true);
    }
  });

  it("is deterministic for a seed and decodes the same rows identically in any batch size", () => {
    const rng = new Rng(2);
    const act = randomActivations(30, rng);
    const req = { classes: Array.from({ length: 30 }, (_, i) => (i % 3 ? "pain" : "no_pain")), aus: TASK, activations: act, seeds: Array.from({ length: 30 }, (_, i) => i) };
    const a = decodeRationales(next(trained.transformer), vocab, req, { batchSize: 512 });
    const b = decodeRationales(next(trained.transformer), vocab, req, { batchSize: 7 });
    expect(b.map((d) => d.tokens)).toEqual(a.map((d) => d.tokens));
  });
});

describe("free decoding of a trained model", () => {
  it("writes grammatical rationales that round-trip through the parser", () => {
    for (const kind of BACKBONES) {
      const n = 60;
      const out = decodeRationales(next(trained[kind]), vocab, { classes: Array.from({ length: n }, (_, i) => (i % 2 ? "pain" : "no_pain")), aus: TASK, activations: null, seeds: Array.from({ length: n }, (_, i) => i) }, { mode: "free" });
      const accepted = out.filter((d) => d.accepted);
      expect(accepted.length / n, kind).toBeGreaterThan(0.8);
      for (const d of accepted) {
        const p = parseText(d.text, vocab);
        expect(p.tokens).toEqual(d.tokens);
        expect(p.aus).toEqual(d.aus);
      }
    }
  });
});
