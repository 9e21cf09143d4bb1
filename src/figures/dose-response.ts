/**
 * Figures of the dose-response sweeps (src/experiments/dose-response.ts):
 * agreement with G and pain detection against λ_cf, and against the margin m,
 * each point with its 95% subject-bootstrap CI. Pure functions of the result JSON.
 */
import { FIGURE_WIDTH } from "./arms";
import { figureSvg } from "./compose";
import { Plot, PlotPanel, renderPlot } from "./plot-svg";
import type { NamedFigure } from "./pspi";
import type { IntervalLike } from "./result-types";
import { ARM_COLORS, DataInfo, dataLine, fmt, INK, MUTED, num } from "./theme";

export interface DosePointLike {
  lambdaCf: number;
  margin: number;
  kappa: IntervalLike;
  auc: IntervalLike;
  f1?: IntervalLike;
}

/** The part of a dose-response result the figures read (a `DoseResponseResult` satisfies it). */
export interface DoseResponseLike {
  data: DataInfo;
  config: { margin: number; marginLambda: number };
  pspiConfig: { tau: number; folds: number; seeds: readonly number[]; bootstrap?: { resamples: number } };
  lambdaSweep: readonly DosePointLike[];
  marginSweep: readonly DosePointLike[];
}

type SweepKey = "lambdaCf" | "margin";

/** One panel: a measure against λ_cf or m, line through the estimates, CI bars, values above. */
function sweepPanel(points: readonly DosePointLike[], o: { x: SweepKey; measure: "kappa" | "auc"; width: number; title: string }): PlotPanel {
  const rows = points
    .map((p) => ({ x: p[o.x], estimate: num(p[o.measure].estimate), lo: num(p[o.measure].lo), hi: num(p[o.measure].hi) }))
    .filter((r) => Number.isFinite(r.estimate));
  const xs = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b);
  const color = ARM_COLORS.facr;
  // λ_cf spans decades and includes 0: a symmetric-log axis (linear near 0). Margins: linear.
  const x =
    o.x === "lambdaCf"
      ? { type: "symlog" as const, constant: 0.1, domain: [0, Math.max(...xs, 1) * 1.25], ticks: xs, tickFormat: (t: number) => String(t), label: "λ_cf (symmetric log scale)" }
      : { domain: [0, Math.max(...xs, 1) * 1.15], ticks: xs, tickFormat: (t: number) => String(t), label: "margin m (nats of log-odds)" };
  return renderPlot(
    {
      width: o.width,
      height: 300,
      marginLeft: 48,
      marginRight: 18,
      marginTop: 18,
      marginBottom: 42,
      x: { ...x, labelAnchor: "center", labelArrow: "none", grid: true, inset: 12 },
      y: {
        domain: o.measure === "kappa" ? [-1, 1] : [0.5, 1],
        label: o.measure === "kappa" ? "Cohen's κ with G (unitless)" : "pain AUC (unitless; 0.5 = chance)",
        labelAnchor: "center",
        labelArrow: "none",
        grid: true,
      },
      marks: [
        ...(o.measure === "kappa" ? [Plot.ruleY([0], { stroke: MUTED, strokeDasharray: "3,3" })] : []),
        Plot.line(rows, { x: "x", y: "estimate", stroke: color, strokeWidth: 2 }),
        Plot.ruleX(
          rows.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi)),
          { x: "x", y1: "lo", y2: "hi", stroke: color, strokeWidth: 2.5, className: "facr-interval" } as Plot.RuleXOptions,
        ),
        Plot.dot(rows, { x: "x", y: "estimate", fill: color, stroke: "white", r: 4.5, className: "facr-estimate" } as Plot.DotOptions),
        Plot.text(rows, { x: "x", y: "estimate", text: (d: { estimate: number }) => fmt(d.estimate, 2), dx: 7, dy: -9, textAnchor: "start", fill: INK, fontSize: 10 } as Plot.TextOptions),
      ],
    },
    o.title,
  );
}

function sweepFigure(result: DoseResponseLike, x: SweepKey, opts: { width?: number }): string {
  const width = opts.width ?? FIGURE_WIDTH;
  const points = x === "lambdaCf" ? result.lambdaSweep : result.marginSweep;
  const panelWidth = Math.floor((width - 24 - 16) / 2);
  const c = result.pspiConfig;
  const protocol =
    `FACR arm alone, retrained per point on the same ${c.folds} subject folds × ${c.seeds.length} seed${c.seeds.length === 1 ? "" : "s"}; ` +
    `estimates pooled over the held-out subjects; bars: 95% subject-bootstrap CIs${c.bootstrap ? ` (${c.bootstrap.resamples} resamples)` : ""}. κ at τ = ${c.tau} nats.`;
  const fixed =
    x === "lambdaCf"
      ? `λ_cf weighs the faithfulness objective against cross-entropy; λ_cf = 0 is the baseline. Margin m = ${result.config.margin}.`
      : `The margin m is how far (nats of log-odds) an intervention on a causal AU must move the class; λ_cf = ${result.config.marginLambda}.`;
  return figureSvg({
    title: x === "lambdaCf" ? "Dose-response: agreement with G and pain detection against λ_cf" : "Agreement with G and pain detection against the margin m",
    subtitle: dataLine(result.data),
    legend: [{ label: "FACR arm, retrained at each setting", color: ARM_COLORS.facr, shape: "interval" }],
    panels: [
      sweepPanel(points, { x, measure: "kappa", width: panelWidth, title: "agreement with G" }),
      sweepPanel(points, { x, measure: "auc", width: panelWidth, title: "pain detection" }),
    ],
    caption: `${fixed} ${protocol}`,
    width,
  });
}

/** Both sweep figures, named as `make figures` writes them. */
export function doseResponseFigures(result: DoseResponseLike, opts: { width?: number } = {}): NamedFigure[] {
  return [
    { name: "dose-response-lambda", svg: sweepFigure(result, "lambdaCf", opts) },
    { name: "dose-response-margin", svg: sweepFigure(result, "margin", opts) },
  ];
}
