/**
 * Benchmarks: how fast each part runs on this machine. Speed is measured here,
 * never asserted in tests.
 *
 *   npx tsx bench/run.ts [--profile smoke|quick|paper] [--only data,load,train,interventions,experiments,audit]
 *
 * Prints one table per section; with --json FILE also writes the numbers. The
 * verbalizer (LM training, decoding, its experiment) is in bench/verbalizer.ts;
 * `make bench` runs both.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { OPENFACE_AUS } from "../src/au/registry";
import { loadOpenFace } from "../src/data/loaders";
import { generateSynEmotion } from "../src/data/synemotion";
import { generateSynPain } from "../src/data/synpain";
import { renderFrames, sampleIdentity, samplePoses } from "../src/data/face";
import { interventionEffects } from "../src/faithfulness/effects";
import { inducePolarityGraph } from "../src/graph/induce";
import { emotionPrototypeGraph, pspiGraph } from "../src/graph/known";
import { backendInfo, initBackend } from "../src/model/backend";
import { Reasoner } from "../src/model/reasoner";
import { runEmotionTransfer } from "../src/experiments/emotion-transfer";
import { runPspiExperiment } from "../src/experiments/pspi";
import { runAudit } from "../src/audit/audit";
import { trainReasoner } from "../src/train/train";
import { checkProfile, Profile } from "../src/util/config";
import { writeJsonAtomic } from "../src/util/atomic";
import { Rng } from "../src/util/random";

import { Row, table } from "./table";
const SECTIONS = ["data", "load", "train", "interventions", "experiments", "audit"] as const;
type Section = (typeof SECTIONS)[number];

function args(): { profile: Profile; only: Section[]; json?: string } {
  const a = process.argv.slice(2);
  const get = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const only = (get("--only")?.split(",") ?? [...SECTIONS]) as Section[];
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section "${s}" (known: ${SECTIONS.join(", ")})`);
  return { profile: checkProfile(get("--profile") ?? "quick", "--profile"), only, json: get("--json") };
}

function timeIt<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}


function benchData(profile: Profile): Row[] {
  const rows: Row[] = [];
  const sp = timeIt(() => generateSynPain({ seed: 1, profile }));
  rows.push({ what: `generateSynPain (${profile})`, frames: sp.value.size, seconds: sp.seconds, "frames/s": sp.value.size / sp.seconds });
  const se = timeIt(() => generateSynEmotion({ seed: 1, profile }));
  const n = se.value.source.size + se.value.target.size + se.value.graphSource.size;
  rows.push({ what: `generateSynEmotion (${profile}, 3 domains)`, frames: n, seconds: se.seconds, "frames/s": n / se.seconds });
  const rng = new Rng(1);
  const N = 50_000;
  const K = OPENFACE_AUS.length;
  const intensities = Float32Array.from({ length: N * K }, () => (rng.bernoulli(0.3) ? 1 + rng.int(5) : 0));
  for (let i = 0; i < N; i++) intensities[i * K + K - 1] = Math.min(1, intensities[i * K + K - 1]);
  const identities = Array.from({ length: 25 }, () => sampleIdentity(rng));
  const r = timeIt(() => renderFrames({ aus: OPENFACE_AUS, intensities, identities, identityOf: Int32Array.from({ length: N }, (_, i) => i % 25), poses: samplePoses(rng, N), rng }));
  rows.push({ what: "renderFrames (17 AUs)", frames: N, seconds: r.seconds, "frames/s": N / r.seconds });
  const gs = se.value.graphSource;
  const ind = timeIt(() => inducePolarityGraph(gs, gs.labels!, {}));
  rows.push({ what: "inducePolarityGraph (SynEmotion graph source, 7 classes × 50 resamples)", frames: gs.size, seconds: ind.seconds, "frames/s": gs.size / ind.seconds });
  return rows;
}

function benchLoad(): Row[] {
  const fixture = path.join("data", "fixtures", "openface", "full.csv");
  const lines = fs.readFileSync(fixture, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const body = lines.slice(1).filter((l) => l.split(",")[3].trim() === "1");
  const rows = 20_000;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "facr-bench-")), "big.csv");
  const out = [lines[0]];
  for (let r = 0; r < rows; r++) {
    const row = body[r % body.length];
    out.push(String(r + 1) + row.slice(row.indexOf(",")));
  }
  fs.writeFileSync(file, out.join("\n") + "\n");
  const t = timeIt(() => loadOpenFace(file));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return [{ what: "loadOpenFace (431 columns)", frames: rows, seconds: t.seconds, "frames/s": rows / t.seconds }];
}

function benchTrain(): Row[] {
  const G = pspiGraph();
  const rng = new Rng(1);
  const N = 4096;
  const D = 141; // 66 landmarks × 2 + 9 appearance features, as SynPain
  const K = G.aus.length;
  const data = {
    x: Float32Array.from({ length: N * D }, () => rng.normal()),
    D,
    au: Float32Array.from({ length: N * K }, () => (rng.bernoulli(0.2) ? rng.next() : 0)),
    K,
    y: Int32Array.from({ length: N }, () => rng.int(2)),
    N,
  };
  const rows: Row[] = [];
  for (const [arm, lambdaCf, bottleneckOnly] of [["baseline", 0, false], ["facr / control", 1, false], ["bottleneck", 0, true]] as const) {
    const r = new Reasoner({ inputDim: D, aus: [...G.aus], classes: [...G.classes], bottleneckOnly });
    const res = trainReasoner(r, data, null, G, { epochs: 3, patience: 9, batchSize: 256, lambdaCf });
    rows.push({ arm, batch: 256, "steps/s": res.stepsPerSecond, "samples/s": res.samplesPerSecond });
    r.dispose();
  }
  return rows;
}

function benchInterventions(): Row[] {
  const rows: Row[] = [];
  for (const [name, G] of [["PSPI", pspiGraph()], ["emotion prototypes", emotionPrototypeGraph()]] as const) {
    const K = G.aus.length;
    const r = new Reasoner({ inputDim: 141, aus: [...G.aus], classes: [...G.classes] });
    const N = 2048;
    const z = tf.randomUniform([N, K], 0, 1, "float32", 1) as tf.Tensor2D;
    const h = tf.randomNormal([N, 16], 0, 1, "float32", 2) as tf.Tensor2D;
    tf.dispose(interventionEffects(r.head, z, h, G));
    const reps = 5;
    // Read the values out but return nothing from the tidy: a TypedArray returned
    // from tf.tidy is walked key by key (and each value added to a Set) looking
    // for tensors, which cost more than the effects themselves and under-reported them.
    const t = timeIt(() => {
      for (let i = 0; i < reps; i++) tf.tidy(() => void interventionEffects(r.head, z, h, G).dataSync());
    });
    const evals = reps * N * K * 2;
    rows.push({ graph: `${name} (K=${K}, C=${G.classes.length})`, N, "head evals/s (N·K·2)": evals / t.seconds, "frames/s": (reps * N) / t.seconds });
    tf.dispose([z, h]);
    r.dispose();
  }
  return rows;
}

async function benchExperiments(profile: Profile): Promise<Row[]> {
  const row = (experiment: string, wall: number, d: { trainSeconds: number; evaluateSeconds: number; summarizeSeconds: number }): Row => ({
    experiment, profile, "wall s": wall, "train s": d.trainSeconds, "evaluate s": d.evaluateSeconds, "summarize s": d.summarizeSeconds,
  });
  let t0 = performance.now();
  const pspi = await runPspiExperiment({ profile, log: () => {} });
  const rows = [row("pspi (C1–C3)", (performance.now() - t0) / 1000, pspi.durations)];
  t0 = performance.now();
  const emotion = await runEmotionTransfer({ profile, log: () => {} });
  rows.push(row("emotion transfer (C4)", (performance.now() - t0) / 1000, emotion.durations));
  return rows;
}

/**
 * `facr audit` on a large OpenFace 2.0 file built from the fixture (its
 * success = 1 rows repeated, frame numbers renumbered): frames per second of the
 * audit proper (load, z and geometry, batched effects, rationales, metric with a
 * 1000-resample CI), the default head's one-off training reported apart.
 */
async function benchAudit(): Promise<Row[]> {
  const fixture = path.join("data", "fixtures", "openface", "full.csv");
  const lines = fs.readFileSync(fixture, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const body = lines.slice(1).filter((l) => l.split(",")[3].trim() === "1");
  const rows: Row[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-bench-audit-"));
  try {
    // warm-up: trains and keeps the default emotion head, so the timed runs measure the audit itself
    const warm = path.join(dir, "warm.csv");
    fs.writeFileSync(warm, [lines[0], ...body.map((r, i) => String(i + 1) + r.slice(r.indexOf(",")))].join("\n") + "\n");
    const w = await runAudit({ data: warm, format: "openface", graph: "emotion" });
    rows.push({ what: "default emotion head (one-off training, SynEmotion)", frames: Number(w.reasoner.training.rows ?? 0), seconds: w.durations.trainSeconds, "frames/s": "–", "load s": "–", "score s": "–", "rationale s": "–", "metric s": "–" });
    for (const n of [20_000]) {
      const file = path.join(dir, `big-${n}.csv`);
      const out = [lines[0]];
      for (let r = 0; r < n; r++) {
        const row = body[r % body.length];
        out.push(String(r + 1) + row.slice(row.indexOf(",")));
      }
      fs.writeFileSync(file, out.join("\n") + "\n");
      const r = await runAudit({ data: file, format: "openface", graph: "emotion" });
      const d = r.durations;
      rows.push({ what: `facr audit, OpenFace 2.0 (431 columns), G emotion (17 AUs × 7)`, frames: n, seconds: d.totalSeconds, "frames/s": r.framesPerSecond, "load s": d.loadSeconds, "score s": d.scoreSeconds, "rationale s": d.rationaleSeconds, "metric s": d.metricSeconds });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const { profile, only, json } = args();
  await initBackend(undefined, { quiet: true });
  const info = backendInfo()!;
  console.log(`facr benchmarks — backend ${info.name}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}, profile ${profile}`);
  const out: Record<string, Row[]> = {};
  if (only.includes("data")) table("data generation and induction", (out.data = benchData(profile)));
  if (only.includes("load")) table("loaders", (out.load = benchLoad()));
  if (only.includes("train")) table("training (SynPain-sized input, K = 11)", (out.train = benchTrain()));
  if (only.includes("interventions")) table("intervention effects (audit: one batched head call per chunk)", (out.interventions = benchInterventions()));
  if (only.includes("experiments")) table(`experiments at profile ${profile}`, (out.experiments = await benchExperiments(profile)));
  if (only.includes("audit")) table("facr audit (frames/s: the audit proper, head training apart)", (out.audit = await benchAudit()));
  if (json) writeJsonAtomic(json, { backend: info.name, profile, cpus: os.cpus().length, date: new Date().toISOString(), ...out });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
