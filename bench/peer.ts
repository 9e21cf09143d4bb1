/**
 * The PyTorch peer benchmark (`make bench-peer`): facr's training step and
 * intervention effects against their PyTorch twin (bench/peer/facr_step.py) at
 * the PSPI sizes — D 141 input features, encoder [128, 64], K 11 AUs (z), d 16
 * (h), head [32], C 2 classes.
 *
 *   npx tsx bench/peer.ts [--rounds 11] [--warmup 1] [--batches 256,1024,4096] [--threads 1,2,2p]
 *                         [--effects-n 2048] [--python /usr/bin/python3] [--check-only] [--dump FILE] [--json FILE]
 *
 * --dump FILE keeps the dump, for `/usr/bin/python3 bench/peer/facr_step.py --check FILE`.
 *
 * 1. Agreement: a Reasoner with a fixed seed and a batch of random inputs and
 *    targets (some AUs not coded) are dumped to JSON with the PSPI graph and
 *    facr's own loss terms, gradients and effects; the Python side loads the
 *    same weights, recomputes them and reports max abs differences. Exit 1 when
 *    they disagree beyond 1e-4. The loss facr reports here is also checked
 *    against `trainReasoner`'s own first-epoch loss on the same batch.
 * 2. Timing, interleaved: one PyTorch server process per configuration (spawned
 *    once, commands over stdin/stdout, each side timing itself). Every round runs
 *    facr and each PyTorch configuration once per batch size, the order rotating
 *    between rounds; the warm-up rounds are dropped. facr's step is
 *    `trainReasoner` itself (one epoch of S steps, ms per step); PyTorch's is the
 *    same epoch loop written with torch.optim.Adam. Ratios facr / PyTorch are
 *    taken per round, then their median. --threads lists the PyTorch
 *    configurations: N = torch.set_num_threads(N) with OPENBLAS_NUM_THREADS =
 *    OMP_NUM_THREADS = N; "Np" adds OMP_WAIT_POLICY=PASSIVE.
 *
 * PyTorch is optional: without /usr/bin/python3 + torch this prints a skip
 * message and exits 0. Never part of `make test`.
 */
import { spawn, spawnSync, ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import * as tf from "@tensorflow/tfjs";
import { interventionEffects } from "../src/faithfulness/effects";
import { faithfulnessLossTerms } from "../src/faithfulness/loss";
import { CausalGraph } from "../src/graph/graph";
import { pspiGraph } from "../src/graph/known";
import { backendInfo, initBackend } from "../src/model/backend";
import { Reasoner } from "../src/model/reasoner";
import { ReasonerRows } from "../src/model/rows";
import { TRAIN_DEFAULTS, TrainConfig, trainReasoner } from "../src/train/train";
import { writeJsonAtomic } from "../src/util/atomic";
import { Rng } from "../src/util/random";
import { Row, table } from "./table";

const SIZES = { D: 141, encoderHidden: [128, 64], d: 16, headHidden: [32] };
const TOL = 1e-4;
const PEER = path.join(__dirname, "peer", "facr_step.py");

interface Args {
  rounds: number;
  warmup: number;
  batches: number[];
  /** PyTorch configurations: a thread count, "p" appended for OMP_WAIT_POLICY=PASSIVE (e.g. "2p"). */
  threads: string[];
  effectsN: number;
  python: string;
  checkOnly: boolean;
  dump?: string;
  json?: string;
}

function args(): Args {
  const a = process.argv.slice(2);
  const get = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const ints = (s: string) => s.split(",").map((v) => Number.parseInt(v, 10));
  return {
    rounds: Number(get("--rounds") ?? 11),
    warmup: Number(get("--warmup") ?? 1),
    batches: ints(get("--batches") ?? "256,1024,4096"),
    threads: (get("--threads") ?? "1,2,2p").split(","),
    effectsN: Number(get("--effects-n") ?? 2048),
    python: get("--python") ?? process.env.FACR_PEER_PYTHON ?? "/usr/bin/python3",
    checkOnly: a.includes("--check-only"),
    dump: get("--dump"),
    json: get("--json"),
  };
}

/** Random SynPain-sized data: x ~ N(0,1), AU targets 20% in (0,1) else 0, 5% not coded (NaN), labels 0/1. */
function randomData(N: number, K: number, C: number, seed: number): ReasonerRows {
  const rng = new Rng(seed);
  const D = SIZES.D;
  return {
    x: Float32Array.from({ length: N * D }, () => rng.normal()),
    D,
    au: Float32Array.from({ length: N * K }, () => (rng.bernoulli(0.05) ? NaN : rng.bernoulli(0.2) ? rng.next() : 0)),
    K,
    y: Int32Array.from({ length: N }, () => rng.int(C)),
    N,
  };
}

function newReasoner(G: CausalGraph): Reasoner {
  return new Reasoner({ inputDim: SIZES.D, aus: [...G.aus], classes: [...G.classes], encoderHidden: SIZES.encoderHidden, embeddingDim: SIZES.d, headHidden: SIZES.headHidden, seed: 7 });
}

/**
 * The training objective of src/train/train.ts on one batch, term for term
 * (that one is private to trainReasoner): CE + λ_au · masked BCE(z) + λ_cf · L_cf
 * through the project's interventionEffects and faithfulnessLossTerms. `check`
 * verifies it gives trainReasoner's own loss.
 */
function objective(r: Reasoner, d: ReasonerRows, G: CausalGraph, cfg: TrainConfig) {
  const au = Float32Array.from(d.au, (v) => (Number.isNaN(v) ? 0 : v));
  const mask = Float32Array.from(d.au, (v) => (Number.isNaN(v) ? 0 : 1));
  const x = tf.tensor2d(d.x, [d.N, d.D]);
  const auT = tf.tensor2d(au, [d.N, d.K]);
  const maskT = tf.tensor2d(mask, [d.N, d.K]);
  const y = tf.tensor1d(d.y, "int32");
  const { z, h } = r.encode(x);
  const logits = r.head(z, h);
  const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y, r.C), logits) as tf.Scalar;
  const eps = 1e-6;
  const zc = z.clipByValue(eps, 1 - eps);
  const bce = auT.mul(zc.log()).add(tf.sub(1, auT).mul(tf.sub(1, zc).log())).neg().mul(maskT);
  const auL = bce.sum().div(tf.maximum(maskT.sum(), 1)) as tf.Scalar;
  const effects = interventionEffects(r.head, z, h, G);
  const cf = faithfulnessLossTerms(effects, d.y, G, { margin: cfg.margin, causalWeight: cfg.causalWeight, irrelevantPenalty: cfg.irrelevantPenalty }).loss;
  const total = ce.add(auL.mul(cfg.lambdaAu)).add(cf.mul(cfg.lambdaCf)) as tf.Scalar;
  return { total, ce, au: auL, cf, effects };
}

/** Dump weights, batch, graph and facr's loss terms, gradients and effects; check the objective against trainReasoner. */
function writeDump(file: string, G: CausalGraph, cfg: TrainConfig): { trainLoss: Row } {
  const r = newReasoner(G);
  const B = 256;
  const batch = randomData(B, G.aus.length, G.classes.length, 11);
  const names = r.variableNames;
  const weights: Record<string, { shape: number[]; data: number[] }> = {};
  r.variables.forEach((v, i) => (weights[names[i]] = { shape: v.shape, data: Array.from(v.dataSync()) }));
  let terms: Record<string, number> = {};
  let effects: number[] = [];
  const { grads } = tf.variableGrads(() => {
    const t = objective(r, batch, G, cfg);
    terms = { total: t.total.dataSync()[0], ce: t.ce.dataSync()[0], au: t.au.dataSync()[0], cf: t.cf.dataSync()[0] };
    effects = Array.from(t.effects.dataSync());
    return t.total;
  }, r.variables);
  const g: Record<string, { shape: number[]; data: number[] }> = {};
  r.variables.forEach((v, i) => (g[names[i]] = { shape: grads[v.name].shape, data: Array.from(grads[v.name].dataSync()) }));
  tf.dispose(Object.values(grads));
  r.dispose();

  // The same batch through the real training loop: its first epoch's loss is the loss before the update.
  const r2 = newReasoner(G);
  const res = trainReasoner(r2, batch, null, G, { ...cfg, epochs: 1, batchSize: B });
  r2.dispose();
  const h = res.history[0];
  const trainLoss: Row = {
    "trainReasoner vs bench objective": "max |Δ| over total, ce, au, cf",
    diff: Math.max(Math.abs(h.loss - terms.total), Math.abs(h.ce - terms.ce), Math.abs(h.au - terms.au), Math.abs(h.cf - terms.cf)),
  };
  if (!(Number(trainLoss.diff) <= 1e-5)) throw new Error(`bench objective differs from trainReasoner's: ${JSON.stringify({ h, terms })}`);

  writeJsonAtomic(file, {
    format: "facr-peer/1",
    sizes: { D: SIZES.D, K: G.aus.length, d: SIZES.d, C: G.classes.length, encoderHidden: SIZES.encoderHidden, headHidden: SIZES.headHidden },
    train: { lambdaAu: cfg.lambdaAu, lambdaCf: cfg.lambdaCf, margin: cfg.margin, causalWeight: cfg.causalWeight, learningRate: cfg.learningRate },
    graph: { aus: G.aus, classes: G.classes, polarity: G.polarity, groups: G.groups },
    weights,
    batch: { N: B, x: Array.from(batch.x), au: Array.from(batch.au, (v) => (Number.isNaN(v) ? null : v)), y: Array.from(batch.y) },
    facr: { loss: terms, grads: g, effects },
  });
  return { trainLoss };
}

/** One PyTorch process: JSON lines in, JSON lines out. */
class Peer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  readonly threads: number;
  readonly passive: boolean;
  constructor(python: string, spec: string) {
    const m = /^([1-9][0-9]*)(p?)$/.exec(spec);
    if (!m) throw new Error(`--threads: "${spec}" is not a thread count, optionally followed by p (OMP_WAIT_POLICY=PASSIVE)`);
    this.threads = Number(m[1]);
    this.passive = m[2] === "p";
    const env = { ...process.env, ...(this.passive ? { OMP_WAIT_POLICY: "PASSIVE" } : {}) };
    this.proc = spawn(python, [PEER, "--serve", "--threads", String(this.threads)], { stdio: ["pipe", "pipe", "pipe"], env });
    this.proc.stderr.on("data", (b: Buffer) => process.stderr.write(`[${this.name}] ${b}`));
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  get name(): string {
    return `torch ${this.threads}t${this.passive ? " passive" : ""}`;
  }
  async call<T>(msg: Record<string, unknown>): Promise<T> {
    this.proc.stdin.write(JSON.stringify(msg) + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`the PyTorch peer (${this.threads} thread(s)) exited`);
    const out = JSON.parse(value) as T & { error?: string };
    if (out.error) throw new Error(`PyTorch peer: ${out.error}`);
    return out;
  }
  close(): void {
    this.proc.stdin.write(JSON.stringify({ cmd: "quit" }) + "\n");
    this.proc.stdin.end();
  }
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function torchAvailable(python: string): string | null {
  if (!fs.existsSync(python)) return `${python} not found`;
  const p = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
  return p.status === 0 ? null : `${python} cannot import torch (${(p.stderr || "").trim().split("\n").pop()})`;
}

async function main(): Promise<void> {
  const a = args();
  const why = torchAvailable(a.python);
  if (why) {
    console.log(`bench-peer: skipped — ${why}. Install the peer with: scripts/setup-debian.sh --peer (as root; python3-torch + libopenblas0-pthread).`);
    return;
  }
  await initBackend(undefined, { quiet: true });
  const G = pspiGraph();
  const K = G.aus.length;
  const C = G.classes.length;
  const cfg: TrainConfig = { ...TRAIN_DEFAULTS, lambdaCf: 1 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-peer-"));
  const dump = a.dump ?? path.join(dir, "peer.json");
  const peers: Peer[] = [];
  try {
    console.log(`facr peer benchmark — facr on tfjs ${tf.version.tfjs} ${backendInfo()!.name} (1 thread), node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log(`sizes: D ${SIZES.D}, encoder [${SIZES.encoderHidden}], K ${K} (z), d ${SIZES.d} (h), head [${SIZES.headHidden}], C ${C}; λ_au ${cfg.lambdaAu}, λ_cf ${cfg.lambdaCf}, Adam lr ${cfg.learningRate}`);
    const { trainLoss } = writeDump(dump, G, cfg);
    for (const t of a.threads) peers.push(new Peer(a.python, t));

    // BLAS in use, as the peer process sees it
    const peerInfo: Record<string, unknown> = {};
    for (const p of peers) {
      const i = await p.call<{ torch: string; torchThreads: number; openblasThreads: number | null; openblasConfig: string | null; libblasAlternative: string | null; loaded: string[]; torchBuild: string }>({ cmd: "info" });
      peerInfo[p.name] = i;
      console.log(`${p.name}: PyTorch ${i.torch} (${a.python}), ${p.threads} thread(s)${p.passive ? ", OMP_WAIT_POLICY=PASSIVE" : ""}: torch.get_num_threads() = ${i.torchThreads}, openblas_get_num_threads() = ${i.openblasThreads ?? "–"}; ${i.torchBuild}`);
      if (p === peers[0]) {
        console.log(`  libblas.so.3 alternative: ${i.libblasAlternative ?? "?"}`);
        console.log(`  BLAS/OpenMP libraries mapped: ${i.loaded.join(", ")}`);
        if (i.openblasConfig) console.log(`  OpenBLAS: ${i.openblasConfig}`);
      }
    }

    // 1. agreement
    const chk = await peers[0].call<{ ok: boolean; rows: { what: string; diff: number; scale: number; note: string }[] }>({ cmd: "check", file: dump, tol: TOL });
    table(`agreement on the same weights and batch (B = 256, PSPI graph), tolerance ${TOL}`, [
      ...chk.rows.map((r): Row => ({ quantity: r.what, "max |facr − torch|": r.diff.toExponential(2), "max |facr|": r.scale.toExponential(3), note: r.note })),
      { quantity: "facr: bench objective vs trainReasoner's loss", "max |facr − torch|": Number(trainLoss.diff).toExponential(2), "max |facr|": "", note: "(both facr)" },
    ]);
    if (!chk.ok) {
      console.error(`\nbench-peer: FAIL — facr and PyTorch disagree beyond ${TOL} (rows marked above). Dump kept at ${dump}`);
      process.exitCode = 1;
      return;
    }
    console.log(`AGREE: loss terms, gradients and effects within ${TOL}.`);
    if (a.checkOnly) return;

    // 2. interleaved timing
    for (const p of peers) await p.call({ cmd: "load", file: dump });
    const steps = (B: number) => Math.max(4, Math.round(8192 / B));
    const facrData = new Map(a.batches.map((B) => [B, randomData(B * steps(B), K, C, B)]));
    const r = newReasoner(G);
    const effN = a.effectsN;
    const reps = 5;
    const ez = tf.randomUniform([effN, K], 0, 1, "float32", 1) as tf.Tensor2D;
    const eh = tf.randomNormal([effN, SIZES.d], 0, 1, "float32", 2) as tf.Tensor2D;

    type Side = { name: string; step: (B: number) => Promise<number>; effects: () => Promise<number> };
    const sides: Side[] = [
      {
        name: "facr",
        step: async (B) => {
          const res = trainReasoner(r, facrData.get(B)!, null, G, { ...cfg, epochs: 1, batchSize: B });
          return (res.seconds * 1000) / res.steps;
        },
        effects: async () => {
          const t0 = performance.now();
          for (let i = 0; i < reps; i++) tf.tidy(() => void interventionEffects(r.head, ez, eh, G).dataSync());
          return (performance.now() - t0) / reps;
        },
      },
      ...peers.map((p): Side => ({
        name: p.name,
        step: async (B) => (await p.call<{ ms: number }>({ cmd: "step", B, S: steps(B) })).ms,
        effects: async () => (await p.call<{ ms: number }>({ cmd: "effects", N: effN, reps })).ms,
      })),
    ];
    const tasks = [...a.batches.map((B) => `step ${B}`), "effects"];
    const ms: Record<string, Record<string, number[]>> = Object.fromEntries(tasks.map((t) => [t, Object.fromEntries(sides.map((s) => [s.name, [] as number[]]))]));
    const total = a.warmup + a.rounds;
    process.stdout.write(`\ninterleaved rounds (${a.warmup} warm-up + ${a.rounds} timed; steps per measurement ${a.batches.map((B) => `B ${B}: ${steps(B)}`).join(", ")}; effects: ${reps} calls) `);
    for (let round = 0; round < total; round++) {
      for (const task of tasks) {
        // rotate who goes first, so no side always runs right after another
        const order = sides.map((_, i) => sides[(i + round) % sides.length]);
        for (const s of order) {
          const v = task === "effects" ? await s.effects() : await s.step(Number(task.split(" ")[1]));
          if (round >= a.warmup) ms[task][s.name].push(v);
          await sleep(300); // let BLAS/OpenMP worker threads stop spinning (OpenBLAS: ~2^28 cycles) before the next measurement
        }
      }
      process.stdout.write(round < a.warmup ? "w" : ".");
    }
    process.stdout.write("\n");
    tf.dispose([ez, eh]);
    r.dispose();

    const rows: Row[] = [];
    const json: Record<string, unknown>[] = [];
    for (const task of tasks) {
      const f = ms[task].facr;
      const row: Row = { what: task === "effects" ? `intervention effects N = ${effN} (N·K·2 = ${effN * K * 2} head evals)` : `training step B = ${task.split(" ")[1]}` };
      const unit = task === "effects" ? (v: number) => `${((effN * K * 2) / v / 1e3).toFixed(2)} M/s` : (v: number) => `${v.toFixed(1)} ms`;
      row.facr = unit(median(f));
      const rec: Record<string, unknown> = { task, facrMs: f };
      for (const s of sides.slice(1)) {
        const t = ms[task][s.name];
        const ratios = f.map((v, i) => v / t[i]);
        row[s.name] = unit(median(t));
        row[`facr/${s.name}`] = `${median(ratios).toFixed(2)}× [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`;
        rec[`${s.name}: ms`] = t;
        rec[`facr/${s.name}`] = ratios;
      }
      rows.push(row);
      json.push(rec);
    }
    table(
      `timing — medians over ${a.rounds} interleaved rounds; facr/torch = median of the per-round ratios of time (effects: of time per call) [min–max]; > 1 means facr is slower`,
      rows,
    );
    console.log(`\nfacr: tfjs wasm, 1 thread. torch Nt: PyTorch with torch.set_num_threads(N), OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = N;`);
    console.log(`"passive": also OMP_WAIT_POLICY=PASSIVE (libgomp's idle worker sleeps instead of spinning — on 2 shared cores the spinning one takes the core the other threads need).`);
    console.log(`Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} — on shared cores read the ratios, not the absolute times.`);
    if (a.json) writeJsonAtomic(a.json, { date: new Date().toISOString(), cpus: os.cpus().length, backend: backendInfo()!.name, rounds: a.rounds, warmup: a.warmup, peers: peerInfo, agreement: chk.rows, results: json });
  } finally {
    for (const p of peers) p.close();
    if (process.exitCode !== 1) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
