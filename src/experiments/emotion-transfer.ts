import { Dataset, summarizeDataset } from "../data/dataset";
import { validationSplit } from "../data/splits";
import { generateSynEmotion, SynEmotionConfig } from "../data/synemotion";
import { Agreement, AgreementTable, Interval } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { compareGraphs, GraphComparison } from "../graph/compare";
import { inducePolarityGraph, InductionResult } from "../graph/induce";
import { emotionPrototypeGraph } from "../graph/known";
import { extractFeatures, fitStandardizer, toReasonerRows } from "../model/features";
import { ReasonerConfig } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { TRAIN_DEFAULTS, TrainConfig } from "../train/train";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { Provenance } from "../util/provenance";
import { Rng } from "../util/random";
import { DetectionTable } from "../evaluate/detection";
import { Evaluation, EvaluationPart, poolEvaluations } from "../evaluate/pool";
import { argmaxRows } from "../evaluate/score";
import { ArmSummary, summarizeArms } from "../evaluate/summary";
import { trainArms } from "./arm-job";
import { ArmName, armSpec, controlGraph } from "./arms";
import { RunOptions, runExperiment } from "./run";

/**
 * Seven-class cross-dataset emotion transfer (claim C4). G is induced from the
 * graph-source domain only — never from source or target; the arms are trained
 * on the source domain (posed, with a class-correlated pose nuisance) and
 * evaluated on the target domain (in the wild, weaker partial prototypes, other
 * subjects): accuracy, macro-F1, confusion matrix, and fidelity to G (κ and the
 * other §5 measures) with bootstrap CIs over target subjects. Fidelity to the
 * FACS-prototype graph is reported beside it.
 */
export interface EmotionTransferConfig {
  data: { seed: number; config: DeepPartial<SynEmotionConfig> };
  /** Training seeds (weight init, batch order, validation subjects, G′). */
  seeds: number[];
  /** Share of source subjects held out for early stopping. */
  validationFraction: number;
  arms: ArmName[];
  reasoner: Pick<ReasonerConfig, "encoderHidden" | "embeddingDim" | "headHidden">;
  /** Training of every arm (full defaults, so every key is overridable; the arm sets its own seed and λ_cf). */
  train: TrainConfig;
  lambdaCf: number;
  /** inducePolarityGraph options (resamples, thresholds, seed…). */
  induction: { resamples: number; seed: number };
  tau: number;
  taus: number[];
  bootstrap: { resamples: number; seed: number };
  /** Target frames kept as examples (one per true class first; the same frames for every arm). */
  examples: number;
}

export const EMOTION_DEFAULTS: EmotionTransferConfig = {
  data: { seed: 1, config: {} },
  seeds: [1, 2, 3],
  validationFraction: 0.15,
  arms: ["baseline", "facr", "control", "bottleneck"],
  reasoner: { encoderHidden: [128, 64], embeddingDim: 16, headHidden: [32] },
  train: { ...TRAIN_DEFAULTS, epochs: 15, patience: 3 },
  lambdaCf: 1,
  induction: { resamples: 50, seed: 0 },
  tau: 0.5,
  taus: [0.05, 0.1, 0.25, 0.5, 1, 2, 4],
  bootstrap: { resamples: 1000, seed: 0 },
  examples: 7,
};

/** smoke: seconds, for tests; quick: one seed on a third of the data; paper: three seeds. */
export const EMOTION_PROFILES: Record<Profile, DeepPartial<EmotionTransferConfig>> = {
  smoke: { seeds: [1], train: { epochs: 8, patience: 8, batchSize: 128 }, induction: { resamples: 10 }, bootstrap: { resamples: 50 } },
  quick: { seeds: [1], train: { epochs: 10 }, bootstrap: { resamples: 300 } },
  paper: {},
};

export interface EmotionDomains {
  source: Dataset;
  target: Dataset;
  graphSource: Dataset;
}

export interface EmotionRunOptions extends RunOptions<EmotionTransferConfig> {
  /**
   * Use these domains instead of generating SynEmotion; a function receives the
   * resolved config and may return null for SynEmotion (the CLI passes
   * `(cfg) => emotionDomainsFromEnv(cfg.data.seed)`: FACR_CKPLUS_DIR's CK+
   * copy, its subjects partitioned into the three roles).
   */
  domains?: EmotionDomains | ((cfg: EmotionTransferConfig) => EmotionDomains | null);
}

/** The emotion-transfer config of a profile with overrides on top. */
export function resolveEmotionConfig(profile: Profile, overrides?: DeepPartial<EmotionTransferConfig>): EmotionTransferConfig {
  return resolveConfig(resolveConfig(EMOTION_DEFAULTS, EMOTION_PROFILES[profile], "profile"), overrides, "config");
}

export interface EmotionTransferResult {
  experiment: "emotion-transfer";
  claims: string[];
  profile: Profile;
  config: EmotionTransferConfig;
  configHash: string;
  provenance: Provenance;
  data: Record<"source" | "target" | "graphSource", { name: string; synthetic: boolean; summary: ReturnType<typeof summarizeDataset> }>;
  graphs: { induced: CausalGraph; prototypes: CausalGraph; controls: Record<string, CausalGraph> };
  induction: {
    frequencies: number[][];
    coefficients: number[][];
    /** Induced G vs the FACS prototypes, positive edges (prototype structure) and all edges. */
    vsPrototypesPositive: GraphComparison;
    vsPrototypesAll: GraphComparison;
    /** The distinct subjects of the data the induction read (must be the graph-source domain's). */
    subjectIds: string[];
  };
  /** Per arm: fidelity to the induced G ("G"), to G′ and to the FACS prototypes, recognition on target. */
  arms: Record<string, ArmSummary & { confusion: number[][]; perClassFidelity: Record<string, Agreement & { predicted: number }>; training: { seconds: number; epochs: number[] } }>;
  differences: Record<string, Record<string, Interval>>;
  perSeed: { seed: number; arm: string; kappa: number; accuracy: number; macroF1: number }[];
  /** A few target frames as every arm saw them (first seed): prediction, invoked AUs with Δ, G's causal set. */
  examples: EmotionExample[];
  durations: { totalSeconds: number; generateSeconds: number; inductionSeconds: number; trainSeconds: number; evaluateSeconds: number; summarizeSeconds: number };
}

/** One target frame and, per arm, what the arm predicted and which AUs moved that prediction. */
export interface EmotionExample {
  /** Training seed of the arms' evaluation shown. */
  seed: number;
  /** Row of the target domain. */
  row: number;
  subject: string;
  trueClass: string;
  /** AUs present in the frame (true intensity > 0, FACS scale 1–5), strongest first. */
  present: { au: string; intensity: number }[];
  arms: Record<string, {
    predicted: string;
    /** Probability of the predicted class. */
    probability: number;
    /** AUs with |Δ[k, ĉ]| ≥ τ (nats of log-odds of the predicted class), largest |Δ| first. */
    invoked: { au: string; delta: number }[];
    /** The AUs G marks causal for the predicted class, with G's sign and the arm's Δ on them. */
    causal: { au: string; sign: number; delta: number }[];
  }>;
}

export function runEmotionTransfer(opts: EmotionRunOptions = {}): Promise<EmotionTransferResult> {
  return runExperiment<EmotionTransferConfig, EmotionTransferResult>({ name: "emotion", resolve: resolveEmotionConfig, format: formatEmotionSummary }, opts, async ({ cfg, profile, log, elapsed, workers }) => {
    const tg = performance.now();
    const given = typeof opts.domains === "function" ? opts.domains(cfg) : opts.domains;
    const domains = given ?? generateSynEmotion({ seed: cfg.data.seed, profile, config: cfg.data.config });
    const { source, target, graphSource } = domains;
    const generateSeconds = (performance.now() - tg) / 1000;
    for (const [name, d] of Object.entries({ source, target, graphSource })) {
      const s = summarizeDataset(d);
      log(`[emotion] ${name}: ${d.name}: ${s.frames} frames, ${s.subjects} subjects`);
    }
    checkDisjoint(source, target, graphSource);

    // G from the graph-source domain only
    const ti = performance.now();
    const prototypes = emotionPrototypeGraph({ aus: graphSource.aus, classes: graphSource.labels!.classes });
    const inductionSubjects = [...new Set(graphSource.subjects)].sort();
    const induction: InductionResult = inducePolarityGraph(graphSource, graphSource.labels!, {
      resamples: cfg.induction.resamples,
      seed: cfg.induction.seed,
      groups: prototypes.groups as Record<string, string[][]>,
      provenanceSource: `induced from ${graphSource.name} (graph-source domain only)`,
    });
    const G = induction.graph;
    const inductionSeconds = (performance.now() - ti) / 1000;
    const vsPos = compareGraphs(G, prototypes, { edges: "positive" });
    log(`[emotion] induced G from ${inductionSubjects.length} graph-source subjects in ${inductionSeconds.toFixed(1)}s; positive edges vs FACS prototypes: precision ${vsPos.edgePrecision.toFixed(2)}, recall ${vsPos.edgeRecall.toFixed(2)}`);

    const fs = extractFeatures(source);
    const ft = extractFeatures(target);
    const perArm: Record<string, { parts: EvaluationPart[]; seconds: number; epochs: number[] }> = {};
    for (const a of cfg.arms) perArm[a] = { parts: [], seconds: 0, epochs: [] };
    const controls: Record<string, CausalGraph> = {};
    const perSeed: EmotionTransferResult["perSeed"] = [];
    let trainSeconds = 0;
    let evaluateSeconds = 0;
    const jobs = cfg.seeds.length * cfg.arms.length;
    let done = 0;
    const all = Int32Array.from({ length: source.size }, (_, i) => i);
    const targetRows = Int32Array.from({ length: target.size }, (_, i) => i);
    const targetSubjects = [...target.subjects];

    // One job per seed × arm; a seed's rows are built once, when its first arm is dispatched.
    const plan = cfg.seeds.flatMap((seed) => {
      const Gp = controlGraph(G, seed);
      controls[`seed${seed}`] = Gp;
      return cfg.arms.map((arm) => ({ seed, Gp, arm, label: `emotion seed ${seed} ${arm}` }));
    });
    let rows: { seed: number; train: ReasonerRows; validation: ReasonerRows; test: ReasonerRows } | null = null;
    const seedRows = (seed: number) => {
      if (rows?.seed === seed) return rows;
      const split = validationSplit(source, all, cfg.validationFraction, seed);
      const st = fitStandardizer(fs, split.train);
      rows = {
        seed,
        train: toReasonerRows(source, fs, st, split.train, G.aus),
        validation: toReasonerRows(source, fs, st, split.validation, G.aus),
        test: toReasonerRows(target, ft, st, targetRows, G.aus),
      };
      return rows;
    };
    const targetY = Int32Array.from(targetRows, (i) => target.labels!.y[i]);
    await trainArms(
      jobs,
      (i) => {
        const { seed, Gp, arm, label } = plan[i];
        const { train, validation, test } = seedRows(seed);
        return {
          spec: armSpec(arm, { G, complement: Gp }, { lambdaCf: cfg.lambdaCf }),
          // every arm of a seed starts from the same weights (a paired design, spec §11.7)
          reasoner: { inputDim: fs.D, ...cfg.reasoner, seed: seed * 1000 },
          train,
          validation,
          test,
          trainConfig: { ...cfg.train, seed },
          evalGraphs: [G, Gp, prototypes],
          label,
        };
      },
      {
        workers,
        log,
        onResult: (i, out) => {
          const { seed, arm, label } = plan[i];
          trainSeconds += out.trainSeconds;
          evaluateSeconds += out.evaluateSeconds;
          perArm[arm].parts.push({ ev: out.evaluation, y: targetY, subjects: targetSubjects, cluster: seed });
          perArm[arm].seconds += out.trainSeconds;
          perArm[arm].epochs.push(out.epochs);
          const table = new DetectionTable(out.evaluation.probs, targetY, G.classes.length);
          const det = table.summarize();
          const kappa = new AgreementTable({ data: out.evaluation.effects[0], shape: [targetY.length, G.aus.length, G.classes.length] }, table.predicted, G).summarize(cfg.tau).kappa;
          perSeed.push({ seed, arm, kappa, accuracy: det.accuracy, macroF1: det.macroF1 });
          done++;
          const sofar = elapsed();
          log(`[emotion] ${done}/${jobs} trainings done, ${sofar.toFixed(0)}s elapsed, ETA ${((sofar / done) * (jobs - done)).toFixed(0)}s — ${label}: fidelity κ = ${kappa.toFixed(3)}, accuracy = ${det.accuracy.toFixed(3)}`);
        },
      },
    );

    const ts = performance.now();
    const K = G.aus.length;
    const C = G.classes.length;
    const pooled = Object.fromEntries(cfg.arms.map((a) => [a, poolEvaluations(perArm[a].parts, K, C)]));
    const Gp0 = controls[`seed${cfg.seeds[0]}`];
    const { arms, differences } = summarizeArms(pooled, { G, "G'": Gp0, prototypes }, { tau: cfg.tau, taus: cfg.taus, resamples: cfg.bootstrap.resamples, seed: cfg.bootstrap.seed });
    const summarizeSeconds = (performance.now() - ts) / 1000;

    return {
      experiment: "emotion-transfer",
      claims: ["C4"],
      config: cfg,
      data: {
        source: describe(source),
        target: describe(target),
        graphSource: describe(graphSource),
      },
      graphs: { induced: G, prototypes, controls },
      induction: {
        frequencies: induction.frequencies,
        coefficients: induction.coefficients,
        vsPrototypesPositive: vsPos,
        vsPrototypesAll: compareGraphs(G, prototypes),
        subjectIds: inductionSubjects,
      },
      arms: Object.fromEntries(
        cfg.arms.map((a) => {
          const p = pooled[a];
          const det = new DetectionTable(p.probs, p.y, C);
          return [a, { ...arms[a], confusion: det.confusion(), perClassFidelity: perClassFidelity(p.effects[0], det.predicted, G, cfg.tau), training: { seconds: perArm[a].seconds, epochs: perArm[a].epochs } }];
        }),
      ),
      differences,
      perSeed,
      examples: pickExamples(target, G, Object.fromEntries(cfg.arms.map((a) => [a, perArm[a].parts[0].ev])), cfg.seeds[0], cfg.tau, cfg.examples, cfg.data.seed),
      durations: { generateSeconds, inductionSeconds, trainSeconds, evaluateSeconds, summarizeSeconds },
    };
  });
}

function describe(d: Dataset) {
  return { name: d.name, synthetic: d.source === "synthetic", summary: summarizeDataset(d) };
}

/** No subject may appear in two domains: induction, training and evaluation see disjoint people. */
export function checkDisjoint(source: Dataset, target: Dataset, graphSource: Dataset): void {
  const seen = new Map<string, string>();
  for (const [name, d] of Object.entries({ source, target, graphSource })) {
    for (const s of new Set(d.subjects)) {
      const other = seen.get(s);
      if (other && other !== name) throw new Error(`subject ${s} appears in both the ${other} and the ${name} domain: domains must be disjoint`);
      seen.set(s, name);
    }
  }
}

/** Fidelity restricted to the samples predicted as each class. */
function perClassFidelity(effects: Float32Array, predicted: Int32Array, G: CausalGraph, tau: number): Record<string, Agreement & { predicted: number }> {
  const table = new AgreementTable({ data: effects, shape: [predicted.length, G.aus.length, G.classes.length] }, predicted, G);
  return Object.fromEntries(
    G.classes.map((cls, c) => {
      const w = Float64Array.from(predicted, (p) => (p === c ? 1 : 0));
      return [cls, { ...table.summarize(tau, w), predicted: w.reduce((a, b) => a + b, 0) }];
    }),
  );
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * `count` target frames (one per true class first, seeded), the same for every
 * arm, with each arm's prediction, its invoked AUs and Δ on G's causal AUs.
 */
export function pickExamples(target: Dataset, G: CausalGraph, evaluations: Record<string, Evaluation>, seed: number, tau: number, count: number, dataSeed: number): EmotionExample[] {
  const K = G.aus.length;
  const C = G.classes.length;
  const y = target.labels!.y;
  const rng = new Rng(`${dataSeed}/${seed}`).fork("emotion-examples");
  const order = rng.shuffle(Array.from({ length: target.size }, (_, i) => i).filter((i) => y[i] >= 0));
  const rows: number[] = [];
  const seen = new Set<number>();
  for (const i of order) {
    if (rows.length >= count) break;
    if (!seen.has(y[i])) (rows.push(i), seen.add(y[i]));
  }
  for (const i of order) if (rows.length < count && !rows.includes(i)) rows.push(i);
  rows.sort((a, b) => y[a] - y[b] || a - b);
  const TK = target.aus.length;
  return rows.map((i) => ({
    seed,
    row: i,
    subject: target.subjects[i],
    trueClass: target.labels!.classes[y[i]],
    present: target.aus
      .map((au, k) => ({ au, intensity: round3(target.intensities[i * TK + k]) }))
      .filter((p) => p.intensity > 0)
      .sort((a, b) => b.intensity - a.intensity),
    arms: Object.fromEntries(
      Object.entries(evaluations).map(([arm, ev]) => {
        const probs = ev.probs.subarray(i * C, (i + 1) * C);
        const c = argmaxRows(probs, C)[0];
        const delta = (k: number) => ev.effects[0][(i * K + k) * C + c];
        return [
          arm,
          {
            predicted: G.classes[c],
            probability: round3(probs[c]),
            invoked: G.aus
              .map((au, k) => ({ au, delta: round3(delta(k)) }))
              .filter((_, k) => Math.abs(delta(k)) >= tau)
              .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)),
            causal: G.aus.map((au, k) => ({ au, sign: G.polarity[k][c] as number, delta: round3(delta(k)) })).filter((d) => d.sign !== 0),
          },
        ];
      }),
    ),
  }));
}

export function formatEmotionSummary(r: EmotionTransferResult): string {
  const ci = (v: Interval) => `${v.estimate.toFixed(3)} [${v.lo.toFixed(3)}, ${v.hi.toFixed(3)}]`;
  const lines = [
    `Emotion transfer (${r.data.source.synthetic && r.data.target.synthetic ? "SYNTHETIC data with known structure" : "real data"}: ${r.data.source.name} → ${r.data.target.name}), profile ${r.profile}, τ = ${r.config.tau}`,
    `${"arm".padEnd(12)} ${"fidelity κ (induced G)".padEnd(24)} ${"κ (FACS prototypes)".padEnd(24)} ${"accuracy".padEnd(22)} ${"macro-F1".padEnd(22)}`,
  ];
  for (const [a, s] of Object.entries(r.arms)) {
    lines.push(`${a.padEnd(12)} ${ci(s.agreement.G.kappa).padEnd(24)} ${ci(s.agreement.prototypes.kappa).padEnd(24)} ${ci(s.detection.accuracy).padEnd(22)} ${ci(s.detection.macroF1).padEnd(22)}`);
  }
  const d = r.differences["facr-baseline"];
  if (d) lines.push(`FACR − baseline: fidelity κ ${ci(d["agreement|G|kappa"])}, accuracy ${ci(d["detection|accuracy"])}, macro-F1 ${ci(d["detection|macroF1"])}`);
  return lines.join("\n");
}
