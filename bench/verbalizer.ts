/**
 * Verbalizer benchmarks: how fast the language models train and decode on this
 * machine, and how long the verbalizer experiment takes. Speed is measured
 * here, never asserted in tests.
 *
 *   npx tsx bench/verbalizer.ts [--profile smoke|quick|paper] [--no-experiment] [--json FILE]
 *
 * Models have the experiment's architecture (VERBALIZER_DEFAULTS.lm); the
 * corpus is the grammar's, over random active-causal AU sets of both tasks.
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { ACTION_UNITS } from "../src/au/registry";
import { runVerbalizerExperiment, VERBALIZER_DEFAULTS } from "../src/experiments/verbalizer";
import { CausalGraph } from "../src/graph/graph";
import { EMOTION_CLASSES, emotionPrototypeGraph, PAIN_CLASSES, pspiGraph } from "../src/graph/known";
import { backendInfo, initBackend } from "../src/model/backend";
import { writeJsonAtomic } from "../src/util/atomic";
import { checkProfile, Profile } from "../src/util/config";
import { Rng } from "../src/util/random";
import { generateCorpus, RationaleSpec } from "../src/verbalizer/corpus";
import { decodeRationales } from "../src/verbalizer/decode";
import { Vocabulary } from "../src/verbalizer/grammar";
import { createLm, trainLm } from "../src/verbalizer/lm";
import { BACKBONES, CausalLm } from "../src/verbalizer/lm-base";

import { Row, table } from "./table";

function args(): { profile: Profile; experiment: boolean; json?: string } {
  const a = process.argv.slice(2);
  const get = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return { profile: checkProfile(get("--profile") ?? "paper", "--profile"), experiment: !a.includes("--no-experiment"), json: get("--json") };
}


/** Random non-empty subsets of each class's +1 AUs (empty for classes without any). */
function randomSpecs(graphs: CausalGraph[], n: number, rng: Rng): RationaleSpec[] {
  const out: RationaleSpec[] = [];
  for (let i = 0; i < n; i++) {
    const g = graphs[rng.int(graphs.length)];
    const c = rng.int(g.classes.length);
    const causal = g.aus.filter((_, k) => g.polarity[k][c] === 1);
    let aus = causal.filter(() => rng.bernoulli(0.6));
    if (causal.length && !aus.length) aus = [causal[rng.int(causal.length)]];
    out.push({ className: g.classes[c], aus });
  }
  return out;
}

function makeLm(kind: "gru" | "transformer", vocab: Vocabulary): CausalLm {
  const l = VERBALIZER_DEFAULTS.lm;
  const t = l.transformer;
  return createLm(vocab, kind === "gru" ? { kind, hidden: l.gru.hidden, maxLength: l.maxLength, seed: 1 } : { kind, dModel: t.dModel, heads: t.heads, layers: t.layers, mlpHidden: t.mlpHidden, maxLength: l.maxLength, seed: 1 });
}

async function main(): Promise<void> {
  const { profile, experiment, json } = args();
  await initBackend(undefined, { quiet: true });
  console.log(`backend ${backendInfo()?.name}, ${os.cpus().length} CPUs, node ${process.version}`);
  const graphs = [pspiGraph(), emotionPrototypeGraph()];
  const vocab = new Vocabulary({
    classes: [...PAIN_CLASSES, ...EMOTION_CLASSES],
    aus: ACTION_UNITS.map((a) => a.code).filter((c) => graphs.some((g) => g.aus.includes(c))),
  });
  const rng = new Rng(1);
  const batchSize = VERBALIZER_DEFAULTS.lm.batchSize;
  const corpus = generateCorpus(vocab, randomSpecs(graphs, batchSize * 40, rng), 1);
  const results: Record<string, Row[]> = { training: [], decoding: [], experiment: [] };

  for (const kind of BACKBONES) {
    const lm = makeLm(kind, vocab);
    trainLm(lm, corpus.slice(0, batchSize * 4), null, { epochs: 1, batchSize }); // warm-up
    const res = trainLm(lm, corpus, null, { epochs: 1, batchSize, learningRate: VERBALIZER_DEFAULTS.lm[kind].learningRate });
    results.training.push({ backbone: kind, parameters: lm.parameterCount, batch: batchSize, steps: res.steps, seconds: res.seconds, "steps/s": res.stepsPerSecond, "target tokens/s": res.tokensPerSecond });

    // decoding: a batch of the size the audit uses, free and gated
    const n = 512;
    const K = graphs[1].aus.length;
    const act = Float32Array.from({ length: n * K }, () => (rng.bernoulli(0.5) ? rng.next() : 0));
    const classes = Array.from({ length: n }, () => graphs[1].classes[rng.int(graphs[1].classes.length)]);
    for (const mode of ["free", "gated"] as const) {
      const t0 = performance.now();
      const out = decodeRationales((p) => lm.nextLogits(p), vocab, { classes, aus: graphs[1].aus, activations: act, seeds: classes.map((_, i) => i) }, { mode, beta: 5, theta: 0.3 });
      const seconds = (performance.now() - t0) / 1000;
      const tokens = out.reduce((s, d) => s + d.tokens.length - 1, 0);
      results.decoding.push({ backbone: kind, mode, rationales: n, tokens, seconds, "tokens/s": tokens / seconds, "rationales/s": n / seconds, "mean length": tokens / n });
    }
    lm.dispose();
  }
  table(`LM training (teacher forcing, batch ${batchSize}, experiment architecture)`, results.training);
  table("decoding (emotion task, 512 rationales in one batch, sampling; the GRU re-reads each prefix)", results.decoding);

  if (experiment) {
    const r = await runVerbalizerExperiment({ profile, log: () => {} });
    const d = r.durations;
    results.experiment.push({
      profile,
      "total s": d.totalSeconds,
      "data s": d.dataSeconds,
      "reasoners s": d.reasonerSeconds,
      "GRU s": d.lmSeconds.gru,
      "Transformer s": d.lmSeconds.transformer,
      "gate choice s": d.gateSeconds,
      "audit s": d.auditSeconds,
    });
    table(`verbalizer experiment wall time (profile ${profile})`, results.experiment);
  }
  console.log(`\ntf.memory().numTensors at exit: ${tf.memory().numTensors}`);
  if (json) writeJsonAtomic(json, { backend: backendInfo()?.name, cpus: os.cpus().length, profile, ...results });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
