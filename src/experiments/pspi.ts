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
import { EvaluationPart, poolEvaluations } from "../evaluate/pool";
import { ArmSummary, foldScores, GraphSlot, summarizeArms } from "../evaluate/summary";
import { Agreement, overlapKappa } from "../faithfulness/metric";
import { inSupportHi } from "../faithfulness/support";
import { randomGraph, wrongGraph } from "../graph/controls";
import { argmaxRows } from "../util/arrays";
import { trainArms } from "./arm-job";
import { ARM_LABELS, ARM_NAMES, ArmGraphs, ArmName, armSpec, controlGraph, wrongSwaps } from "./arms";
import { PREREGISTERED_REGIME, Regime, synPainRegime } from "./regimes";
import { RunOptions, runExperiment } from "./run";

/**
 * The PSPI experiment (claims C1–C3), second protocol (spec §11): subject-grouped
 * cross-validation on SynPain under a regime (§11.1; the pre-registered one by
 * default) or on UNBC-McMaster given a loaded dataset. Arms (experiments/arms.ts)
 * start from the same weights within a seed and fold; interventions are in the
 * data's support (hi = 95th percentile of non-zero training intensities, §11.2)
 * with do(z := 1) as a sensitivity; controls are the complement G′ and a random
 * G_perm per seed (§11.3); wrong graphs G_k (§11.4); every arm gets the
 * decision-level measures of §11.5; CIs are a hierarchical bootstrap over seeds,
 * then test subjects (§11.7), with per-seed values listed.
 */
export interface PspiConfig {
  /** SynPain generation (ignored when a dataset is passed in); its `regime` comes from `regime` below. */
  data: { seed: number; config: DeepPartial<SynPainConfig> };
  /** The SynPain regime (spec §11.1): PREREGISTERED_REGIME unless overridden (e.g. CLEAN_REGIME). */
  regime: Regime;
  /** Training seeds; each also reshuffles the subject folds and draws its own G_perm and G_k. */
  seeds: number[];
  folds: number;
  /** Train on every n-th frame of the training subjects: consecutive frames at 30 fps are near-duplicates. Test on every frame. */
  trainStride: number;
  /** Share of training subjects held out for early stopping. */
  validationFraction: number;
  arms: ArmName[];
  reasoner: Pick<ReasonerConfig, "encoderHidden" | "embeddingDim" | "headHidden">;
  /** Training of every arm (full defaults, so every key is overridable; the arm sets its own seed, λ_cf and λ_rrr). */
  train: TrainConfig;
  /** λ_cf of the arms with the objective. */
  lambdaCf: number;
  /** λ_rrr of the right-for-the-right-reasons arm. */
  lambdaRrr: number;
  /** hi of do(z_k := hi_k): this quantile of AU k's non-zero training intensities (as z); lo = 0. */
  interventionQuantile: number;
  /** Invocation threshold τ (nats) and the sweep. */
  tau: number;
  taus: number[];
  /** Arm-scaled τ: this fraction of the arm's median causal |Δ| (τ / m of the default: 0.5). */
  tauScale: number;
  bootstrap: { resamples: number; seed: number };
}

export const PSPI_DEFAULTS: PspiConfig = {
  data: { seed: 1, config: {} },
  regime: { ...PREREGISTERED_REGIME },
  seeds: [1, 2, 3, 4, 5],
  folds: 5,
  trainStride: 4,
  validationFraction: 0.2,
  arms: [...ARM_NAMES],
  reasoner: { encoderHidden: [128, 64], embeddingDim: 16, headHidden: [32] },
  train: { ...TRAIN_DEFAULTS, epochs: 12, patience: 3 },
  lambdaCf: 1,
  lambdaRrr: 1,
  interventionQuantile: 0.95,
  tau: 0.5,
  taus: [0.05, 0.1, 0.25, 0.5, 1, 2, 4],
  tauScale: 0.5,
  bootstrap: { resamples: 1000, seed: 0 },
};

/** smoke: seconds, for tests; quick: two seeds on a smaller cohort; paper: 5 folds × 5 seeds on the UNBC-shaped cohort. */
export const PSPI_PROFILES: Record<Profile, DeepPartial<PspiConfig>> = {
  smoke: { seeds: [1], folds: 2, trainStride: 1, train: { epochs: 8, patience: 8, batchSize: 128 }, bootstrap: { resamples: 50 } },
  quick: { seeds: [1, 2], folds: 3, trainStride: 2, train: { epochs: 8 }, bootstrap: { resamples: 300 } },
  paper: {},
};

/** Graph slots every arm is scored against, in this order (`effects[j]` of an evaluation). */
export const PSPI_GRAPH_SLOTS = ["G", "G@1", "G'", "Gperm", "Gtrain"] as const;
export type PspiGraphSlot = (typeof PSPI_GRAPH_SLOTS)[number];

export interface PspiRunOptions extends RunOptions<PspiConfig> {
  /**
   * Use this dataset (e.g. `loadUnbc(dir)`, or `pspiDatasetFromEnv()` for
   * FACR_UNBC_DIR's copy) instead of generating SynPain from the config.
   */
  dataset?: Dataset;
}

type Training = { seconds: number; epochs: number[]; stepsPerSecond: number; samplesPerSecond: number };

export interface PspiResult {
  experiment: "pspi";
  claims: string[];
  profile: Profile;
  config: PspiConfig;
  configHash: string;
  provenance: Provenance;
  data: { name: string; source: string; synthetic: boolean; regime: Regime | null; summary: ReturnType<typeof summarizeDataset> };
  /** G, the complement G′, and each seed's G_perm and G_k. */
  graphs: { G: CausalGraph; complement: CausalGraph; perSeed: Record<string, { permuted: CausalGraph; wrong: Record<string, CausalGraph> }> };
  /** The in-support hi of every fold (AU → value on z's scale), and their mean per AU. */
  interventions: { quantile: number; lo: number; perFold: { seed: number; fold: number; hi: Record<string, number>; unsupported: string[] }[]; meanHi: Record<string, number> };
  /** Slot names of `agreement` (G: in-support; G@1: do(z := 1); G′; G_perm; G_train: the graph the arm trained on). */
  slots: readonly string[];
  arms: Record<string, ArmSummary & { label: string; trainGraph: string; training: Training; overlapKappa: { mean: number; perSeed: Record<string, number> } | null }>;
  /** Paired differences "a-b" (a minus b) with hierarchical-bootstrap CIs, keys like "agreement|G|kappa", for pairs with baseline or FACR. */
  differences: Record<string, Record<string, Interval>>;
  perFold: { seed: number; fold: number; arm: string; testSubjects: string[]; scores: Agreement & Detection }[];
  durations: { totalSeconds: number; generateSeconds: number; trainSeconds: number; evaluateSeconds: number; summarizeSeconds: number };
}

/** The PSPI config of a profile with overrides on top (the dose-response sweep resolves it the same way). */
export function resolvePspiConfig(profile: Profile, overrides?: DeepPartial<PspiConfig>, field = "config"): PspiConfig {
  return resolveConfig(resolveConfig(PSPI_DEFAULTS, PSPI_PROFILES[profile], "profile"), overrides, field);
}

/** The PSPI experiment's data when none is passed in: SynPain under the config's regime. */
export function pspiDataset(cfg: PspiConfig, profile: Profile): Dataset {
  return generateSynPain({ seed: cfg.data.seed, profile, config: { ...cfg.data.config, regime: synPainRegime(cfg.regime) } });
}

/** The graph each arm trains on, by slot: "G", "G'" or "Gperm", or its wrong G ("Gtrain" then holds it). */
function trainSlotOf(arm: ArmName): "G" | "G'" | "Gperm" | "wrong" {
  if (arm === "control") return "G'";
  if (arm === "permuted") return "Gperm";
  return wrongSwaps(arm) ? "wrong" : "G";
}

export function runPspiExperiment(opts: PspiRunOptions = {}): Promise<PspiResult> {
  return runExperiment<PspiConfig, PspiResult>({ name: "pspi", resolve: resolvePspiConfig, format: formatPspiSummary }, opts, async ({ cfg, profile, log, elapsed, workers }) => {
    const tg = performance.now();
    const ds = opts.dataset ?? pspiDataset(cfg, profile);
    const generateSeconds = (performance.now() - tg) / 1000;
    const summary = summarizeDataset(ds);
    const synthetic = ds.source === "synthetic";
    log(`[pspi] ${ds.name}${synthetic ? `, regime ${cfg.regime.name} (visibility ${cfg.regime.auVisibility}, shortcut ${cfg.regime.shortcutStrength}, AU label noise ${cfg.regime.auLabelNoise})` : " (real data: the regime knobs do not apply)"}: ${summary.frames} frames, ${summary.subjects} subjects, ${summary.sequences} sequences, PSPI > 0 in ${(100 * (summary.pspiPositiveShare ?? NaN)).toFixed(1)}% (${generateSeconds.toFixed(1)}s)`);
    const G = pspiGraph();
    if (ds.aus.join() !== G.aus.join()) throw new Error(`the PSPI experiment needs the UNBC AUs [${G.aus.join(", ")}], the dataset has [${ds.aus.join(", ")}]`);
    const K = G.aus.length;
    const C = G.classes.length;
    const features = extractFeatures(ds);
    // The true AUs (SynPain's annotations may be noisy, §11.1): what z's AU recovery is scored against.
    const truthAus = ds.meta?.truth?.intensities;
    const truthIntensities = truthAus instanceof Float32Array ? truthAus : ds.intensities;

    const complement = controlGraph(G, cfg.seeds[0]);
    const perSeedGraphs: PspiResult["graphs"]["perSeed"] = {};
    for (const seed of cfg.seeds) {
      perSeedGraphs[`seed${seed}`] = { permuted: randomGraph(G, seed), wrong: Object.fromEntries(([1, 2, 3] as const).map((k) => [String(k), wrongGraph(G, k, seed)])) };
    }
    const armGraphs = (seed: number): ArmGraphs => {
      const g = perSeedGraphs[`seed${seed}`];
      return { G, complement, permuted: g.permuted, wrong: { 1: g.wrong["1"], 2: g.wrong["2"], 3: g.wrong["3"] } };
    };

    const perArm: Record<string, { parts: EvaluationPart[]; seeds: number[]; trainGraphs: CausalGraph[]; seconds: number; epochs: number[]; steps: number; samples: number; overlap: Map<number, { kappaSum: number; rows: number }> }> = {};
    for (const a of cfg.arms) perArm[a] = { parts: [], seeds: [], trainGraphs: [], seconds: 0, epochs: [], steps: 0, samples: 0, overlap: new Map() };
    const perFold: PspiResult["perFold"] = [];
    const hiPerFold: PspiResult["interventions"]["perFold"] = [];
    let trainSeconds = 0;
    let evaluateSeconds = 0;
    const jobs = cfg.seeds.length * cfg.folds * cfg.arms.length;
    let done = 0;

    // One job per seed × fold × arm, in that order; a fold's rows are built once, when its first arm is dispatched.
    // each job's arm spec is built once: the job, its result and the summary's per-row graphs all read it
    const plan = cfg.seeds.flatMap((seed) => {
      const graphs = armGraphs(seed);
      return subjectFolds(ds, cfg.folds, seed).flatMap((fold) => cfg.arms.map((arm) => ({ seed, fold, arm, graphs, spec: armSpec(arm, graphs, { lambdaCf: cfg.lambdaCf, lambdaRrr: cfg.lambdaRrr }) })));
    });
    let rows: { key: string; train: ReasonerRows; validation: ReasonerRows | null; test: ReasonerRows; hi: number[]; truth: Uint8Array } | null = null;
    const foldRows = (seed: number, fold: Fold) => {
      const key = `${seed}/${fold.fold}`;
      if (rows?.key === key) return rows;
      const strided = Int32Array.from(fold.train.filter((_, j) => j % cfg.trainStride === 0));
      // A fold with one training subject (tiny real datasets) has no subject to hold out: train without early stopping.
      const split = new Set(fold.trainSubjects).size >= 2 ? validationSplit(ds, strided, cfg.validationFraction, seed * 100 + fold.fold) : { train: strided, validation: new Int32Array(0) };
      if (split.validation.length === 0) log(`[pspi] seed ${seed} fold ${fold.fold + 1}: one training subject, no validation subjects: training without early stopping`);
      const st = fitStandardizer(features, split.train);
      const train = toReasonerRows(ds, features, st, split.train);
      const support = inSupportHi(train.au, K, cfg.interventionQuantile);
      hiPerFold.push({ seed, fold: fold.fold, hi: Object.fromEntries(G.aus.map((au, k) => [au, support.hi[k]])), unsupported: support.unsupported.map((k) => G.aus[k]) });
      if (support.unsupported.length) log(`[pspi] seed ${seed} fold ${fold.fold + 1}: no non-zero training intensity for ${support.unsupported.map((k) => G.aus[k]).join(", ")}: hi = 1 for them`);
      const truth = new Uint8Array(fold.test.length * K);
      fold.test.forEach((r, i) => {
        for (let k = 0; k < K; k++) truth[i * K + k] = truthIntensities[r * K + k] > 0 ? 1 : 0;
      });
      rows = {
        key,
        train,
        validation: split.validation.length ? toReasonerRows(ds, features, st, split.validation) : null,
        test: toReasonerRows(ds, features, st, fold.test),
        hi: support.hi,
        truth,
      };
      return rows;
    };
    const labelOf = (p: (typeof plan)[number]) => `pspi seed ${p.seed} fold ${p.fold.fold + 1}/${cfg.folds} ${p.arm}`;
    const truthOf: Uint8Array[] = [];
    await trainArms(
      jobs,
      (i) => {
        const { seed, fold, arm, graphs, spec } = plan[i];
        const { train, validation, test, hi, truth } = foldRows(seed, fold);
        truthOf[i] = truth;
        return {
          spec,
          // every arm of a seed and fold starts from the same weights (a paired design, spec §11.7)
          reasoner: { inputDim: features.D, ...cfg.reasoner, seed: seed * 1000 + fold.fold * 10 },
          train,
          validation,
          test,
          trainConfig: { ...cfg.train, seed: seed * 1000 + fold.fold, hi },
          evalGraphs: [{ graph: G, hi }, { graph: G, hi: 1 }, { graph: complement, hi }, { graph: graphs.permuted!, hi }, ...(wrongSwaps(arm) ? [{ graph: spec.trainGraph, hi }] : [])],
          measures: { keepZ: true, channels: true, eraser: { tau: cfg.tau, graph: 0 } },
          label: labelOf(plan[i]),
        };
      },
      {
        workers,
        log,
        onResult: (i, out) => {
          const { seed, fold, arm, spec } = plan[i];
          const y = Int32Array.from(fold.test, (r) => ds.labels!.y[r]);
          const testSubjects = Array.from(fold.test, (r) => ds.subjects[r]);
          trainSeconds += out.trainSeconds;
          evaluateSeconds += out.evaluateSeconds;
          const ev = out.evaluation;
          // the Gtrain slot: the wrong G's effects, or the slot the arm's own graph is scored in
          const slot = trainSlotOf(arm);
          if (slot !== "wrong") ev.effects.push(ev.effects[PSPI_GRAPH_SLOTS.indexOf(slot)]);
          const rec = perArm[arm];
          rec.parts.push({ ev, y, subjects: testSubjects, cluster: seed, truth: truthOf[i] });
          rec.seeds.push(seed);
          rec.trainGraphs.push(spec.trainGraph);
          rec.seconds += out.trainSeconds;
          rec.epochs.push(out.epochs);
          rec.steps += out.steps;
          rec.samples += out.samples;
          if (spec.trainGraph !== G) {
            const o = rec.overlap.get(seed) ?? { kappaSum: 0, rows: 0 };
            o.kappaSum += overlapKappa(spec.trainGraph, G, argmaxRows(ev.probs, C)) * y.length;
            o.rows += y.length;
            rec.overlap.set(seed, o);
          }
          perFold.push({ seed, fold: fold.fold, arm, testSubjects: fold.testSubjects, scores: foldScores(ev, y, G, cfg.tau) });
          done++;
          const sofar = elapsed();
          log(`[pspi] ${done}/${jobs} trainings done, ${sofar.toFixed(0)}s elapsed, ETA ${((sofar / done) * (jobs - done)).toFixed(0)}s — ${labelOf(plan[i])}: κ = ${perFold[perFold.length - 1].scores.kappa.toFixed(3)}, AUC = ${perFold[perFold.length - 1].scores.auc.toFixed(3)}`);
        },
      },
    );

    const ts = performance.now();
    const pooled = Object.fromEntries(cfg.arms.map((a) => [a, poolEvaluations(perArm[a].parts, K, C)]));
    const seedOfRow = (a: string, row: number) => perArm[a].seeds[pooled[a].partOf[row]];
    const slots: Record<PspiGraphSlot, GraphSlot> = {
      G,
      "G@1": G,
      "G'": complement,
      Gperm: (a, row) => perSeedGraphs[`seed${seedOfRow(a, row)}`].permuted,
      Gtrain: (a, row) => perArm[a].trainGraphs[pooled[a].partOf[row]],
    };
    const { arms, differences } = summarizeArms(pooled, slots, {
      tau: cfg.tau,
      taus: cfg.taus,
      resamples: cfg.bootstrap.resamples,
      seed: cfg.bootstrap.seed,
      tauScale: cfg.tauScale,
      references: ["baseline", "facr"],
    });
    const summarizeSeconds = (performance.now() - ts) / 1000;
    const meanHi = Object.fromEntries(G.aus.map((au) => [au, hiPerFold.reduce((s, f) => s + f.hi[au], 0) / hiPerFold.length]));

    return {
      experiment: "pspi",
      claims: ["C1", "C2", "C3"],
      config: cfg,
      data: { name: ds.name, source: ds.source, synthetic, regime: synthetic ? cfg.regime : null, summary },
      graphs: { G, complement, perSeed: perSeedGraphs },
      interventions: { quantile: cfg.interventionQuantile, lo: 0, perFold: hiPerFold, meanHi },
      slots: PSPI_GRAPH_SLOTS,
      arms: Object.fromEntries(
        cfg.arms.map((a) => {
          const r = perArm[a];
          const overlap = r.overlap.size ? Object.fromEntries([...r.overlap].map(([seed, o]) => [`seed${seed}`, o.kappaSum / o.rows])) : null;
          return [
            a,
            {
              ...arms[a],
              label: ARM_LABELS[a],
              trainGraph: trainSlotOf(a) === "wrong" ? `G_${wrongSwaps(a)}` : trainSlotOf(a),
              training: { seconds: r.seconds, epochs: r.epochs, stepsPerSecond: r.steps / r.seconds, samplesPerSecond: r.samples / r.seconds },
              overlapKappa: overlap ? { mean: Object.values(overlap).reduce((s, v) => s + v, 0) / Object.values(overlap).length, perSeed: overlap } : null,
            },
          ];
        }),
      ),
      differences,
      perFold,
      durations: { generateSeconds, trainSeconds, evaluateSeconds, summarizeSeconds },
    };
  });
}

/** A plain-text table of the arms (agreement with G and the arm's own graph, τ-free AUROC, detection, channel ablation) for terminals and notebooks. */
export function formatPspiSummary(r: PspiResult): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");
  const ci = (v: Interval | undefined) => (v ? `${f(v.estimate)} [${f(v.lo)}, ${f(v.hi)}]` : "–");
  const W = 24;
  const regime = r.data.regime ? `, regime ${r.data.regime.name} (visibility ${r.data.regime.auVisibility}, shortcut ${r.data.regime.shortcutStrength}, AU label noise ${r.data.regime.auLabelNoise})` : "";
  const lines = [
    `PSPI experiment (${r.data.synthetic ? "SYNTHETIC data with known structure" : r.data.source}: ${r.data.name}${regime}), profile ${r.profile}, τ = ${r.config.tau}, hi = ${r.interventions.quantile * 100}th percentile; 95% CIs: seeds, then subjects`,
    `${"arm".padEnd(14)} ${"κ with G".padEnd(W)} ${"κ with own graph".padEnd(W)} ${"AUROC |Δ| (G)".padEnd(W)} ${"AUC".padEnd(W)} ${"AUC, h fixed".padEnd(W)}`,
  ];
  for (const [a, s] of Object.entries(r.arms)) {
    const own = a === "baseline" || s.trainGraph === "G" ? "(G)" : ci(s.agreement.Gtrain?.kappa);
    lines.push(`${a.padEnd(14)} ${ci(s.agreement.G.kappa).padEnd(W)} ${own.padEnd(W)} ${ci(s.agreement.G.auroc).padEnd(W)} ${ci(s.detection.auc).padEnd(W)} ${ci(s.channels?.hFixed.auc).padEnd(W)}`);
  }
  const d = r.differences["facr-baseline"];
  if (d) lines.push(`FACR − baseline: κ ${ci(d["agreement|G|kappa"])}, AUC ${ci(d["detection|auc"])}, F1 ${ci(d["detection|f1"])}`);
  return lines.join("\n");
}
