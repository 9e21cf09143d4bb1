import { ACTION_UNITS } from "../au/registry";
import { scoreModel } from "../evaluate/score";
import { Interval } from "../faithfulness/metric";
import { EMOTION_CLASSES, PAIN_CLASSES } from "../graph/known";
import { Reasoner } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { formatEpoch, trainReasoner } from "../train/train";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { Provenance } from "../util/provenance";
import { Rng } from "../util/random";
import { AblationExample, AblationMeasure, AblationSamples, checkTaskVocabulary, GateSelection, measureVerbalizer, selectGateParameters } from "../verbalizer/ablation";
import { generateCorpus, rationaleSpecs, sampleRowsPerClass } from "../verbalizer/corpus";
import { DecodeMode, DECODE_MODES } from "../verbalizer/decode";
import { renderTokens, Vocabulary } from "../verbalizer/grammar";
import { createLm, formatLmEpoch, perplexity, trainLm } from "../verbalizer/lm";
import { BackboneKind, BACKBONES, CausalLm } from "../verbalizer/lm-base";
import { RunOptions, runExperiment } from "./run";
import { emotionTask, painTask, TaskName, TaskSetup } from "./verbalizer-tasks";

/**
 * The verbalizer experiment (claims C5–C7, spec §8).
 *
 * 1. One FACR reasoner per task (λ_cf > 0 with the task's known graph):
 *    pain — SynPain at the profile, subjects split into train / validation / test;
 *    emotion — SynEmotion source domain (train / validation subjects), tested on
 *    the target domain (other subjects, weaker partial prototypes).
 * 2. A rationale corpus from the *training* rows' labels and ground-truth AUs
 *    (active causal AUs under G, per class, class-balanced), one shared
 *    vocabulary for both tasks; a validation corpus from the validation rows.
 * 3. Two language models on that corpus, GRU and Transformer (teacher forcing,
 *    seeded), with their validation perplexity.
 * 4. β and θ of gated decoding chosen once on the GRU from validation samples
 *    (criterion in `selectGateParameters`); θ_gate fixed a priori at 0.1 =
 *    half of the lowest FACS intensity (A = 1 of 5 → 0.2 on z's scale).
 * 5. The audit on test samples (activations a = z of the reasoner, conditioning
 *    class = its prediction): {free, gated} × {GRU, Transformer} × {pain, emotion}.
 *
 * All data are SYNTHETIC with a known structure; the numbers say how the
 * verbalizer behaves on them, not on real faces.
 */
export interface VerbalizerExperimentConfig {
  /** Seed of data, splits, initializations, corpus and sampling. */
  seed: number;
  pain: {
    /** Share of SynPain subjects held out as test subjects. */
    testFraction: number;
    /** Share of the remaining subjects used for validation (early stopping, LM validation, β/θ choice). */
    validationFraction: number;
    /** Train on every n-th training frame (30 fps frames are near-duplicates). */
    trainStride: number;
  };
  emotion: { validationFraction: number };
  reasoner: {
    encoderHidden: number[];
    embeddingDim: number;
    headHidden: number[];
    lambdaCf: number;
    train: { epochs: number; patience: number; batchSize: number; learningRate: number };
  };
  corpus: {
    /** Training rationales per class (rows drawn without replacement from training rows). */
    perClass: number;
    /** Validation rationales per class. */
    validationPerClass: number;
    paraphrases: number;
  };
  lm: {
    maxLength: number;
    epochs: number;
    patience: number;
    batchSize: number;
    gru: { hidden: number; learningRate: number };
    transformer: { dModel: number; heads: number; layers: number; mlpHidden: number; learningRate: number };
  };
  decoding: { strategy: "greedy" | "sample"; temperature: number; maxTokens: number };
  gate: {
    /** Fixed a priori (see above). */
    thetaGate: number;
    betas: number[];
    thetas: number[];
    /** Floor on mean grammar acceptance for a (β, θ) to be eligible. */
    minAcceptance: number;
    /** Validation samples per predicted class for the choice. */
    validationPerClass: number;
  };
  audit: { perClass: number; examples: number };
  bootstrap: { resamples: number; seed: number };
}

export const VERBALIZER_DEFAULTS: VerbalizerExperimentConfig = {
  seed: 1,
  pain: { testFraction: 0.3, validationFraction: 0.2, trainStride: 4 },
  emotion: { validationFraction: 0.15 },
  reasoner: { encoderHidden: [128, 64], embeddingDim: 16, headHidden: [32], lambdaCf: 1, train: { epochs: 12, patience: 3, batchSize: 256, learningRate: 2e-3 } },
  corpus: { perClass: 600, validationPerClass: 100, paraphrases: 1 },
  lm: {
    maxLength: 40,
    epochs: 10,
    patience: 2,
    batchSize: 128,
    gru: { hidden: 96, learningRate: 1e-2 },
    transformer: { dModel: 64, heads: 4, layers: 2, mlpHidden: 128, learningRate: 5e-3 },
  },
  decoding: { strategy: "sample", temperature: 1, maxTokens: 32 },
  gate: { thetaGate: 0.1, betas: [0, 1, 2, 5, 10, 20], thetas: [0.1, 0.3, 0.5], minAcceptance: 0.95, validationPerClass: 30 },
  audit: { perClass: 100, examples: 4 },
  bootstrap: { resamples: 1000, seed: 0 },
};

/**
 * smoke: seconds, for tests (small cohorts, small models, few epochs); quick:
 * a smaller cohort and corpus; paper: the full protocol, ≈ 5 minutes on 2 cores.
 */
export const VERBALIZER_PROFILES: Record<Profile, DeepPartial<VerbalizerExperimentConfig>> = {
  smoke: {
    pain: { testFraction: 0.25, trainStride: 2 },
    reasoner: { train: { epochs: 6, patience: 6, batchSize: 128 } },
    corpus: { perClass: 150, validationPerClass: 30 },
    lm: { epochs: 6, patience: 6, batchSize: 64, gru: { hidden: 48 }, transformer: { dModel: 32, heads: 2, layers: 1, mlpHidden: 64 } },
    gate: { betas: [0, 5], thetas: [0.3], validationPerClass: 8 },
    audit: { perClass: 12, examples: 2 },
    bootstrap: { resamples: 50 },
  },
  quick: {
    corpus: { perClass: 350, validationPerClass: 60 },
    lm: { epochs: 8 },
    gate: { betas: [0, 2, 5, 10], thetas: [0.1, 0.3], validationPerClass: 20 },
    audit: { perClass: 40 },
    bootstrap: { resamples: 300 },
  },
  paper: {},
};

export type VerbalizerRunOptions = RunOptions<VerbalizerExperimentConfig>;

/** The verbalizer experiment's config of a profile with overrides on top. */
export function resolveVerbalizerConfig(profile: Profile, overrides?: DeepPartial<VerbalizerExperimentConfig>): VerbalizerExperimentConfig {
  return resolveConfig(resolveConfig(VERBALIZER_DEFAULTS, VERBALIZER_PROFILES[profile], "profile"), overrides, "config");
}

export type { TaskName } from "./verbalizer-tasks";

export interface AuditRow {
  task: TaskName;
  backbone: BackboneKind;
  mode: DecodeMode;
  samples: number;
  subjects: number;
  ablations: number;
  measures: Record<AblationMeasure, Interval>;
  examples: AblationExample[];
}

export interface VerbalizerResult {
  experiment: "verbalizer";
  claims: string[];
  profile: Profile;
  config: VerbalizerExperimentConfig;
  configHash: string;
  provenance: Provenance;
  data: {
    synthetic: true;
    note: string;
    tasks: Record<TaskName, { dataset: string; graph: string; trainFrames: number; validationFrames: number; testFrames: number; subjects: { train: number; validation: number; test: number } }>;
  };
  reasoners: Record<TaskName, { seconds: number; epochs: number; testAccuracy: number; predictedShare: Record<string, number> }>;
  vocabulary: { size: number; tokens: string[] };
  corpus: { train: number; validation: number; examples: string[] };
  languageModels: Record<BackboneKind, {
    parameters: number;
    validationPerplexity: number;
    perTaskValidationPerplexity: Record<TaskName, number>;
    training: { seconds: number; epochs: number; bestEpoch: number; stepsPerSecond: number; tokensPerSecond: number };
    history: { epoch: number; loss: number; validationPerplexity: number }[];
  }>;
  /** Reference points for the perplexities: uniform over the vocabulary, and a unigram model of the training corpus (add-one). */
  perplexityBaselines: { uniform: number; unigram: number };
  gate: GateSelection & { thetaGate: number; selectedOn: BackboneKind };
  audit: AuditRow[];
  durations: { totalSeconds: number; dataSeconds: number; reasonerSeconds: number; lmSeconds: Record<BackboneKind, number>; gateSeconds: number; auditSeconds: number };
}

export function runVerbalizerExperiment(opts: VerbalizerRunOptions = {}): Promise<VerbalizerResult> {
  return runExperiment<VerbalizerExperimentConfig, VerbalizerResult>({ name: "verbalizer", resolve: resolveVerbalizerConfig, format: formatVerbalizerSummary }, opts, ({ cfg, profile, log }) => {

    // ---- data and splits
    const td = performance.now();
    const tasks = [painTask(cfg, profile), emotionTask(cfg, profile)];
    const dataSeconds = (performance.now() - td) / 1000;
    for (const t of tasks) {
      log(`[verbalizer] ${t.name}: ${t.dataset}; frames train ${t.train.N}, validation ${t.validation.N}, test ${t.test.N}; subjects ${new Set(t.subjects.train).size}/${new Set(t.subjects.validation).size}/${new Set(t.subjects.test).size}`);
    }

    // ---- one FACR reasoner per task → activations and predictions on validation and test rows
    const tr = performance.now();
    const reasoners: VerbalizerResult["reasoners"] = {} as VerbalizerResult["reasoners"];
    const evals: Record<TaskName, { validation: { z: Float32Array; predicted: Int32Array }; test: { z: Float32Array; predicted: Int32Array } }> = {} as never;
    for (const [j, t] of tasks.entries()) {
      const reasoner = new Reasoner({ inputDim: t.train.D, aus: [...t.graph.aus], classes: [...t.graph.classes], encoderHidden: cfg.reasoner.encoderHidden, embeddingDim: cfg.reasoner.embeddingDim, headHidden: cfg.reasoner.headHidden, seed: cfg.seed * 100 + j });
      try {
        const res = trainReasoner(reasoner, t.train, t.validation, t.graph, { ...cfg.reasoner.train, lambdaCf: cfg.reasoner.lambdaCf, seed: cfg.seed * 100 + j }, (e) => {
          if (e.best || e.epoch === e.epochs) log(formatEpoch(e, `verbalizer reasoner ${t.name}`));
        });
        const test = activations(reasoner, t.test);
        evals[t.name] = { validation: activations(reasoner, t.validation), test };
        const acc = test.predicted.reduce((s, p, i) => s + (p === t.test.y[i] ? 1 : 0), 0) / t.test.N;
        reasoners[t.name] = {
          seconds: res.seconds,
          epochs: res.history.length,
          testAccuracy: acc,
          predictedShare: Object.fromEntries(t.graph.classes.map((c, ci) => [c, test.predicted.reduce((s, p) => s + (p === ci ? 1 : 0), 0) / t.test.N])),
        };
        log(`[verbalizer] reasoner ${t.name}: test accuracy ${acc.toFixed(3)} (${res.seconds.toFixed(1)}s)`);
      } finally {
        reasoner.dispose();
      }
    }
    const reasonerSeconds = (performance.now() - tr) / 1000;

    // ---- vocabulary and corpus (training rows → train corpus, validation rows → validation corpus)
    const vocab = new Vocabulary({
      classes: [...PAIN_CLASSES, ...EMOTION_CLASSES],
      aus: ACTION_UNITS.map((a) => a.code).filter((c) => tasks.some((t) => t.graph.aus.includes(c))),
    });
    for (const t of tasks) checkTaskVocabulary(vocab, t.graph);
    const corpusOf = (t: TaskSetup, d: ReasonerRows, perClass: number, salt: string) =>
      generateCorpus(vocab, rationaleSpecs(t.graph, d.y, d.au, sampleRowsPerClass(d.y, t.graph.classes.length, perClass, `${cfg.seed}/${t.name}/${salt}`)), `${cfg.seed}/${t.name}/${salt}`, { paraphrases: cfg.corpus.paraphrases });
    const trainCorpus = tasks.flatMap((t) => corpusOf(t, t.train, cfg.corpus.perClass, "train"));
    const valByTask = Object.fromEntries(tasks.map((t) => [t.name, corpusOf(t, t.validation, cfg.corpus.validationPerClass, "validation")])) as Record<TaskName, number[][]>;
    const valCorpus = tasks.flatMap((t) => valByTask[t.name]);
    log(`[verbalizer] vocabulary ${vocab.size} tokens; corpus ${trainCorpus.length} training / ${valCorpus.length} validation rationales`);

    // ---- language models
    const lms = {} as Record<BackboneKind, CausalLm>;
    const lmInfo = {} as VerbalizerResult["languageModels"];
    const lmSeconds = {} as Record<BackboneKind, number>;
    try {
      for (const kind of BACKBONES) {
        const tl = performance.now();
        const arch = kind === "gru" ? { hidden: cfg.lm.gru.hidden } : { dModel: cfg.lm.transformer.dModel, heads: cfg.lm.transformer.heads, layers: cfg.lm.transformer.layers, mlpHidden: cfg.lm.transformer.mlpHidden };
        const lm = createLm(vocab, { kind, ...arch, maxLength: cfg.lm.maxLength, seed: cfg.seed });
        lms[kind] = lm;
        const res = trainLm(lm, trainCorpus, valCorpus, { epochs: cfg.lm.epochs, patience: cfg.lm.patience, batchSize: cfg.lm.batchSize, learningRate: cfg.lm[kind].learningRate, seed: cfg.seed }, (e) => log(formatLmEpoch(e, `verbalizer ${kind}`)));
        lmInfo[kind] = {
          parameters: lm.parameterCount,
          validationPerplexity: res.validationPerplexity,
          perTaskValidationPerplexity: Object.fromEntries(tasks.map((t) => [t.name, perplexity(lm, valByTask[t.name])])) as Record<TaskName, number>,
          training: { seconds: res.seconds, epochs: res.history.length, bestEpoch: res.bestEpoch, stepsPerSecond: res.stepsPerSecond, tokensPerSecond: res.tokensPerSecond },
          history: res.history.map((h) => ({ epoch: h.epoch, loss: h.loss, validationPerplexity: h.validationPerplexity })),
        };
        lmSeconds[kind] = (performance.now() - tl) / 1000;
        log(`[verbalizer] ${kind}: ${lm.parameterCount} parameters, validation perplexity ${res.validationPerplexity.toFixed(3)} (${lmSeconds[kind].toFixed(1)}s)`);
      }

      // ---- β, θ on the GRU, validation samples only
      const tg = performance.now();
      const decodeBase = { strategy: cfg.decoding.strategy, temperature: cfg.decoding.temperature, maxTokens: cfg.decoding.maxTokens, thetaGate: cfg.gate.thetaGate };
      const pick = (t: TaskSetup, split: "validation" | "test", perClass: number): AblationSamples => {
        const e = evals[t.name][split];
        const rows = sampleRowsPerClass(e.predicted, t.graph.classes.length, perClass, `${cfg.seed}/${t.name}/${split}/audit`);
        const K = t.graph.aus.length;
        const subj = t.subjects[split];
        return {
          activations: Float32Array.from({ length: rows.length * K }, (_, q) => e.z[rows[Math.floor(q / K)] * K + (q % K)]),
          predicted: Int32Array.from(rows, (i) => e.predicted[i]),
          subjects: Array.from(rows, (i) => subj[i]),
        };
      };
      const gate = selectGateParameters(
        lms.gru,
        tasks.map((t) => ({ name: t.name, graph: t.graph, samples: pick(t, "validation", cfg.gate.validationPerClass) })),
        { betas: cfg.gate.betas, thetas: cfg.gate.thetas },
        { decode: decodeBase, seed: cfg.seed, minAcceptance: cfg.gate.minAcceptance },
      );
      const gateSeconds = (performance.now() - tg) / 1000;
      log(`[verbalizer] gate chosen on the GRU: β = ${gate.beta}, θ = ${gate.theta}, θ_gate = ${cfg.gate.thetaGate} (${gateSeconds.toFixed(1)}s)`);

      // ---- the audit
      const ta = performance.now();
      const audit: AuditRow[] = [];
      for (const t of tasks) {
        const samples = pick(t, "test", cfg.audit.perClass);
        for (const kind of BACKBONES) {
          for (const mode of DECODE_MODES) {
            const r = measureVerbalizer(lms[kind], t.graph, samples, {
              decode: { ...decodeBase, mode, beta: gate.beta, theta: gate.theta },
              seed: cfg.seed,
              bootstrap: { resamples: cfg.bootstrap.resamples, seed: cfg.bootstrap.seed },
              examples: cfg.audit.examples,
            });
            audit.push({ task: t.name, backbone: kind, mode, samples: r.samples, subjects: r.subjects, ablations: r.ablations, measures: r.measures, examples: r.examples });
            const m = r.measures;
            log(`[verbalizer] audit ${t.name} ${kind} ${mode}: removal ${m.removal.estimate.toFixed(3)}, stability ${m.stability.estimate.toFixed(3)}, κ ${m.kappaActive.estimate.toFixed(3)}, ppl ${m.perplexity.estimate.toFixed(2)}, accepted ${m.acceptance.estimate.toFixed(3)} (${r.samples} samples, ${r.ablations} ablations)`);
          }
        }
      }
      const auditSeconds = (performance.now() - ta) / 1000;

      return {
        experiment: "verbalizer",
        claims: ["C5", "C6", "C7"],
        config: cfg,
        data: {
          synthetic: true,
          note: "SYNTHETIC data with a known structure (SynPain, SynEmotion); rationales come from a paraphrase grammar over the known graphs. Not real faces.",
          tasks: Object.fromEntries(
            tasks.map((t) => [
              t.name,
              {
                dataset: t.dataset,
                graph: t.graph.provenance.source,
                trainFrames: t.train.N,
                validationFrames: t.validation.N,
                testFrames: t.test.N,
                subjects: { train: new Set(t.subjects.train).size, validation: new Set(t.subjects.validation).size, test: new Set(t.subjects.test).size },
              },
            ]),
          ) as VerbalizerResult["data"]["tasks"],
        },
        reasoners,
        vocabulary: { size: vocab.size, tokens: [...vocab.tokens] },
        corpus: { train: trainCorpus.length, validation: valCorpus.length, examples: exampleTexts(trainCorpus, vocab, cfg.seed) },
        languageModels: lmInfo,
        perplexityBaselines: { uniform: vocab.size, unigram: unigramPerplexity(trainCorpus, valCorpus, vocab.size) },
        gate: { ...gate, thetaGate: cfg.gate.thetaGate, selectedOn: "gru" },
        audit,
        durations: { dataSeconds, reasonerSeconds, lmSeconds, gateSeconds, auditSeconds },
      };
    } finally {
      for (const lm of Object.values(lms)) lm.dispose();
    }
  });
}

/** z and the predicted class of every row, in chunks. */
function activations(reasoner: Reasoner, d: ReasonerRows, chunk = 4096): { z: Float32Array; predicted: Int32Array } {
  const { z, predicted } = scoreModel(reasoner, d, [], { chunk, keepZ: true });
  return { z: z!, predicted };
}

function exampleTexts(corpus: number[][], vocab: Vocabulary, seed: number): string[] {
  const rng = new Rng(seed).fork("corpus-examples");
  return rng.sample(corpus, Math.min(8, corpus.length)).map((s) => `[${vocab.classOf(s[0])}] ${renderTokens(s, vocab)}`);
}

/** Perplexity of the validation corpus under add-one unigram frequencies of the training corpus (prefix tokens excluded). */
function unigramPerplexity(train: number[][], validation: number[][], V: number): number {
  const counts = new Float64Array(V).fill(1);
  let total = V;
  for (const s of train) for (const t of s.slice(1)) (counts[t]++, total++);
  let nll = 0;
  let n = 0;
  for (const s of validation) for (const t of s.slice(1)) (nll -= Math.log(counts[t] / total), n++);
  return Math.exp(nll / n);
}

/** A plain-text audit table for terminals and notebooks. */
export function formatVerbalizerSummary(r: VerbalizerResult): string {
  const ci = (v: Interval, d = 2) => (Number.isNaN(v.estimate) ? "–" : `${v.estimate.toFixed(d)} [${v.lo.toFixed(d)}, ${v.hi.toFixed(d)}]`);
  const col = (s: string, w: number) => s.padEnd(w);
  const lines = [
    `Verbalizer audit (C5–C7) — SYNTHETIC data with known structure (SynPain; SynEmotion source → target), profile ${r.profile}`,
    `gated decoding: logit_k + β·(a_k − θ), −∞ below θ_gate; β = ${r.gate.beta}, θ = ${r.gate.theta}, θ_gate = ${r.gate.thetaGate} (chosen on the GRU, validation samples; applied unchanged to the Transformer)`,
    `validation perplexity: ${BACKBONES.map((b) => `${b} ${r.languageModels[b].validationPerplexity.toFixed(3)} (pain ${r.languageModels[b].perTaskValidationPerplexity.pain.toFixed(3)}, emotion ${r.languageModels[b].perTaskValidationPerplexity.emotion.toFixed(3)})`).join("; ")}; unigram ${r.perplexityBaselines.unigram.toFixed(2)}, uniform ${r.perplexityBaselines.uniform}`,
    [col("task", 8), col("backbone", 12), col("mode", 6), col("removal", 19), col("stability", 19), col("resample rm.", 19), col("κ active", 19), col("κ act. causal", 19), col("perplexity", 19), col("accepted", 19), "n / ablations"].join(" "),
  ];
  for (const a of r.audit) {
    const m = a.measures;
    lines.push(
      [col(a.task, 8), col(a.backbone, 12), col(a.mode, 6), col(ci(m.removal), 19), col(ci(m.stability), 19), col(ci(m.resampleRemoval), 19), col(ci(m.kappaActive), 19), col(ci(m.kappaActiveCausal), 19), col(ci(m.perplexity), 19), col(ci(m.acceptance), 19), `${a.samples} / ${a.ablations}`].join(" "),
    );
  }
  lines.push("95% CIs: percentile bootstrap over test subjects. removal/stability: ablate each mentioned AU (a_k := 0), regenerate with the same class and random numbers.");
  return lines.join("\n");
}
