import { Interval } from "../faithfulness/metric";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { ArmName } from "./arms";
import { PSPI_DEFAULTS, PSPI_PROFILES, PspiConfig, PspiResult, runPspiExperiment } from "./pspi";
import { PREREGISTERED_REGIME } from "./regimes";
import { RunOptions, runExperiment } from "./run";

/**
 * Where each claim holds and where it fails (spec §11.1, issue 13 item 8): the
 * PSPI protocol over a grid of SynPain regimes, PSPI-AU visibility ×
 * shortcut strength (AU label noise at the pre-registered value), with FACR and
 * its competitors at every cell; and the bypass sweep (spec §11.5d): the width d
 * of the free embedding h at the pre-registered regime, d = 0 being the concept
 * bottleneck (head reads z only). Every cell is a full PSPI run (same folds,
 * seeds and paired initial weights within it) on freshly generated data.
 */
export interface SensitivityConfig {
  /** PSPI-AU visibility values (rows of the map). */
  visibility: number[];
  /** Shortcut strengths (columns of the map). */
  shortcut: number[];
  /** AU label noise of every cell. */
  labelNoise: number;
  /** Arms at every cell (baseline is always added: gains and costs are against it). */
  arms: ArmName[];
  /** Widths d of h for the bypass sweep at the pre-registered regime (0 = bottleneck arms). */
  bypass: number[];
  /** The PSPI protocol of every cell (full PSPI defaults; arms and regime are set per cell). */
  pspi: Omit<PspiConfig, "arms" | "regime">;
}

export const SENSITIVITY_DEFAULTS: SensitivityConfig = {
  visibility: [0.25, 0.5, 1],
  shortcut: [0, 0.5, 1],
  labelNoise: PREREGISTERED_REGIME.auLabelNoise,
  arms: ["baseline", "facr", "rrr", "bottleneck", "cbmSequential", "cbmFacr"],
  bypass: [0, 4, 16, 64],
  pspi: { ...protocolOf(PSPI_DEFAULTS), seeds: [1, 2, 3], folds: 3, bootstrap: { resamples: 300, seed: 0 } },
};

/** A PSPI config without the keys a cell sets. */
function protocolOf(c: PspiConfig): Omit<PspiConfig, "arms" | "regime"> {
  const { arms: _arms, regime: _regime, ...rest } = c;
  return structuredClone(rest);
}

export const SENSITIVITY_PROFILES: Record<Profile, DeepPartial<SensitivityConfig>> = {
  smoke: { visibility: [0.5, 1], shortcut: [0, 1], arms: ["baseline", "facr"], bypass: [0, 16], pspi: { ...PSPI_PROFILES.smoke, seeds: [1] } },
  quick: { visibility: [0.25, 1], shortcut: [0, 1], bypass: [0, 16], pspi: { ...PSPI_PROFILES.quick, seeds: [1], folds: 3 } },
  paper: {},
};

/** One arm at one cell: its fidelity and detection, and both against the baseline (paired, same folds and weights). */
export interface SensitivityArm {
  kappa: Interval;
  auroc: Interval;
  auc: Interval;
  f1: Interval;
  /** AUC with h fixed at its training mean (z decides alone). */
  aucHFixed: Interval | null;
  /** arm − baseline κ with G (fidelity gain) and AUC (negative = a detection cost). */
  kappaGain: Interval | null;
  aucChange: Interval | null;
}

export interface SensitivityCell {
  auVisibility: number;
  shortcutStrength: number;
  auLabelNoise: number;
  arms: Record<string, SensitivityArm>;
  seconds: number;
}

export interface BypassPoint {
  d: number;
  /** "baseline" (λ_cf = 0) or "facr"; at d = 0 the bottleneck arms (bottleneck, cbmFacr). */
  arm: "baseline" | "facr";
  trainedArm: ArmName;
  measures: SensitivityArm;
}

export interface SensitivityResult {
  experiment: "sensitivity";
  profile: Profile;
  config: SensitivityConfig;
  configHash: string;
  provenance: PspiResult["provenance"];
  data: { name: string; source: string; synthetic: true };
  cells: SensitivityCell[];
  bypass: BypassPoint[];
  durations: { totalSeconds: number };
}

export function resolveSensitivityConfig(profile: Profile, overrides?: DeepPartial<SensitivityConfig>): SensitivityConfig {
  const cfg = resolveConfig(resolveConfig(SENSITIVITY_DEFAULTS, SENSITIVITY_PROFILES[profile], "profile"), overrides, "config");
  for (const [field, values] of [["visibility", cfg.visibility], ["shortcut", cfg.shortcut], ["labelNoise", [cfg.labelNoise]]] as const) {
    if (!values.length) throw new FacrInputError("give at least one value", { field: `config.${field}` });
    for (const v of values) if (!(v >= 0 && v <= 1)) throw new FacrInputError(`values must be in [0, 1], got ${v}`, { field: `config.${field}` });
  }
  for (const d of cfg.bypass) if (!Number.isInteger(d) || d < 0) throw new FacrInputError(`widths must be integers ≥ 0, got ${d}`, { field: "config.bypass" });
  return cfg;
}

function armMeasures(r: PspiResult, arm: string, reference: string): SensitivityArm {
  const s = r.arms[arm];
  const d = arm === reference ? null : r.differences[`${arm}-${reference}`];
  return {
    kappa: s.agreement.G.kappa,
    auroc: s.agreement.G.auroc,
    auc: s.detection.auc,
    f1: s.detection.f1,
    aucHFixed: s.channels?.hFixed.auc ?? null,
    kappaGain: d?.["agreement|G|kappa"] ?? null,
    aucChange: d?.["detection|auc"] ?? null,
  };
}

export function runSensitivity(opts: RunOptions<SensitivityConfig> = {}): Promise<SensitivityResult> {
  return runExperiment<SensitivityConfig, SensitivityResult>({ name: "sensitivity", resolve: resolveSensitivityConfig, format: formatSensitivity }, opts, async ({ cfg, profile, log, elapsed, workers }) => {
    const arms: ArmName[] = ["baseline", ...cfg.arms.filter((a) => a !== "baseline")];
    const grid = cfg.visibility.flatMap((v) => cfg.shortcut.map((s) => ({ v, s })));
    const runs = grid.length + cfg.bypass.length;
    let done = 0;
    let dataName = "";
    const cell = async (regime: { auVisibility: number; shortcutStrength: number }, cellArms: ArmName[], extra: DeepPartial<PspiConfig> = {}) => {
      const t0 = performance.now();
      const r = await runPspiExperiment({
        profile,
        workers,
        overrides: { ...cfg.pspi, ...extra, arms: cellArms, regime: { name: `v${regime.auVisibility}-s${regime.shortcutStrength}`, ...regime, auLabelNoise: cfg.labelNoise } },
        log: () => {},
      });
      dataName ||= r.data.name;
      done++;
      const sofar = elapsed();
      log(`[sensitivity] ${done}/${runs} visibility ${regime.auVisibility}, shortcut ${regime.shortcutStrength}${extra.reasoner ? `, d = ${extra.reasoner.embeddingDim}` : ""}: done in ${((performance.now() - t0) / 1000).toFixed(0)}s — ${sofar.toFixed(0)}s elapsed, ETA ${((sofar / done) * (runs - done)).toFixed(0)}s`);
      return { r, seconds: (performance.now() - t0) / 1000 };
    };
    const cells: SensitivityCell[] = [];
    for (const { v, s } of grid) {
      const { r, seconds } = await cell({ auVisibility: v, shortcutStrength: s }, arms);
      cells.push({ auVisibility: v, shortcutStrength: s, auLabelNoise: cfg.labelNoise, arms: Object.fromEntries(arms.map((a) => [a, armMeasures(r, a, "baseline")])), seconds });
    }
    const bypass: BypassPoint[] = [];
    const pre = { auVisibility: PREREGISTERED_REGIME.auVisibility, shortcutStrength: PREREGISTERED_REGIME.shortcutStrength };
    for (const d of cfg.bypass) {
      if (d === 0) {
        const { r } = await cell(pre, ["bottleneck", "cbmFacr"]);
        bypass.push({ d, arm: "baseline", trainedArm: "bottleneck", measures: armMeasures(r, "bottleneck", "bottleneck") });
        bypass.push({ d, arm: "facr", trainedArm: "cbmFacr", measures: armMeasures(r, "cbmFacr", "bottleneck") });
      } else {
        const base = PSPI_DEFAULTS.reasoner;
        const { r } = await cell(pre, ["baseline", "facr"], { reasoner: { ...base, embeddingDim: d } });
        bypass.push({ d, arm: "baseline", trainedArm: "baseline", measures: armMeasures(r, "baseline", "baseline") });
        bypass.push({ d, arm: "facr", trainedArm: "facr", measures: armMeasures(r, "facr", "baseline") });
      }
    }
    return {
      experiment: "sensitivity",
      config: cfg,
      data: { name: dataName, source: "synthetic", synthetic: true },
      cells,
      bypass,
      durations: {},
    };
  });
}

/** The map as text: per cell, each arm's fidelity gain and AUC change against the baseline. */
export function formatSensitivity(r: SensitivityResult): string {
  const f = (v: Interval | null) => (v && Number.isFinite(v.estimate) ? `${v.estimate >= 0 ? "+" : "−"}${Math.abs(v.estimate).toFixed(3)} [${v.lo.toFixed(3)}, ${v.hi.toFixed(3)}]` : "–");
  const arms = Object.keys(r.cells[0]?.arms ?? {}).filter((a) => a !== "baseline");
  const lines = [
    `Regime map (SYNTHETIC SynPain, profile ${r.profile}; AU label noise ${r.config.labelNoise}): arm − baseline κ with G / AUC, 95% CIs over seeds, then subjects`,
    `${"visibility".padEnd(11)}${"shortcut".padEnd(9)}${arms.map((a) => a.padEnd(50)).join("")}`,
  ];
  for (const c of r.cells) lines.push(`${String(c.auVisibility).padEnd(11)}${String(c.shortcutStrength).padEnd(9)}${arms.map((a) => `${f(c.arms[a].kappaGain)} / ${f(c.arms[a].aucChange)}`.padEnd(50)).join("")}`);
  lines.push("", `Bypass sweep at the pre-registered regime (d = width of h; 0 = bottleneck): κ with G, AUC`);
  for (const p of r.bypass) lines.push(`d = ${String(p.d).padEnd(3)} ${p.arm.padEnd(9)} (${p.trainedArm}) κ ${p.measures.kappa.estimate.toFixed(3)}, AUC ${p.measures.auc.estimate.toFixed(3)}, AUC with h fixed ${p.measures.aucHFixed ? p.measures.aucHFixed.estimate.toFixed(3) : "–"}`);
  return lines.join("\n");
}
