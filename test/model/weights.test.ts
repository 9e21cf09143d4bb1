import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { ExternalReasoner } from "../../src/audit/external-reasoner";
import { pspiGraph } from "../../src/graph/known";
import { Reasoner } from "../../src/model/reasoner";
import { loadWeights, readSavedMeta, WeightedModel, WEIGHTS_FILE } from "../../src/model/weights";
import { FacrInputError } from "../../src/util/errors";
import { createLm, loadLm, saveLm } from "../../src/verbalizer/lm";
import { sharedVocabulary } from "../verbalizer/fixtures";

const G = pspiGraph();
const base = { inputDim: 12, aus: [...G.aus], classes: [...G.classes] };
const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `facr-weights-${label}-`));

/** Weights that differ from any seeded initialization, so a load that assigns nothing would show. */
function scramble(m: WeightedModel, seed: number): void {
  m.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.5, "float32", seed + i))));
}

/** What `Reasoner.save` wrote before model/weights.ts (main at 907978e), inlined: files of today must stay loadable. */
async function saveLikeBefore(r: Reasoner, dir: string, extra: Record<string, unknown>): Promise<void> {
  const named: tf.NamedTensorMap = {};
  r.variableNames.forEach((n, i) => (named[n] = r.variables[i]));
  const { data, specs } = await tf.io.encodeWeights(named);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "weights.bin"), new Uint8Array(data));
  fs.writeFileSync(path.join(dir, "reasoner.json"), JSON.stringify({ format: "facr-reasoner/1", config: r.config, weightsManifest: [{ paths: ["weights.bin"], weights: specs }], extra }, null, 2) + "\n");
}

function logitsOf(r: Reasoner, x: tf.Tensor2D): number[] {
  const l = r.logits(x);
  const out = Array.from(l.dataSync());
  l.dispose();
  return out;
}

/** Edit the manifest of a saved model in place. */
function editManifest(dir: string, json: string, edit: (weights: { name: string; shape: number[] }[]) => void): void {
  const file = path.join(dir, json);
  const meta = JSON.parse(fs.readFileSync(file, "utf8"));
  edit(meta.weightsManifest[0].weights);
  fs.writeFileSync(file, JSON.stringify(meta));
}

describe("model/weights.ts", () => {
  it("a Reasoner round trip gives identical predictions, and the files are byte-identical to the layout written before", async () => {
    const r = new Reasoner({ ...base, seed: 7, headHidden: [8, 8] });
    scramble(r, 50);
    const dir = tmp("roundtrip");
    await r.save(path.join(dir, "new"), { note: "hello" });
    await saveLikeBefore(r, path.join(dir, "old"), { note: "hello" });
    for (const f of ["reasoner.json", WEIGHTS_FILE]) expect(fs.readFileSync(path.join(dir, "new", f))).toEqual(fs.readFileSync(path.join(dir, "old", f)));
    const x = tf.randomNormal([9, 12], 0, 1, "float32", 8) as tf.Tensor2D;
    for (const which of ["new", "old"]) {
      const { reasoner: q, extra } = Reasoner.load(path.join(dir, which));
      expect(extra).toEqual({ note: "hello" });
      expect(logitsOf(q, x)).toEqual(logitsOf(r, x));
      q.dispose();
    }
    x.dispose();
    r.dispose();
  });

  it("a missing weight is an error naming the file and the weight, and leaves no tensor behind", async () => {
    const r = new Reasoner({ ...base, seed: 1 });
    const dir = tmp("missing");
    await r.save(dir);
    r.dispose();
    editManifest(dir, "reasoner.json", (w) => (w.find((s) => s.name === "z/w")!.name = "zz/w"));
    const before = tf.memory().numTensors;
    let err: unknown;
    try {
      Reasoner.load(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FacrInputError);
    expect((err as FacrInputError).file).toBe(path.join(dir, "reasoner.json"));
    expect((err as Error).message).toContain(path.join(dir, "reasoner.json"));
    expect((err as Error).message).toMatch(/weight "z\/w" missing from weights\.bin/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a weight of the wrong shape, a missing or truncated weights.bin, a wrong format: errors, no tensor left", async () => {
    const r = new Reasoner({ ...base, seed: 2 });
    const dir = tmp("bad");
    await r.save(dir);
    r.dispose();
    const json = fs.readFileSync(path.join(dir, "reasoner.json"), "utf8");
    const bin = fs.readFileSync(path.join(dir, WEIGHTS_FILE));
    const before = tf.memory().numTensors;
    const cases: [string, () => void, RegExp][] = [
      // same byte count, another shape: decodes, then fails the check
      ["shape", () => editManifest(dir, "reasoner.json", (w) => (w.find((s) => s.name === "encoder0/w")!.shape = [128, 12])), /weight "encoder0\/w" has shape \[128,12\], expected \[12,128\]/],
      ["no weights.bin", () => fs.rmSync(path.join(dir, WEIGHTS_FILE)), /weights\.bin: weights file missing/],
      ["truncated", () => fs.writeFileSync(path.join(dir, WEIGHTS_FILE), bin.subarray(0, bin.length - 100)), /weights\.bin: does not match the manifest of reasoner\.json/],
      ["format", () => fs.writeFileSync(path.join(dir, "reasoner.json"), json.replace("facr-reasoner/1", "facr-reasoner/9")), /field format: expected format "facr-reasoner\/1", got "facr-reasoner\/9"/],
    ];
    for (const [what, breakIt, message] of cases) {
      fs.writeFileSync(path.join(dir, "reasoner.json"), json);
      fs.writeFileSync(path.join(dir, WEIGHTS_FILE), bin);
      breakIt();
      expect(() => Reasoner.load(dir), what).toThrow(message);
      expect(tf.memory().numTensors, what).toBe(before);
    }
  });

  it("the external head and the language models load through it too: round trip, and no leak on a missing weight", async () => {
    const dir = tmp("others");
    const before = tf.memory().numTensors;

    const e = new ExternalReasoner({ aus: [...G.aus], classes: [...G.classes], hDim: 0, hidden: 6, seed: 3 }, null, { note: "x" });
    scramble(e, 70);
    await e.save(path.join(dir, "external"), G);
    const z = tf.randomUniform([5, G.aus.length], 0, 1, "float32", 4) as tf.Tensor2D;
    const h = tf.zeros([5, 1]) as tf.Tensor2D;
    const headOut = (m: ExternalReasoner) => {
      const l = m.head(z, h);
      const out = Array.from(l.dataSync());
      l.dispose();
      return out;
    };
    const back = ExternalReasoner.load(path.join(dir, "external"));
    expect(headOut(back.reasoner)).toEqual(headOut(e));
    expect(back.graph?.polarity).toEqual(G.polarity);
    back.reasoner.dispose();
    e.dispose();
    tf.dispose([z, h]);

    const lm = createLm(sharedVocabulary(), { kind: "gru", hidden: 8, seed: 1 });
    await saveLm(lm, path.join(dir, "lm"));
    lm.dispose();
    expect(tf.memory().numTensors).toBe(before);

    editManifest(path.join(dir, "external"), "reasoner.json", (w) => (w[w.length - 1].name = "nope"));
    expect(() => ExternalReasoner.load(path.join(dir, "external"))).toThrow(/weight "b2" missing from weights\.bin/);
    editManifest(path.join(dir, "lm"), "lm.json", (w) => (w[0].name = "nope"));
    expect(() => loadLm(path.join(dir, "lm"))).toThrow(/missing from weights\.bin/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("loadWeights checks the manifest before building the model", () => {
    const dir = tmp("manifest");
    fs.writeFileSync(path.join(dir, "m.json"), JSON.stringify({ format: "t/1" }));
    const { file, meta } = readSavedMeta<object>(dir, "m.json", "t/1", "test model");
    let built = false;
    expect(() =>
      loadWeights(file, meta.weightsManifest, () => {
        built = true;
        return new Reasoner({ ...base });
      }),
    ).toThrow(/field weightsManifest: no weights manifest/);
    expect(built).toBe(false);
    expect(() => readSavedMeta(path.join(dir, "none"), "m.json", "t/1", "test model")).toThrow(/no saved test model here \(m\.json missing\)/);
  });
});
