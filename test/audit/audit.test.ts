import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit";
import type { AuditReport } from "../../src/audit/types";
import { externalActivations, ExternalReasoner, faceGeometry, GEOMETRY_FEATURES } from "../../src/audit/external-reasoner";
import { formatAuditText } from "../../src/audit/report";
import { decodeAll, rationaleVerbalizer, verbalize } from "../../src/audit/rationale";
import { Rng } from "../../src/util/random";
import { CONTEMPT_SKIP, loadCkPlusEmotion, remapEmotionLabels } from "../../src/data/from-env";
import { loadCkPlus, loadOpenFace } from "../../src/data/loaders";
import { OPENFACE_FULL_FAILED_FRAMES } from "../../src/data/loaders/fixtures";
import { emotionPrototypeGraph, EMOTION_CLASSES, pspiGraph } from "../../src/graph/known";
import { NEUTRAL_FACE_68 } from "../../src/data/face/neutral";
import { Reasoner } from "../../src/model/reasoner";
import { CKPLUS, OPENFACE_FULL, OPENFACE_SUBSET, removeTemp, tempDir, UNBC, writeCkPlusLike } from "./helpers";

// Small, seeded training of the heads: the tests check behavior, not quality.
const TRAIN = { epochs: 2, minSteps: 20 };

afterAll(removeTemp);

/** Properties every report must have, whatever the data. */
function checkReport(r: AuditReport): void {
  const G = r.graph;
  const K = G.aus.length;
  expect(r.frames.length).toBe(r.data.frames);
  for (const f of r.frames) {
    const c = G.classes.indexOf(f.predicted);
    expect(c).toBeGreaterThanOrEqual(0);
    expect(f.delta).toHaveLength(K);
    expect(f.z.every((v) => v >= 0 && v <= 1)).toBe(true);
    // invoked = |Δ| ≥ τ, with G's polarity for the predicted class
    const cited = new Set(f.invoked.map((a) => a.au));
    G.aus.forEach((au, k) => {
      if (Math.abs(f.delta[k]) >= r.tau + 1e-3) expect(cited.has(au)).toBe(true);
      if (Math.abs(f.delta[k]) < r.tau - 1e-3) expect(cited.has(au)).toBe(false);
    });
    for (const a of f.invoked) expect(a.polarity).toBe(G.polarity[G.aus.indexOf(a.au)][c]);
    // the gated rationale is in the grammar and cites only AUs G marks +1 for the prediction, invoked toward it, present
    expect(f.rationaleAccepted).toBe(true);
    for (const au of f.rationaleAus) {
      const k = G.aus.indexOf(au);
      expect(G.polarity[k][c]).toBe(1);
      expect(f.delta[k]).toBeGreaterThanOrEqual(r.tau - 1e-3);
      expect(f.z[k]).toBeGreaterThanOrEqual(0.1 - 1e-4);
    }
  }
  expect(r.fidelity.frames.kappa).toBeGreaterThanOrEqual(-1);
  expect(r.fidelity.frames.kappa).toBeLessThanOrEqual(1);
  expect(r.framesPerSecond).toBeGreaterThan(0);
}

describe("facr audit on OpenFace files", () => {
  it("a full OpenFace 2.0 CSV (431 columns): per-frame results, success = 0 counted, frames-level fidelity with the single-subject caveat", async () => {
    const r = await runAudit({ data: OPENFACE_FULL, format: "openface", graph: "emotion", train: TRAIN, resamples: 50 });
    checkReport(r);
    expect(r.data.successZero).toBe(OPENFACE_FULL_FAILED_FRAMES.length);
    expect(r.data.frames).toBe(12 - OPENFACE_FULL_FAILED_FRAMES.length);
    expect(r.frames.map((f) => f.frame)).not.toContain(OPENFACE_FULL_FAILED_FRAMES[0]);
    expect(r.data.landmarks).toBe("all");
    expect(r.data.fixture).toBe(true);
    expect(r.data.synthetic).toBe(false);
    expect(r.reasoner.head).toBe("default");
    expect(r.reasoner.training.synthetic).toBe(true);
    expect(r.reasoner.h).toMatch(/geometry/);
    // one subject: no CI, and the report says why
    expect(r.data.subjects).toBe(1);
    expect(r.fidelity.ci).toBeNull();
    expect(r.fidelity.ciNote).toMatch(/at least 2 subjects/);
    expect(r.caveats.join(" ")).toMatch(/FIXTURE DATA/);
    expect(r.caveats.join(" ")).toMatch(/SYNTHETIC data/); // the default head's training data
    const text = formatAuditText(r);
    expect(text).toMatch(/frames with success = 0 \(no face; left out\): 2/);
    expect(text).toMatch(/no CI/);
    for (const f of r.frames) expect(text).toContain(`full#${f.frame}`);
    // the fixture smiles over frames 3–8: some frame is predicted happy and cites AU6/AU12
    const happy = r.frames.filter((f) => f.predicted === "happiness");
    expect(happy.length).toBeGreaterThan(0);
  });

  it("the gaze/pose/AU-only subset CSV: no landmarks (head on z alone), success = 0 count 0, AUs of G the file lacks reported", async () => {
    const r = await runAudit({ data: OPENFACE_SUBSET, format: "openface", graph: "pspi", train: TRAIN, resamples: 50 });
    checkReport(r);
    expect(r.data.frames).toBe(12);
    expect(r.data.successZero).toBe(0);
    expect(r.data.landmarks).toBe("none");
    expect(r.reasoner.h).toMatch(/no landmarks/);
    expect(r.data.missingAus).toEqual(["AU27", "AU43"]);
    expect(r.notes.join(" ")).toMatch(/AU27, AU43 have no column/);
    expect(formatAuditText(r)).toMatch(/success = 0 \(no face; left out\): 0/);
    // an AU with no column has z = 0 everywhere and is never cited
    for (const f of r.frames) expect(f.rationaleAus).not.toContain("AU43");
  });

  it("a folder of OpenFace CSVs is one subject per file: two subjects give a subject-bootstrap CI", async () => {
    const dir = tempDir("audit-of-dir");
    fs.copyFileSync(OPENFACE_FULL, path.join(dir, "alice.csv"));
    fs.copyFileSync(OPENFACE_SUBSET, path.join(dir, "bob.csv"));
    const r = await runAudit({ data: dir, format: "openface", graph: "emotion", train: TRAIN, resamples: 50 });
    checkReport(r);
    expect(r.data.subjects).toBe(2);
    expect(r.data.successZero).toBe(2);
    expect(r.data.landmarks).toBe("some");
    expect(r.fidelity.ci).not.toBeNull();
    expect(r.fidelity.ci!.subjects).toBe(2);
    expect(r.fidelity.ciNote).toMatch(/bootstrap over 2 subjects/);
  });

  it("an OpenFace file tracking two faces (face_id) counts each face as a subject", async () => {
    const lines = fs.readFileSync(OPENFACE_SUBSET, "utf8").trimEnd().split("\n");
    const [head, ...rows] = lines;
    const cols = head.split(", ");
    const file = path.join(tempDir("audit-faces"), "two-faces.csv");
    const withFace = (row: string, face: number) => {
      const f = row.split(", ");
      return [f[0], String(face), ...f.slice(1)].join(", ");
    };
    fs.writeFileSync(file, [[cols[0], "face_id", ...cols.slice(1)].join(", "), ...rows.flatMap((r) => [withFace(r, 0), withFace(r, 1)])].join("\n") + "\n");
    const r = await runAudit({ data: file, format: "openface", graph: "pspi", train: TRAIN, resamples: 50 });
    checkReport(r);
    expect(r.data.frames).toBe(24);
    expect(r.data.subjects).toBe(2);
    expect(r.fidelity.ci).not.toBeNull();
    expect(r.notes.join(" ")).toMatch(/several faces \(face_id\); each face is taken as its own subject/);
    expect(new Set(r.frames.map((f) => f.subject))).toEqual(new Set(["two-faces/face0", "two-faces/face1"]));
  });
});

describe("facr audit on labelled folders", () => {
  it("UNBC-McMaster: the head is trained on the labels by subject cross-fitting; accuracy and a CI over the 2 subjects", async () => {
    const r = await runAudit({ data: UNBC, format: "unbc", graph: "pspi", train: TRAIN, resamples: 50 });
    checkReport(r);
    expect(r.reasoner.head).toBe("labels");
    expect(r.reasoner.folds).toBe(2);
    expect(r.data.labelled).toBe(16);
    expect(r.accuracy).not.toBeNull();
    expect(r.data.successZero).toBeNull();
    expect(r.fidelity.ci!.subjects).toBe(2);
    // no default (synthetic) head caveat when the head learned from the data
    expect(r.caveats.join(" ")).not.toMatch(/trained on facr's SYNTHETIC/);
  });

  it("CK+: labels mapped by name to the 7 classes, contempt frames left out and counted", async () => {
    const dir = writeCkPlusLike(tempDir("audit-ck"), 3, [2, 5, 7]);
    const raw = loadCkPlus(dir);
    const ds = remapEmotionLabels(raw);
    expect(ds.labels!.classes).toEqual([...EMOTION_CLASSES]);
    expect(ds.skipped[CONTEMPT_SKIP]).toBe(3);
    expect(ds.size).toBe(raw.size - 3);
    expect(ds.labels!.y.every((y) => ds.labels!.classes[y] !== "contempt")).toBe(true);
    const r = await runAudit({ data: dir, format: "ckplus", graph: "emotion", train: TRAIN, resamples: 50 });
    checkReport(r);
    expect(r.data.skipped[CONTEMPT_SKIP]).toBe(3);
    expect(r.reasoner.head).toBe("labels");
    // the fixture: 4 labelled peaks, one sequence without an emotion file (kept, unlabelled)
    const fx = await runAudit({ data: CKPLUS, format: "ckplus", graph: "emotion", train: TRAIN, resamples: 50 });
    checkReport(fx);
    expect(fx.data.frames).toBe(5);
    expect(fx.data.labelled).toBe(4);
    expect(loadCkPlusEmotion(CKPLUS).skipped["no emotion label"]).toBe(1);
  });

  it("--head labels without usable labels is an input error naming the data", async () => {
    await expect(runAudit({ data: OPENFACE_SUBSET, format: "openface", graph: "pspi", head: "labels" })).rejects.toThrow(/subset\.csv, field --head: cannot train the head on the data's labels/);
  });
});

describe("saved reasoners", () => {
  it("an audit head saved with saveModel audits another file and gives the same predictions on the same file", async () => {
    const dir = path.join(tempDir("audit-model"), "head");
    const first = await runAudit({ data: UNBC, format: "unbc", graph: "pspi", head: "default", train: TRAIN, resamples: 20, saveModel: dir });
    expect(fs.readdirSync(dir).sort()).toEqual(["reasoner.json", "weights.bin"]);
    const again = await runAudit({ data: UNBC, format: "unbc", graph: "pspi", model: dir, resamples: 20 });
    expect(again.reasoner.head).toBe("saved");
    expect(again.frames.map((f) => f.predicted)).toEqual(first.frames.map((f) => f.predicted));
    expect(again.frames.map((f) => f.probability)).toEqual(first.frames.map((f) => f.probability));
    // on a file without landmarks the geometry is 0 (the training mean), and the report says so
    const other = await runAudit({ data: OPENFACE_SUBSET, format: "openface", graph: "pspi", model: dir, resamples: 20 });
    checkReport(other);
    expect(other.notes.join(" ")).toMatch(/no landmarks: h = 0/);
    // the wrong graph for the model is an input error naming the model file
    await expect(runAudit({ data: OPENFACE_SUBSET, format: "openface", graph: "emotion", model: dir })).rejects.toThrow(/reasoner\.json, field config\.aus/);
    const { reasoner } = ExternalReasoner.load(dir);
    expect(reasoner.config.hDim).toBe(GEOMETRY_FEATURES.length);
    reasoner.dispose();
  });

  it("a saved full facr Reasoner runs on the landmarks (its own z), with the same metric and rationales", async () => {
    const G = emotionPrototypeGraph();
    const dir = path.join(tempDir("audit-reasoner"), "r");
    const r = new Reasoner({ inputDim: 136, aus: [...G.aus], classes: [...G.classes], seed: 3 });
    await r.save(dir, {});
    r.dispose();
    const report = await runAudit({ data: OPENFACE_FULL, format: "openface", graph: "emotion", model: dir, resamples: 20 });
    checkReport(report);
    expect(report.reasoner.kind).toBe("saved-reasoner");
    expect(report.notes.join(" ")).toMatch(/standardized on the audited data/);
    await expect(runAudit({ data: OPENFACE_SUBSET, format: "openface", graph: "emotion", model: dir })).rejects.toThrow(/has no landmarks/);
  });
});

describe("the audit's pieces", () => {
  it("z is the AU values scaled to [0, 1] (OpenFace: / 5); geometry is 0 on the neutral face and NaN-free on the fixtures", () => {
    const ds = loadOpenFace(OPENFACE_FULL);
    const G = pspiGraph();
    const a = externalActivations(ds, G.aus);
    const k4 = G.aus.indexOf("AU04");
    expect(a.z[k4]).toBeCloseTo(ds.intensities[ds.aus.indexOf("AU04")] / 5, 6);
    expect(a.missingAus).toEqual(["AU27", "AU43"]);
    const g = faceGeometry(ds)!;
    expect(g.failed).toBe(0);
    expect(g.h.length).toBe(ds.size * GEOMETRY_FEATURES.length);
    expect(g.h.every(Number.isFinite)).toBe(true);
    expect(faceGeometry({ size: 1, landmarks: undefined })).toBeNull();
    // the canonical neutral face, moved, scaled and rotated: every measure 0
    const t = Math.PI / 9;
    const moved = Float32Array.from({ length: 136 }, (_, j) => {
      const x = NEUTRAL_FACE_68[j - (j % 2)];
      const y = NEUTRAL_FACE_68[j - (j % 2) + 1];
      return j % 2 === 0 ? 200 + 80 * (Math.cos(t) * x - Math.sin(t) * y) : 150 + 80 * (Math.sin(t) * x + Math.cos(t) * y);
    });
    const neutral = faceGeometry({ size: 1, landmarks: { points: 68, data: moved } })!;
    for (const v of neutral.h) expect(Math.abs(v)).toBeLessThan(1e-4);
  });

  it("gated rationales: an AU ablated to 0 disappears from the text, the others stay; an empty gate gives an empty rationale", () => {
    const G = emotionPrototypeGraph();
    const v = rationaleVerbalizer(G);
    const K = G.aus.length;
    const happy = G.classes.indexOf("happiness");
    const a = new Float32Array(3 * K);
    const set = (row: number, au: string, x: number) => (a[row * K + G.aus.indexOf(au)] = x);
    set(0, "AU06", 0.7);
    set(0, "AU12", 0.9);
    set(0, "AU25", 0.9); // not a happiness AU in G: never cited for happiness
    set(1, "AU12", 0.9); // row 0 with AU06 ablated
    const out = verbalize(v, G, Int32Array.from([happy, happy, happy]), a);
    expect(out[0].aus).toEqual(["AU12", "AU06"]);
    expect(out[0].text).toBe("Happiness is indicated by lip corner pulling (AU12) and cheek raising (AU6).");
    expect(out[1].aus).toEqual(["AU12"]);
    expect(out[2].aus).toEqual([]);
    expect(out[2].text).toBe("Happiness is predicted without a supporting action unit.");
    expect(out.every((d) => d.accepted)).toBe(true);
    // deterministic
    expect(verbalize(v, G, Int32Array.from([happy, happy, happy]), a).map((d) => d.text)).toEqual(out.map((d) => d.text));
  });

  it("decoding once per decision key gives exactly what decoding every row gives (ties, the gate and θ included)", () => {
    const levels = [0, 0.05, 0.1, 0.2, 0.3, 0.3, 0.5, 0.9, 1];
    for (const G of [emotionPrototypeGraph(), pspiGraph()]) {
      const v = rationaleVerbalizer(G);
      const K = G.aus.length;
      const N = 400;
      const rng = new Rng(`keys-${K}`);
      const a = Float32Array.from({ length: N * K }, () => levels[rng.int(levels.length)]);
      const pred = Int32Array.from({ length: N }, () => rng.int(G.classes.length));
      const fast = verbalize(v, G, pred, a);
      const slow = decodeAll(v, G, pred, a);
      expect(fast.map((d) => d.text)).toEqual(slow.map((d) => d.text));
      expect(fast.map((d) => d.tokens)).toEqual(slow.map((d) => d.tokens));
      expect(fast.some((d) => d.aus.length >= 2)).toBe(true);
    }
  });
});
