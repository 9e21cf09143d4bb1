/**
 * How much objective does faithfulness need, and what does it cost? (spec §10,
 * beyond the paper.) The PSPI protocol (`runPspiExperiment`: subject-grouped
 * folds, held-out subjects, subject-bootstrap CIs) run with the FACR arm alone
 * at a series of objective weights λ_cf, and at a series of margins m at a
 * fixed λ_cf. λ_cf = 0 is the baseline (cross-entropy only). Each point reports
 * agreement with G (κ, polarity accuracy, share of AUs invoked) and pain
 * detection (AUC, F1) with 95% CIs over test subjects.
 *
 * Every point trains on the same data and folds with the same seeds, so points
 * differ only in λ_cf or m. One training seed by default (the PSPI experiment
 * itself uses three): the sweep shows the shape of the curve, the PSPI
 * experiment carries the claim.
 */
import { Dataset } from "../data/dataset";
import { Interval } from "../faithfulness/metric";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { Provenance } from "../util/provenance";
import { PSPI_DEFAULTS, PSPI_PROFILES, PspiConfig, pspiDataset, PspiResult, resolvePspiConfig, runPspiExperiment } from "./pspi";
import { RunOptions, runExperiment } from "./run";

export interface DoseResponseConfig {
  /** λ_cf values of the first sweep (0 = the baseline), at margin `margin`. */
  lambdas: number[];
  /** The margin m (nats) of the λ_cf sweep: the training default. */
  margin: number;
  /** Margins m of the second sweep, at λ_cf = `marginLambda`. */
  margins: number[];
  marginLambda: number;
  /** The PSPI protocol every point runs (full PSPI defaults, one seed; the profile layers the PSPI profile on top); arms and λ_cf are set per point. */
  pspi: Omit<PspiConfig, "arms" | "lambdaCf">;
}

/** A PSPI config layer (defaults or a profile) as the sweep's protocol: arms and λ_cf dropped (set per point), one seed. */
function pspiProtocol<T extends DeepPartial<PspiConfig>>(layer: T): Omit<T, "arms" | "lambdaCf"> & { seeds: number[] } {
  const { arms: _arms, lambdaCf: _lambdaCf, ...rest } = layer;
  return { ...rest, seeds: [1] };
}

export const DOSE_RESPONSE_DEFAULTS: DoseResponseConfig = {
  // roughly logarithmic from a tenth of the default weight (1) to ten times it
  lambdas: [0, 0.1, 0.3, 1, 3, 10],
  margin: 1,
  margins: [0.5, 1, 2],
  marginLambda: 1,
  pspi: pspiProtocol(PSPI_DEFAULTS),
};

/** smoke: two points per sweep, for tests; quick and paper: the full grids on the PSPI profile's cohort. */
export const DOSE_RESPONSE_PROFILES: Record<Profile, DeepPartial<DoseResponseConfig>> = {
  smoke: { lambdas: [0, 1], margins: [1, 2], pspi: pspiProtocol(PSPI_PROFILES.smoke) },
  quick: { lambdas: [0, 0.1, 1, 10], margins: [0.5, 1, 2], pspi: pspiProtocol(PSPI_PROFILES.quick) },
  paper: { pspi: pspiProtocol(PSPI_PROFILES.paper) },
};

/** One point of a sweep: the FACR arm trained with this λ_cf and margin. */
export interface DosePoint {
  lambdaCf: number;
  margin: number;
  /** Agreement with G at the PSPI experiment's τ. */
  kappa: Interval;
  polarityAccuracy: Interval;
  invokedRate: Interval;
  auc: Interval;
  f1: Interval;
  /** Epochs run per fold (early stopping). */
  epochs: number[];
  trainSeconds: number;
}

export interface DoseResponseResult {
  experiment: "dose-response";
  profile: Profile;
  config: DoseResponseConfig;
  /** The PSPI protocol every point runs, FACR arm alone; each point sets its own λ_cf and train.margin. */
  pspiConfig: PspiConfig;
  configHash: string;
  provenance: Provenance;
  data: { name: string; source: string; synthetic: boolean };
  lambdaSweep: DosePoint[];
  marginSweep: DosePoint[];
  durations: { totalSeconds: number };
}

export interface DoseResponseRunOptions extends RunOptions<DoseResponseConfig> {
  /** Use this dataset (e.g. `pspiDatasetFromEnv()`) instead of generating SynPain. */
  dataset?: Dataset;
}

/** The dose-response config of a profile with overrides on top, its grids checked. */
export function resolveDoseResponseConfig(profile: Profile, overrides?: DeepPartial<DoseResponseConfig>): DoseResponseConfig {
  const cfg = resolveConfig(resolveConfig(DOSE_RESPONSE_DEFAULTS, DOSE_RESPONSE_PROFILES[profile], "profile"), overrides, "config");
  checkGrid(cfg.lambdas, "lambdas");
  checkGrid(cfg.margins, "margins");
  checkGrid([cfg.margin, cfg.marginLambda], "margin / marginLambda");
  return cfg;
}

/** The PSPI protocol every point runs: FACR arm alone (λ_cf and train.margin set per point). */
function dosePspiConfig(cfg: DoseResponseConfig, profile: Profile): PspiConfig {
  return resolvePspiConfig(profile, { ...cfg.pspi, arms: ["facr"] }, "config.pspi");
}

function checkGrid(values: number[], field: string): void {
  if (!values.length) throw new FacrInputError(`${field}: give at least one value`);
  for (const v of values) if (!Number.isFinite(v) || v < 0) throw new FacrInputError(`${field}: values must be finite and ≥ 0, got ${v}`);
}

function point(r: PspiResult, lambdaCf: number, margin: number): DosePoint {
  const a = r.arms.facr;
  return {
    lambdaCf,
    margin,
    kappa: a.agreement.G.kappa,
    polarityAccuracy: a.agreement.G.polarityAccuracy,
    invokedRate: a.agreement.G.invokedRate,
    auc: a.detection.auc,
    f1: a.detection.f1,
    epochs: a.training.epochs,
    trainSeconds: a.training.seconds,
  };
}

export function runDoseResponse(opts: DoseResponseRunOptions = {}): Promise<DoseResponseResult> {
  const spec = { name: "dose-response", resolve: resolveDoseResponseConfig, hashOf: (cfg: DoseResponseConfig, profile: Profile) => ({ cfg, pspiConfig: dosePspiConfig(cfg, profile) }), format: formatDoseResponse };
  return runExperiment<DoseResponseConfig, DoseResponseResult>(spec, opts, async ({ cfg, profile, log, elapsed, workers }) => {
    // The protocol every point runs, and one dataset for all of them.
    const pspiConfig = dosePspiConfig(cfg, profile);
    const ds = opts.dataset ?? pspiDataset(pspiConfig, profile);

    // The margin sweep's point at (marginLambda, margin) is the λ sweep's, when both grids hold it.
    const runs = new Map<string, DosePoint>();
    const jobs = [...cfg.lambdas.map((l) => [l, cfg.margin] as const), ...cfg.margins.map((m) => [cfg.marginLambda, m] as const)];
    const unique = new Set(jobs.map(([l, m]) => `${l}|${m}`)).size;
    for (const [lambdaCf, margin] of jobs) {
      const key = `${lambdaCf}|${margin}`;
      if (runs.has(key)) continue;
      const r = await runPspiExperiment({
        profile,
        dataset: ds,
      workers,
        overrides: { ...cfg.pspi, arms: ["facr"], lambdaCf, train: { ...cfg.pspi.train, margin } },
        log: () => {},
      });
      const p = point(r, lambdaCf, margin);
      runs.set(key, p);
      const sofar = elapsed();
      log(
        `[dose-response] ${runs.size}/${unique} λ_cf = ${lambdaCf}, m = ${margin}: κ ${p.kappa.estimate.toFixed(3)} [${p.kappa.lo.toFixed(3)}, ${p.kappa.hi.toFixed(3)}], ` +
          `AUC ${p.auc.estimate.toFixed(3)} — ${sofar.toFixed(0)}s elapsed, ETA ${((sofar / runs.size) * (unique - runs.size)).toFixed(0)}s`,
      );
    }

    return {
      experiment: "dose-response",
      config: cfg,
      pspiConfig,
      data: { name: ds.name, source: ds.source, synthetic: ds.source === "synthetic" },
      lambdaSweep: cfg.lambdas.map((l) => runs.get(`${l}|${cfg.margin}`)!),
      marginSweep: cfg.margins.map((m) => runs.get(`${cfg.marginLambda}|${m}`)!),
      durations: {},
    };
  });
}

/** Both sweeps as a plain-text table for terminals and notebooks. */
export function formatDoseResponse(r: DoseResponseResult): string {
  const ci = (v: Interval) => `${v.estimate.toFixed(3)} [${v.lo.toFixed(3)}, ${v.hi.toFixed(3)}]`;
  const rows = (title: string, pts: DosePoint[]) => [
    title,
    `${"λ_cf".padEnd(6)} ${"m".padEnd(5)} ${"κ with G".padEnd(22)} ${"AUC".padEnd(22)} ${"F1".padEnd(22)} invoked`,
    ...pts.map((p) => `${String(p.lambdaCf).padEnd(6)} ${String(p.margin).padEnd(5)} ${ci(p.kappa).padEnd(22)} ${ci(p.auc).padEnd(22)} ${ci(p.f1).padEnd(22)} ${p.invokedRate.estimate.toFixed(3)}`),
  ];
  return [
    `Dose-response (${r.data.synthetic ? "SYNTHETIC data with known structure" : r.data.source}: ${r.data.name}), profile ${r.profile}, τ = ${r.pspiConfig.tau}, ` +
      `${r.pspiConfig.folds} folds × ${r.pspiConfig.seeds.length} seed(s)`,
    ...rows(`λ_cf sweep (m = ${r.config.margin}; λ_cf = 0 is the baseline)`, r.lambdaSweep),
    ...rows(`margin sweep (λ_cf = ${r.config.marginLambda})`, r.marginSweep),
  ].join("\n");
}
