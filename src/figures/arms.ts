/**
 * Figures of an arm comparison (baseline, FACR, permuted-G control,
 * bottleneck-only) as standalone SVG strings: agreement with each graph with
 * 95% CIs, detection cost, the τ sweep, per-AU mean |Δ| and per-fold κ. Pure
 * functions of the result JSON (`ArmResultLike`: the PSPI result now, the
 * emotion transfer result later). Every figure carries the data line, so
 * synthetic data says so.
 */
import { figureSvg, LegendItem, textWidth } from "./compose";
import { Plot, PLOT_FONT_SIZE, PlotPanel, renderPlot } from "./plot-svg";
import type { AgreementKey, ArmResultLike, DetectionKey, IntervalLike } from "./result-types";
import { armColor, armLabel, dataLine, fmt, graphLabel, INK, MUTED, num } from "./theme";

/** Default figure width, pixels (fits a page at 100%). */
export const FIGURE_WIDTH = 760;

export const MEASURE_LABELS: Record<AgreementKey | DetectionKey, string> = {
  kappa: "Cohen's κ (unitless)",
  jaccard: "mean Jaccard (unitless)",
  precision: "precision of invoked AUs",
  recall: "recall of causal AUs",
  f1: "F1",
  polarityAccuracy: "polarity accuracy",
  auroc: "AUROC of |Δ| (causal vs irrelevant)",
  invokedRate: "share of AUs invoked",
  accuracy: "accuracy",
  macroF1: "macro-F1",
  auc: "AUC",
};

/** Graph keys of a result ("G", then "G'"), from its first arm. */
export function graphKeys(result: ArmResultLike): string[] {
  const first = Object.values(result.arms)[0];
  return first ? Object.keys(first.agreement) : [];
}

/** "pooled over held-out subjects of 5 folds × 3 seeds; bars: 95% subject-bootstrap CIs (1000 resamples)". */
export function protocolNote(result: ArmResultLike): string {
  const c = result.config;
  const seeds = c.seeds ? `${c.seeds.length} seed${c.seeds.length === 1 ? "" : "s"}` : "";
  const boot = c.bootstrap ? ` (${c.bootstrap.resamples} resamples)` : "";
  const pooled = c.folds && seeds ? `the held-out test subjects of ${c.folds} folds × ${seeds}` : seeds ? `the test subjects, across ${seeds.replace("seed", "training seed")}` : "the test subjects of every run";
  // results whose arms list per-seed values were bootstrapped over seeds, then subjects (spec §11.7)
  const hierarchical = Object.values(result.arms).some((a) => Array.isArray((a as { perCluster?: unknown }).perCluster));
  return `Pooled over ${pooled}; bars: 95% ${hierarchical ? "hierarchical-bootstrap (seeds, then subjects)" : "subject-bootstrap"} CIs${boot}.`;
}

/** One row of an interval panel. */
export interface IntervalRow {
  arm: string;
  label: string;
  color: string;
  estimate: number;
  lo: number;
  hi: number;
}

export function intervalRows(result: ArmResultLike, pick: (arm: string) => IntervalLike | undefined): IntervalRow[] {
  const arms = Object.keys(result.arms);
  return arms.map((arm) => {
    const iv = pick(arm);
    return { arm, label: armLabel(arm), color: armColor(arm, arms), estimate: num(iv?.estimate), lo: num(iv?.lo), hi: num(iv?.hi) };
  });
}

/** Width of the arm labels on a y axis, pixels. */
export function armLabelWidth(result: ArmResultLike): number {
  return Math.ceil(Math.max(60, ...Object.keys(result.arms).map((a) => textWidth(armLabel(a), PLOT_FONT_SIZE)))) + 14;
}

/**
 * A dot-and-interval panel: one row per arm, the estimate as a dot, its CI as a
 * horizontal bar (drawn only where both ends are finite), the value above.
 */
export function intervalPanel(rows: IntervalRow[], o: { title?: string; domain: [number, number]; xLabel: string; yAxis: boolean; labelWidth: number; width: number; reference?: number; digits?: number; extra?: Plot.Markish[] }): PlotPanel {
  const withCi = rows.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi));
  const withEst = rows.filter((r) => Number.isFinite(r.estimate));
  const marks: Plot.Markish[] = [];
  if (o.reference !== undefined) marks.push(Plot.ruleX([o.reference], { stroke: MUTED, strokeDasharray: "3,3" }));
  marks.push(
    Plot.ruleY(withCi, { y: "label", x1: "lo", x2: "hi", stroke: "color", strokeWidth: 2.5, className: "facr-interval" } as Plot.RuleYOptions),
    Plot.dot(withEst, { x: "estimate", y: "label", fill: "color", stroke: "white", r: 5.5, className: "facr-estimate" } as Plot.DotOptions),
    Plot.text(withEst, { x: "estimate", y: "label", text: (d: IntervalRow) => fmt(d.estimate, o.digits ?? 3), dy: -12, fill: INK, fontSize: 10.5, className: "facr-value" } as Plot.TextOptions),
    ...(o.extra ?? []),
  );
  return renderPlot(
    {
      width: o.width,
      height: 52 + 40 * rows.length,
      marginLeft: o.yAxis ? o.labelWidth : 22,
      marginRight: 18,
      marginTop: 14,
      marginBottom: 38,
      x: { domain: o.domain, label: o.xLabel, labelAnchor: "center", labelArrow: "none", grid: true, inset: 10 },
      y: { domain: rows.map((r) => r.label), label: null, axis: o.yAxis ? "left" : null, padding: 0.3, tickSize: 0 },
      color: { type: "identity" },
      marks,
    },
    o.title,
  );
}

/** Panels side by side sharing the arm axis: the first shows the labels. */
export function intervalPanels(result: ArmResultLike, specs: { title: string; rows: IntervalRow[]; domain: [number, number]; xLabel: string; reference?: number; extra?: Plot.Markish[] }[], width: number): PlotPanel[] {
  const labelWidth = armLabelWidth(result);
  const gap = 16;
  const margins = (j: number) => (j === 0 ? labelWidth : 22) + 18;
  const plotW = Math.max(160, (width - 24 - gap * (specs.length - 1) - specs.reduce((s, _, j) => s + margins(j), 0)) / specs.length);
  return specs.map((s, j) => intervalPanel(s.rows, { ...s, yAxis: j === 0, labelWidth, width: plotW + margins(j) }));
}

export function armLegend(result: ArmResultLike, shape: LegendItem["shape"] = "interval"): LegendItem[] {
  const arms = Object.keys(result.arms);
  return arms.map((a) => ({ label: armLabel(a), color: armColor(a, arms), shape }));
}

export interface ArmFigureOptions {
  title?: string;
  /** Replaces the default caption. */
  caption?: string;
  /** Appended to the default caption. */
  note?: string;
  width?: number;
}

/**
 * Agreement (default Cohen's κ) of each arm with each graph (G, and the
 * permuted control G′), dot + 95% CI, one panel per graph.
 */
export function agreementFigure(result: ArmResultLike, opts: ArmFigureOptions & { measure?: AgreementKey; graphs?: string[] } = {}): string {
  const measure = opts.measure ?? "kappa";
  const graphs = opts.graphs ?? graphKeys(result);
  const domain: [number, number] = measure === "kappa" ? [-1, 1] : [0, 1];
  const specs = graphs.map((g) => ({
    title: `agreement with ${graphLabel(g, result.graphs?.G?.provenance)}`,
    rows: intervalRows(result, (arm) => result.arms[arm].agreement[g]?.[measure]),
    domain,
    xLabel: MEASURE_LABELS[measure],
    reference: measure === "kappa" ? 0 : undefined,
  }));
  const tau = result.config.tau;
  const caption =
    opts.caption ??
    `${MEASURE_LABELS[measure]} between the AUs each arm invokes (|Δ| ≥ τ = ${tau} nats of log-odds for the predicted class) and the AUs the graph marks causal. ` +
      `${protocolNote(result)} This measures fidelity to the supplied structure, not rediscovery of it.` +
      (graphs.includes("G'") ? " G′ is the control graph the control arm is trained on (for PSPI: G's complement): when agreement follows the graph the objective reads (high with G′, not with G), the gain comes from the objective, not from other training changes." : "") +
      (opts.note ? ` ${opts.note}` : "");
  return figureSvg({
    title: opts.title ?? "Agreement of the AUs that drive the prediction with the graph, per arm",
    subtitle: dataLine(result.data),
    legend: armLegend(result),
    panels: intervalPanels(result, specs, opts.width ?? FIGURE_WIDTH),
    caption,
    width: opts.width ?? FIGURE_WIDTH,
  });
}

/** Detection quality per arm (default AUC and F1) with 95% CIs: what the objective costs. */
export function detectionFigure(result: ArmResultLike, opts: ArmFigureOptions & { measures?: DetectionKey[] } = {}): string {
  const measures = opts.measures ?? ["auc", "f1"];
  const specs = measures.map((m) => ({
    title: MEASURE_LABELS[m],
    rows: intervalRows(result, (arm) => result.arms[arm].detection[m]),
    domain: (m === "auc" ? [0.5, 1] : [0, 1]) as [number, number],
    xLabel: m === "auc" ? "AUC (unitless; 0.5 = chance)" : `${MEASURE_LABELS[m]} (unitless)`,
  }));
  return figureSvg({
    title: opts.title ?? "Detection quality per arm: what faithfulness costs",
    subtitle: dataLine(result.data),
    legend: armLegend(result),
    panels: intervalPanels(result, specs, opts.width ?? FIGURE_WIDTH),
    caption: opts.caption ?? `${protocolNote(result)}${opts.note ? " " + opts.note : ""}`,
    width: opts.width ?? FIGURE_WIDTH,
  });
}

/** κ with the first graph across invocation thresholds τ (log axis), one line per arm; the reported τ marked. */
export function tauSweepFigure(result: ArmResultLike, opts: ArmFigureOptions = {}): string {
  const arms = Object.keys(result.arms);
  const rows = arms.flatMap((arm) => (result.arms[arm].tauSweep ?? []).map((p) => ({ arm, color: armColor(arm, arms), tau: p.tau, kappa: num(p.kappa) })));
  const ok = rows.filter((r) => Number.isFinite(r.kappa) && r.tau > 0);
  const taus = [...new Set(ok.map((r) => r.tau))].sort((a, b) => a - b);
  const tau = result.config.tau;
  const width = opts.width ?? FIGURE_WIDTH;
  const panel = renderPlot({
    width: width - 24,
    height: 340,
    marginLeft: 52,
    marginRight: 20,
    marginBottom: 42,
    x: { type: "log", domain: taus.length ? [taus[0] / 1.3, taus[taus.length - 1] * 1.3] : [0.05, 4], ticks: taus, tickFormat: (t: number) => String(t), label: "invocation threshold τ (nats of log-odds, log scale)", labelAnchor: "center", labelArrow: "none", grid: true },
    y: { domain: [-1, 1], label: "Cohen's κ with G (unitless)", labelAnchor: "center", labelArrow: "none", grid: true },
    color: { type: "identity" },
    marks: [
      Plot.ruleY([0], { stroke: MUTED, strokeDasharray: "3,3" }),
      Plot.ruleX([tau], { stroke: INK, strokeOpacity: 0.5 }),
      Plot.text([tau], { x: (d: number) => d, y: 0.5, text: () => `reported τ = ${tau}`, dx: 5, textAnchor: "start", fill: INK }),
      Plot.line(ok, { x: "tau", y: "kappa", z: "arm", stroke: "color", strokeWidth: 2, className: "facr-sweep" } as Plot.LineOptions),
      Plot.dot(ok, { x: "tau", y: "kappa", fill: "color", r: 3.5, className: "facr-sweep-point" } as Plot.DotOptions),
    ],
  });
  const G = graphLabel("G", result.graphs?.G?.provenance);
  return figureSvg({
    title: opts.title ?? "Agreement with G across the invocation threshold τ",
    subtitle: dataLine(result.data),
    legend: armLegend(result, "line"),
    panels: [panel],
    caption:
      opts.caption ??
      `κ between invoked AUs (|Δ| ≥ τ) and the AUs ${G} marks causal, on the pooled held-out subjects (point estimates; CIs at the reported τ are in the agreement figure).${opts.note ? " " + opts.note : ""}`,
    width,
  });
}

/** κ with G per fold and seed (open dots) beside the pooled estimate (bar), per arm. */
export function foldAgreementFigure(result: ArmResultLike, opts: ArmFigureOptions = {}): string {
  const arms = Object.keys(result.arms);
  const seeds = [...new Set((result.perFold ?? []).map((r) => r.seed))].sort((a, b) => a - b);
  const S = Math.max(1, seeds.length);
  const spread = Math.min(0.5, 0.16 * S);
  const rows = (result.perFold ?? [])
    .filter((r) => arms.includes(r.arm) && Number.isFinite(num(r.scores.kappa)))
    .map((r) => ({
      arm: r.arm,
      color: armColor(r.arm, arms),
      kappa: num(r.scores.kappa),
      y: arms.indexOf(r.arm) + (S === 1 ? 0 : (seeds.indexOf(r.seed) / (S - 1) - 0.5) * spread),
      seed: r.seed,
      fold: r.fold,
    }));
  const pooled = arms
    .map((arm, i) => ({ arm, color: armColor(arm, arms), y: i, kappa: num(result.arms[arm].agreement.G?.kappa?.estimate) }))
    .filter((r) => Number.isFinite(r.kappa));
  const width = opts.width ?? FIGURE_WIDTH;
  const labelWidth = armLabelWidth(result);
  const panel = renderPlot({
    width: width - 24,
    height: 60 + 52 * arms.length,
    marginLeft: labelWidth,
    marginRight: 20,
    marginBottom: 40,
    x: { domain: [-1, 1], label: "Cohen's κ with G (unitless)", labelAnchor: "center", labelArrow: "none", grid: true },
    y: { domain: [arms.length - 0.5, -0.5], ticks: arms.map((_, i) => i), tickFormat: (i: number) => armLabel(arms[i] ?? ""), label: null, tickSize: 0 },
    color: { type: "identity" },
    marks: [
      Plot.ruleX([0], { stroke: MUTED, strokeDasharray: "3,3" }),
      Plot.ruleX(pooled, { x: "kappa", y1: (d: { y: number }) => d.y - 0.36, y2: (d: { y: number }) => d.y + 0.36, stroke: "color", strokeWidth: 3, className: "facr-pooled" } as Plot.RuleXOptions),
      Plot.dot(rows, { x: "kappa", y: "y", stroke: "color", fill: "white", r: 4, strokeWidth: 1.5, className: "facr-fold", title: (d: { seed: number; fold: number; kappa: number }) => `seed ${d.seed}, fold ${d.fold + 1}: κ = ${fmt(d.kappa, 3)}` } as Plot.DotOptions),
    ],
  });
  const design = S > 1 ? ` Dots are offset vertically by seed (${seeds.join(", ")}, top to bottom).` : "";
  return figureSvg({
    title: opts.title ?? "Agreement with G per fold: how stable each arm is",
    subtitle: dataLine(result.data),
    legend: [
      ...armLegend(result, "square"),
      { label: "one fold × seed", color: INK, shape: "ring" },
    ],
    panels: [panel],
    caption: opts.caption ?? `κ on each fold's held-out subjects at τ = ${result.config.tau} nats (open dots) and on all folds pooled (vertical bars).${design}${opts.note ? " " + opts.note : ""}`,
    width,
  });
}
