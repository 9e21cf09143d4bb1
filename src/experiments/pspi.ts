import { Dataset, summarizeDataset } from "../data/dataset";
import { Fold, subjectFolds, validationSplit } from "../data/splits";
import { generateSynPain, SynPainConfig } from "../data/synpain";
import { Interval } from "../faithfulness/metric";
import { CausalGraph } from "../graph/graph";
import { pspiGraph } from "../graph/known";
import { extractFeatures, fitStandardizer, toReasonerRows } from "../model/features";
import { ReasonerConfig } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { TRAIN_DEFAULTS, TrainConfig } from "../train/train";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { Provenance } from "../util/provenance";
import { Detection } from "../evaluate/detection";
import { Evaluation, poolEvaluations } from "../evaluate/pool";
import { ArmSummary, foldScores, summarizeArms } from "../evaluate/summary";
import { Agreement } from "../faithfulness/metric";
import { trainArms } from "./arm-job";
import { ArmName, controlGraph } from "./arms";
import { RunOptions, runExperiment } from "./run";

/**
 * The PSPI experiment (claims C1–C3): subject-grouped cross-validation on SynPain
 * (or UNBC-McMaster, given a loaded dataset) with the arms baseline, FACR,
 * permuted-G control and the bottleneck-only ablation. Reports agreement with the
 * true G (and with G′), detection AUC and F1, τ sweeps and per-AU effects, all
 * with bootstrap 95% CIs over test subjects pooled across folds and seeds.
 */
export interface PspiConfig {
  /** SynPain generation (ignored when a dataset is passed in). */
  data: { seed: number; config: DeepPartial<SynPainConfig> };
  /** Training seeds; each also reshuffles the subject folds. */
  seeds: number[];
  folds: number;
  /** Train on every n-th frame of the training subjects: consecutive frames at 30 fps are near-duplicates. Test on every frame. */
  trainStride: number;
  /** Share of training subjects held out for early stopping. */
  validationFraction: number;
  arms: ArmName[];
  reasoner: Pick<ReasonerConfig, "encoderHidden" | "embeddingDim" | "headHidden">;
  /** Training of every arm (full defaults, so every key is overridable; the arm sets its own seed and λ_cf). */
  train: TrainConfig;
  /** λ_cf of the FACR and control arms. */
  lambdaCf: number;
  /** Invocation threshold τ (nats) and the sweep. */
  tau: number;
  taus: number[];
  bootstrap: { resamples: number; seed: number };
}

export const PSPI_DEFAULTS: PspiConfig = {
  data: { seed: 1, config: {} },
  seeds: [1, 2, 3],
  folds: 5,
  trainStride: 4,
  validationFraction: 0.2,
  arms: ["baseline", "facr", "control", "bottleneck"],
  reasoner: { encoderHidden: [128, 64], embeddingDim: 16, headHidden: [32] },
  train: { ...TRAIN_DEFAULTS, epochs: 12, patience: 3 },
  lambdaCf: 1,
  tau: 0.5,
  taus: [0.05, 0.1, 0.25, 0.5, 1, 2, 4],
  bootstrap: { resamples: 1000, seed: 0 },
};

/** smoke: seconds, for tests; quick: one seed on a smaller cohort; paper: 5 folds × 3 seeds on the UNBC-shaped cohort. */
export const PSPI_PROFILES: Record<Profile, DeepPartial<PspiConfig>> = {
  smoke: { seeds: [1], folds: 2, trainStride: 1, train: { epochs: 8, patience: 8, batchSize: 128 }, bootstrap: { resamples: 50 } },
  quick: { seeds: [1], folds: 5, trainStride: 2, train: { epochs: 8 }, bootstrap: { resamples: 300 } },
  paper: {},
};

export interface PspiRunOptions extends RunOptions<PspiConfig> {
  /**
   * Use this dataset (e.g. `loadUnbc(dir)`, or `pspiDatasetFromEnv()` for
   * FACR_UNBC_DIR's copy) instead of generating SynPain from the config.
   */
  dataset?: Dataset;
}

export interface PspiResult {
  experiment: "pspi";
  claims: string[];
  profile: Profile;
  config: PspiConfig;
  configHash: string;
  provenance: Provenance;
  data: { name: string; source: string; synthetic: boolean; summary: ReturnType<typeof summarizeDataset> };
  graphs: { G: CausalGraph; controls: Record<string, CausalGraph> };
  arms: Record<string, ArmSummary & { training: { seconds: number; epochs: number[]; stepsPerSecond: number; samplesPerSecond: number } }>;
  /** Paired differences "a-b" (a minus b) with subject-bootstrap CIs, keys like "agreement|G|kappa". */
  differences: Record<string, Record<string, Interval>>;
  perFold: { seed: number; fold: number; arm: string; testSubjects: string[]; scores: Agreement & Detection }[];
  durations: { totalSeconds: number; generateSeconds: number; trainSeconds: number; evaluateSeconds: number; summarizeSeconds: number };
}

/** The PSPI config of a profile with overrides on top (the dose-response sweep resolves it the same way). */
export function resolvePspiConfig(profile: Profile, overrides?: DeepPartial<PspiConfig>, field = "config"): PspiConfig {
  return resolveConfig(resolveConfig(PSPI_DEFAULTS, PSPI_PROFILES[profile], "profile"), overrides, field);
}

/** The PSPI experiment's data when none is passed in: SynPain as the config says. */
export function pspiDataset(cfg: PspiConfig, profile: Profile): Dataset {
  return generateSynPain({ seed: cfg.data.seed, profile, config: cfg.data.config });
}

export function runPspiExperiment(opts: PspiRunOptions = {}): Promise<PspiResult> {
  return runExperiment<PspiConfig, PspiResult>({ name: "pspi", resolve: resolvePspiConfig, format: formatPspiSummary }, opts, async ({ cfg, profile, log, elapsed, workers }) => {
    const tg = performance.now();
    const ds = opts.dataset ?? pspiDataset(cfg, profile);
    const generateSeconds = (performance.now() - tg) / 1000;
    const summary = summarizeDataset(ds);
    log(`[pspi] ${ds.name}: ${summary.frames} frames, ${summary.subjects} subjects, ${summary.sequences} sequences, PSPI > 0 in ${(100 * (summary.pspiPositiveShare ?? NaN)).toFixed(1)}% (${generateSeconds.toFixed(1)}s)`);
    const G = pspiGraph();
    if (ds.aus.join() !== G.aus.join()) throw new Error(`the PSPI experiment needs the UNBC AUs [${G.aus.join(", ")}], the dataset has [${ds.aus.join(", ")}]`);
    const features = extractFeatures(ds);

    const perArm: Record<string, { parts: { ev: Evaluation; y: Int32Array; subjects: string[] }[]; seconds: number; epochs: number[]; steps: number; samples: number }> = {};
    for (const a of cfg.arms) perArm[a] = { parts: [], seconds: 0, epochs: [], steps: 0, samples: 0 };
    const perFold: PspiResult["perFold"] = [];
    const controls: Record<string, CausalGraph> = {};
    let trainSeconds = 0;
    let evaluateSeconds = 0;
    const jobs = cfg.seeds.length * cfg.folds * cfg.arms.length;
    let done = 0;

    // One job per seed × fold × arm, in that order; a fold's rows are built once, when its first arm is dispatched.
    const plan = cfg.seeds.flatMap((seed) => {
      const Gp = controlGraph(G, seed);
      controls[`seed${seed}`] = Gp;
      return subjectFolds(ds, cfg.folds, seed).flatMap((fold) => cfg.arms.map((arm, ai) => ({ seed, Gp, fold, arm, ai })));
    });
    let rows: { key: string; train: ReasonerRows; validation: ReasonerRows | null; test: ReasonerRows } | null = null;
    const foldRows = (seed: number, fold: Fold) => {
      const key = `${seed}/${fold.fold}`;
      if (rows?.key === key) return rows;
      const strided = Int32Array.from(fold.train.filter((_, j) => j % cfg.trainStride === 0));
      // A fold with one training subject (tiny real datasets) has no subject to hold out: train without early stopping.
      const split = new Set(fold.trainSubjects).size >= 2 ? validationSplit(ds, strided, cfg.validationFraction, seed * 100 + fold.fold) : { train: strided, validation: new Int32Array(0) };
      if (split.validation.length === 0) log(`[pspi] seed ${seed} fold ${fold.fold + 1}: one training subject, no validation subjects: training without early stopping`);
      const st = fitStandardizer(features, split.train);
      rows = {
        key,
        train: toReasonerRows(ds, features, st, split.train),
        validation: split.validation.length ? toReasonerRows(ds, features, st, split.validation) : null,
        test: toReasonerRows(ds, features, st, fold.test),
      };
      return rows;
    };
    const labelOf = (p: (typeof plan)[number]) => `pspi seed ${p.seed} fold ${p.fold.fold + 1}/${cfg.folds} ${p.arm}`;
    await trainArms(
      jobs,
      (i) => {
        const { seed, Gp, fold, arm, ai } = plan[i];
        const { train, validation, test } = foldRows(seed, fold);
        return {
          arm,
          G,
          Gp,
          lambdaCf: cfg.lambdaCf,
          reasoner: { inputDim: features.D, ...cfg.reasoner, seed: seed * 1000 + fold.fold * 10 + ai },
          train,
          validation,
          test,
          trainConfig: { ...cfg.train, seed: seed * 1000 + fold.fold },
          evalGraphs: [G, Gp],
          label: labelOf(plan[i]),
        };
      },
      {
        workers,
        log,
        onResult: (i, out) => {
          const { seed, fold, arm } = plan[i];
          const y = Int32Array.from(fold.test, (r) => ds.labels!.y[r]);
          const testSubjects = Array.from(fold.test, (r) => ds.subjects[r]);
          trainSeconds += out.trainSeconds;
          evaluateSeconds += out.evaluateSeconds;
          const ev = out.evaluation;
          const rec = perArm[arm];
          rec.parts.push({ ev, y, subjects: testSubjects });
          rec.seconds += out.trainSeconds;
          rec.epochs.push(out.epochs);
          rec.steps += out.steps;
          rec.samples += out.samples;
          perFold.push({ seed, fold: fold.fold, arm, testSubjects: fold.testSubjects, scores: foldScores(ev, y, G, cfg.tau) });
          done++;
          const sofar = elapsed();
          log(`[pspi] ${done}/${jobs} trainings done, ${sofar.toFixed(0)}s elapsed, ETA ${((sofar / done) * (jobs - done)).toFixed(0)}s — ${labelOf(plan[i])}: κ = ${perFold[perFold.length - 1].scores.kappa.toFixed(3)}, AUC = ${perFold[perFold.length - 1].scores.auc.toFixed(3)}`);
        },
      },
    );

    const ts = performance.now();
    const K = G.aus.length;
    const C = G.classes.length;
    const pooled = Object.fromEntries(cfg.arms.map((a) => [a, poolEvaluations(perArm[a].parts, K, C)]));
    // G′ depends on the seed only through permuteGraph; for PSPI it is the complement whatever the seed.
    const Gp0 = controls[`seed${cfg.seeds[0]}`];
    const { arms, differences } = summarizeArms(pooled, { G, "G'": Gp0 }, { tau: cfg.tau, taus: cfg.taus, resamples: cfg.bootstrap.resamples, seed: cfg.bootstrap.seed });
    const summarizeSeconds = (performance.now() - ts) / 1000;

    return {
      experiment: "pspi",
      claims: ["C1", "C2", "C3"],
      config: cfg,
      data: { name: ds.name, source: ds.source, synthetic: ds.source === "synthetic", summary },
      graphs: { G, controls },
      arms: Object.fromEntries(
        cfg.arms.map((a) => [
          a,
          { ...arms[a], training: { seconds: perArm[a].seconds, epochs: perArm[a].epochs, stepsPerSecond: perArm[a].steps / perArm[a].seconds, samplesPerSecond: perArm[a].samples / perArm[a].seconds } },
        ]),
      ),
      differences,
      perFold,
      durations: { generateSeconds, trainSeconds, evaluateSeconds, summarizeSeconds },
    };
  });
}

/** A plain-text table of the arms (agreement with G and G′, detection) for terminals and notebooks. */
export function formatPspiSummary(r: PspiResult): string {
  const ci = (v: Interval) => `${v.estimate.toFixed(3)} [${v.lo.toFixed(3)}, ${v.hi.toFixed(3)}]`;
  const lines = [
    `PSPI experiment (${r.data.synthetic ? "SYNTHETIC data with known structure" : r.data.source}: ${r.data.name}), profile ${r.profile}, τ = ${r.config.tau}`,
    `${"arm".padEnd(12)} ${"κ with G".padEnd(22)} ${"κ with G′".padEnd(22)} ${"AUC".padEnd(22)} ${"F1".padEnd(22)}`,
  ];
  for (const [a, s] of Object.entries(r.arms)) {
    lines.push(`${a.padEnd(12)} ${ci(s.agreement.G.kappa).padEnd(22)} ${ci(s.agreement["G'"].kappa).padEnd(22)} ${ci(s.detection.auc).padEnd(22)} ${ci(s.detection.f1).padEnd(22)}`);
  }
  const d = r.differences["facr-baseline"];
  if (d) lines.push(`FACR − baseline: κ ${ci(d["agreement|G|kappa"])}, AUC ${ci(d["detection|auc"])}, F1 ${ci(d["detection|f1"])}`);
  return lines.join("\n");
}
