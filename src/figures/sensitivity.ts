/**
 * Figures of the regime map and the bypass sweep (src/experiments/sensitivity.ts,
 * spec §11.1 and §11.5d): where FACR's fidelity gain and its detection change
 * against the baseline hold over PSPI-AU visibility × shortcut strength, one
 * heatmap panel per arm; and κ with G and AUC against the width d of the free
 * embedding h. Pure functions of the result JSON.
 */
import { FIGURE_WIDTH } from "./arms";
import { figureSvg, LegendItem, RampLegend } from "./compose";
import { colorScale, Plot, PlotPanel, renderPlot } from "./plot-svg";
import type { NamedFigure } from "./pspi";
import type { IntervalLike } from "./result-types";
import { PREREGISTERED_REGIME } from "../experiments/regimes";
import { ARM_COLORS, armColor, armLabel, DataInfo, dataLine, fmt, INK, MUTED, num } from "./theme";

export interface SensitivityArmLike {
  kappa: IntervalLike;
  auc: IntervalLike;
  aucHFixed?: IntervalLike | null;
  kappaGain: IntervalLike | null;
  aucChange: IntervalLike | null;
}

export interface SensitivityCellLike {
  auVisibility: number;
  shortcutStrength: number;
  arms: Record<string, SensitivityArmLike>;
}

export interface BypassPointLike {
  d: number;
  arm: string;
  trainedArm: string;
  measures: SensitivityArmLike;
}

/** The part of a sensitivity result the figures read (a `SensitivityResult` satisfies it). */
export interface SensitivityResultLike {
  data: DataInfo;
  profile?: string;
  config: {
    labelNoise: number;
    visibility?: readonly number[];
    shortcut?: readonly number[];
    pspi?: { seeds?: readonly number[]; folds?: number; bootstrap?: { resamples?: number } };
  };
  cells: readonly SensitivityCellLike[];
  bypass: readonly BypassPointLike[];
}

/** The measure of a heatmap: arm − baseline κ with G, or arm − baseline AUC. */
export type MapMeasure = "kappaGain" | "aucChange";

/** The pre-registered regime's cell (spec §11.1; src/experiments/regimes.ts). */
export const PREREGISTERED_CELL = { auVisibility: PREREGISTERED_REGIME.auVisibility, shortcutStrength: PREREGISTERED_REGIME.shortcutStrength } as const;

/** Where an interval sits against 0: 1 (lo > 0), −1 (hi < 0), 0 (includes 0 or missing). */
export function ciSign(v: IntervalLike | null | undefined): -1 | 0 | 1 {
  const lo = num(v?.lo);
  const hi = num(v?.hi);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 0;
  return lo > 0 ? 1 : hi < 0 ? -1 : 0;
}

/** One heatmap cell: an arm at a regime. */
export interface MapCell {
  arm: string;
  visibility: string;
  shortcut: string;
  estimate: number;
  lo: number;
  hi: number;
  /** The 95% CI excludes 0 (either side). */
  excludesZero: boolean;
  preregistered: boolean;
}

/** The arms a map shows: every arm of the cells but the baseline, in the result's order. */
export function mapArms(result: SensitivityResultLike): string[] {
  const seen: string[] = [];
  for (const c of result.cells) for (const a of Object.keys(c.arms)) if (a !== "baseline" && !seen.includes(a)) seen.push(a);
  return seen;
}

/** Every arm × regime cell of a measure (an arm missing at a regime gives a NaN cell). */
export function mapCells(result: SensitivityResultLike, measure: MapMeasure): MapCell[] {
  return mapArms(result).flatMap((arm) =>
    result.cells.map((c) => {
      const iv = c.arms[arm]?.[measure] ?? null;
      return {
        arm,
        visibility: String(c.auVisibility),
        shortcut: String(c.shortcutStrength),
        estimate: num(iv?.estimate),
        lo: num(iv?.lo),
        hi: num(iv?.hi),
        excludesZero: ciSign(iv) !== 0,
        preregistered: c.auVisibility === PREREGISTERED_CELL.auVisibility && c.shortcutStrength === PREREGISTERED_CELL.shortcutStrength,
      };
    }),
  );
}

const sortedUnique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b).map(String);

function mapPanel(cells: MapCell[], o: { title: string; xs: string[]; ys: string[]; color: (v: number) => string; range: number; yAxis: boolean; width: number; digits: number }): PlotPanel {
  const cellH = 46;
  const ok = cells.filter((c) => Number.isFinite(c.estimate));
  const textOf = (c: MapCell) => `${c.estimate >= 0 ? "+" : ""}${fmt(c.estimate, o.digits)}${c.excludesZero ? "*" : ""}`;
  // dark cells (far from 0 on the diverging scale) get white text
  const ink = (c: MapCell) => (Math.abs(c.estimate) > 0.6 * o.range ? "white" : INK);
  return renderPlot(
    {
      width: o.width,
      height: 28 + 48 + cellH * o.ys.length,
      marginLeft: o.yAxis ? 70 : 8,
      marginRight: 8,
      marginTop: 10,
      marginBottom: 48,
      x: { domain: o.xs, label: "shortcut strength", labelAnchor: "center", labelArrow: "none", tickSize: 0, padding: 0.04 },
      y: { domain: [...o.ys].reverse(), label: o.yAxis ? "PSPI-AU visibility" : null, axis: o.yAxis ? "left" : null, labelAnchor: "center", labelArrow: "none", tickSize: 0, padding: 0.04 },
      color: { type: "identity" },
      marks: [
        Plot.cell(cells, { x: "shortcut", y: "visibility", fill: (c: MapCell) => (Number.isFinite(c.estimate) ? o.color(c.estimate) : "#f2f2f2"), className: "facr-map-cell" } as Plot.CellOptions),
        Plot.text(ok.filter((c) => !c.excludesZero), { x: "shortcut", y: "visibility", text: textOf, fill: ink, fontSize: 11.5, className: "facr-map-value" } as Plot.TextOptions),
        Plot.text(ok.filter((c) => c.excludesZero), { x: "shortcut", y: "visibility", text: textOf, fill: ink, fontSize: 11.5, fontWeight: "bold", dy: -4, className: "facr-map-value" } as Plot.TextOptions),
        Plot.text(ok.filter((c) => c.excludesZero), { x: "shortcut", y: "visibility", text: () => "CI excludes 0", dy: 13, fill: ink, fontSize: 8.5, className: "facr-ci-excludes-0" } as Plot.TextOptions),
        Plot.cell(cells.filter((c) => c.preregistered), { x: "shortcut", y: "visibility", fill: "none", stroke: INK, strokeWidth: 3, inset: 1.5, className: "facr-preregistered" } as Plot.CellOptions),
      ],
    },
    o.title,
  );
}

const MAP_TEXT: Record<MapMeasure, { title: string; what: string; ramp: string; digits: number; minRange: number }> = {
  kappaGain: {
    title: "Where the fidelity gain holds: arm − baseline κ with G over the regime map",
    what: "the arm's κ with G minus the baseline's (λ_cf = 0), paired on the same folds, seeds and initial weights; > 0 is a fidelity gain",
    ramp: "arm − baseline κ with G (unitless)",
    digits: 2,
    minRange: 0.1,
  },
  aucChange: {
    title: "What faithfulness costs in detection: arm − baseline pain AUC over the regime map",
    what: "the arm's pain-detection AUC minus the baseline's, paired; < 0 is a detection cost, > 0 a gain",
    ramp: "arm − baseline AUC (unitless)",
    digits: 3,
    minRange: 0.02,
  },
};

function cellProtocol(result: SensitivityResultLike): string {
  const p = result.config.pspi;
  const seeds = p?.seeds ? `${p.seeds.length} seed${p.seeds.length === 1 ? "" : "s"}` : "";
  const folds = p?.folds ? `${p.folds} subject folds` : "";
  const design = [folds, seeds].filter(Boolean).join(" × ");
  return `Every cell is a full PSPI run on freshly generated SynPain${design ? ` (${design})` : ""}, AU label noise ${result.config.labelNoise}; 95% CIs from a hierarchical bootstrap over seeds, then test subjects${p?.bootstrap?.resamples ? ` (${p.bootstrap.resamples} resamples)` : ""}.`;
}

/** The heatmap of one measure, one panel per arm (every arm but the baseline). */
export function regimeMapFigure(result: SensitivityResultLike, measure: MapMeasure, opts: { width?: number } = {}): string {
  const t = MAP_TEXT[measure];
  const cells = mapCells(result, measure);
  const arms = mapArms(result);
  const xs = sortedUnique(result.cells.map((c) => c.shortcutStrength));
  const ys = sortedUnique(result.cells.map((c) => c.auVisibility));
  const extent = Math.max(t.minRange, ...cells.filter((c) => Number.isFinite(c.estimate)).map((c) => Math.abs(c.estimate)));
  const range = Math.ceil((extent * 1.05) / t.minRange) * t.minRange;
  const color = colorScale({ type: "diverging", scheme: "RdBu", domain: [-range, range], pivot: 0 });
  const width = opts.width ?? FIGURE_WIDTH;
  const inner = width - 24;
  const gap = 12;
  const perRow = Math.max(1, Math.min(arms.length, Math.floor((inner - 70 + gap) / (Math.max(150, 62 * xs.length) + gap))));
  // cells no wider than 130 px: one arm on a small grid should not stretch across the page
  const panelW = Math.min(Math.floor((inner - 70 - gap * (perRow - 1)) / perRow), 16 + 130 * xs.length);
  const rows: PlotPanel[][] = [];
  arms.forEach((arm, i) => {
    if (i % perRow === 0) rows.push([]);
    const first = i % perRow === 0;
    rows[rows.length - 1].push(mapPanel(cells.filter((c) => c.arm === arm), { title: armLabel(arm), xs, ys, color, yAxis: first, width: panelW + (first ? 70 : 8) - 8, digits: t.digits, range }));
  });
  const ramp: RampLegend = {
    label: t.ramp,
    color,
    domain: [-range, range],
    inset: 18,
    ticks: [-range, -range / 2, 0, range / 2, range].map((v) => ({ value: v, label: v === 0 ? "0" : `${v > 0 ? "+" : "−"}${fmt(Math.abs(v), t.digits)}` })),
  };
  const hasPre = cells.some((c) => c.preregistered);
  const legend: LegendItem[] = [{ label: "pre-registered regime (visibility 0.5, shortcut 0.5)", color: INK, shape: "outline" }];
  return figureSvg({
    title: t.title,
    subtitle: dataLine(result.data),
    legend,
    ramp,
    panels: rows.length ? rows : [[]],
    caption:
      `Cell color and text: ${t.what}. "*" (bold, "CI excludes 0"): the 95% CI of the difference excludes 0. ` +
      `Rows: how strongly the PSPI AUs show in the observation; columns: how strongly shortcut cues (non-PSPI AUs and an appearance cue only h can read) co-occur with pain. ` +
      `${hasPre ? "The outlined cell is the pre-registered regime the claims are judged in." : `The pre-registered regime (visibility ${PREREGISTERED_CELL.auVisibility}, shortcut ${PREREGISTERED_CELL.shortcutStrength}) is not on this grid.`} ${cellProtocol(result)}`,
    width,
  });
}

interface BypassRow {
  x: number;
  d: number;
  arm: string;
  color: string;
  estimate: number;
  lo: number;
  hi: number;
}

/** "λ_cf = 0" and "FACR" series of the bypass sweep. */
const BYPASS_SERIES: Record<string, { label: string; color: string }> = {
  baseline: { label: "λ_cf = 0 (baseline; CBM joint at d = 0)", color: ARM_COLORS.baseline },
  facr: { label: "FACR (CBM + L_cf at d = 0)", color: ARM_COLORS.facr },
};

function bypassPanel(rows: BypassRow[], ds: number[], o: { width: number; title: string; yLabel: string; domain: [number, number]; reference?: number }): PlotPanel {
  const ok = rows.filter((r) => Number.isFinite(r.estimate));
  return renderPlot(
    {
      width: o.width,
      height: 280,
      marginLeft: 54,
      marginRight: 12,
      marginTop: 16,
      marginBottom: 42,
      x: { domain: [-0.5, ds.length - 0.5], ticks: ds.map((_, i) => i), tickFormat: (i: number) => String(ds[i] ?? ""), label: "width d of h (0 = bottleneck)", labelAnchor: "center", labelArrow: "none", grid: true },
      y: { domain: o.domain, label: o.yLabel, labelAnchor: "center", labelArrow: "none", grid: true },
      color: { type: "identity" },
      marks: [
        ...(o.reference !== undefined ? [Plot.ruleY([o.reference], { stroke: MUTED, strokeDasharray: "3,3" })] : []),
        Plot.line(ok, { x: "x", y: "estimate", z: "arm", stroke: "color", strokeWidth: 1.5, strokeOpacity: 0.6 } as Plot.LineOptions),
        Plot.ruleX(
          ok.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi)),
          { x: "x", y1: "lo", y2: "hi", stroke: "color", strokeWidth: 2.5, className: "facr-interval" } as Plot.RuleXOptions,
        ),
        Plot.dot(ok, { x: "x", y: "estimate", fill: "color", stroke: "white", r: 4.5, className: "facr-estimate" } as Plot.DotOptions),
      ],
    },
    o.title,
  );
}

/** κ with G, AUC and AUC with h fixed against the bypass width d, for the λ_cf = 0 and FACR series. */
export function bypassFigure(result: SensitivityResultLike, opts: { width?: number } = {}): string {
  const ds = [...new Set(result.bypass.map((p) => p.d))].sort((a, b) => a - b);
  const arms = [...new Set(result.bypass.map((p) => p.arm))];
  const offset = (arm: string) => (arms.length < 2 ? 0 : (arms.indexOf(arm) / (arms.length - 1) - 0.5) * 0.24);
  const rows = (f: (p: BypassPointLike) => IntervalLike | null | undefined): BypassRow[] =>
    result.bypass.map((p) => {
      const iv = f(p);
      return { x: ds.indexOf(p.d) + offset(p.arm), d: p.d, arm: p.arm, color: BYPASS_SERIES[p.arm]?.color ?? armColor(p.arm, arms), estimate: num(iv?.estimate), lo: num(iv?.lo), hi: num(iv?.hi) };
    });
  const width = opts.width ?? FIGURE_WIDTH;
  const gap = 16;
  const panelW = Math.floor((width - 24 - 2 * gap) / 3);
  const panels = [
    bypassPanel(rows((p) => p.measures.kappa), ds, { width: panelW, title: "κ with G", yLabel: "Cohen's κ (unitless)", domain: [-1, 1], reference: 0 }),
    bypassPanel(rows((p) => p.measures.auc), ds, { width: panelW, title: "pain detection", yLabel: "AUC (0.5 = chance)", domain: [0.3, 1], reference: 0.5 }),
    bypassPanel(rows((p) => p.measures.aucHFixed), ds, { width: panelW, title: "AUC with h fixed (z alone)", yLabel: "AUC (0.5 = chance)", domain: [0.3, 1], reference: 0.5 }),
  ];
  const legend: LegendItem[] = arms.map((a) => ({ label: BYPASS_SERIES[a]?.label ?? armLabel(a), color: BYPASS_SERIES[a]?.color ?? armColor(a, arms), shape: "interval" }));
  return figureSvg({
    title: "The bypass: fidelity and detection against the width of the free embedding h",
    subtitle: dataLine(result.data),
    legend,
    panels,
    caption:
      `At the pre-registered regime (visibility ${PREREGISTERED_CELL.auVisibility}, shortcut ${PREREGISTERED_CELL.shortcutStrength}), the head reads z and a free embedding h of width d; at d = 0 there is no bypass (the concept-bottleneck arms: CBM joint for λ_cf = 0, CBM + L_cf for FACR). ` +
      `A wide h lets a model decide through the bypass while its AUs say something else; the AUC with h fixed at its training mean shows how much z alone carries (at d = 0 it equals the AUC: there is no h). ` +
      `The two series are offset sideways at each d. ${cellProtocol(result)}`,
    width,
  });
}

/** The sensitivity figures, named as `make figures` writes them. */
export function sensitivityFigures(result: SensitivityResultLike, opts: { width?: number } = {}): NamedFigure[] {
  const out: NamedFigure[] = [];
  if (result.cells.length && mapArms(result).length) {
    out.push({ name: "sensitivity-fidelity-gain", svg: regimeMapFigure(result, "kappaGain", opts) });
    out.push({ name: "sensitivity-detection-change", svg: regimeMapFigure(result, "aucChange", opts) });
  }
  if (result.bypass.length) out.push({ name: "sensitivity-bypass", svg: bypassFigure(result, opts) });
  return out;
}
