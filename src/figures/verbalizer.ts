/**
 * The verbalizer experiment's figure set (claims C5–C7), from its result JSON:
 *
 *   verbalizer-audit    removal rate (with the re-sampling chance level), stability
 *                       rate and κ(mentioned, active) with 95% CIs, one row per
 *                       backbone × decoding mode, one row of panels per task;
 *   verbalizer-fluency  perplexity of the rationales under the unbiased LM (log
 *                       axis, with the LM's validation perplexity and the unigram /
 *                       uniform baselines) and the share the grammar accepts.
 *
 * The result type is read loosely (`VerbalizerResultLike`; a `VerbalizerResult`
 * satisfies it) so figures load without TensorFlow.js. Every figure carries the
 * data line with the synthetic caveat.
 */
import { FIGURE_WIDTH } from "./arms";
import { figureSvg, LegendItem, textWidth } from "./compose";
import { niceRange } from "./effects";
import { Plot, PLOT_FONT_SIZE, PlotPanel, renderPlot } from "./plot-svg";
import type { NamedFigure } from "./pspi";
import type { IntervalLike } from "./result-types";
import { dataLine, fmt, INK, MUTED, num } from "./theme";

/** One audit row of a verbalizer result: task × backbone × decoding mode. */
export interface VerbalizerAuditRowLike {
  task: string;
  backbone: string;
  mode: string;
  samples?: number;
  subjects?: number;
  ablations?: number;
  measures: Partial<Record<"removal" | "stability" | "resampleRemoval" | "kappaActive" | "kappaActiveCausal" | "mentionPrecision" | "perplexity" | "acceptance" | "meanMentions", IntervalLike>>;
}

/** The parts of a verbalizer result the figures read. */
export interface VerbalizerResultLike {
  experiment?: string;
  profile?: string;
  config?: { bootstrap?: { resamples: number }; decoding?: { strategy?: string } };
  data: { synthetic?: boolean; tasks?: Record<string, { dataset: string; graph?: string }> };
  gate?: { beta: number; theta: number; thetaGate: number; selectedOn?: string };
  languageModels?: Record<string, { validationPerplexity?: number | null; perTaskValidationPerplexity?: Record<string, number | null> }>;
  perplexityBaselines?: { uniform: number; unigram: number };
  audit: readonly VerbalizerAuditRowLike[];
}

/** Decoding-mode colors: free generation vermillion, gated emission blue (Okabe–Ito). */
export const MODE_COLORS: Readonly<Record<string, string>> = { free: "#D55E00", gated: "#0072B2" };
const MODE_LABELS: Readonly<Record<string, string>> = { free: "free generation", gated: "gated emission" };
const BACKBONE_LABELS: Readonly<Record<string, string>> = { gru: "GRU", transformer: "Transformer" };
const BACKBONE_SYMBOLS: Readonly<Record<string, string>> = { gru: "circle", transformer: "square" };
const CHANCE_COLOR = "#444444";

export const backboneLabel = (b: string) => BACKBONE_LABELS[b] ?? b;
export const modeLabel = (m: string) => MODE_LABELS[m] ?? m;
const modeColor = (m: string) => MODE_COLORS[m] ?? "#7a7a7a";

/** "GRU, free" */
export function auditRowLabel(r: Pick<VerbalizerAuditRowLike, "backbone" | "mode">): string {
  return `${backboneLabel(r.backbone)}, ${r.mode}`;
}

/** Tasks in the order the result lists them. */
export function verbalizerTasks(result: VerbalizerResultLike): string[] {
  return [...new Set(result.audit.map((a) => a.task))];
}

/** The data line: both tasks' datasets, with the synthetic caveat. */
export function verbalizerDataLine(result: VerbalizerResultLike): string {
  const tasks = result.data.tasks ?? {};
  const names = verbalizerTasks(result).map((t) => (tasks[t] ? `${t}: ${shortDataset(tasks[t].dataset)}` : t));
  return dataLine({ name: names.join("; ") || "verbalizer audit", synthetic: result.data.synthetic ?? true });
}

/** "SynPain (profile smoke, seed 1)" → "SynPain"; "SynEmotion source (…) → SynEmotion target (…)" → "SynEmotion source → SynEmotion target". */
function shortDataset(name: string): string {
  return name.replace(/\s*\([^)]*\)/g, "");
}

interface Point {
  label: string;
  color: string;
  symbol: string;
  estimate: number;
  lo: number;
  hi: number;
}

function points(rows: readonly VerbalizerAuditRowLike[], measure: keyof VerbalizerAuditRowLike["measures"]): Point[] {
  return rows.map((r) => {
    const iv = r.measures[measure];
    return { label: auditRowLabel(r), color: modeColor(r.mode), symbol: BACKBONE_SYMBOLS[r.backbone] ?? "diamond", estimate: num(iv?.estimate), lo: num(iv?.lo), hi: num(iv?.hi) };
  });
}

interface PanelSpec {
  title: string;
  points: Point[];
  domain: [number, number];
  xLabel: string;
  type?: "linear" | "log";
  ticks?: number[];
  /** Extra marks drawn under the points (reference lines, chance levels). */
  extra?: Plot.Markish[];
  digits?: number;
}

/** Dot + 95% CI per row; the first panel of a row carries the row labels. */
function pointPanel(s: PanelSpec, o: { labels: string[]; yAxis: boolean; labelWidth: number; width: number }): PlotPanel {
  const withCi = s.points.filter((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi));
  const withEst = s.points.filter((p) => Number.isFinite(p.estimate));
  const bySymbol = [...new Set(withEst.map((p) => p.symbol))];
  return renderPlot(
    {
      width: o.width,
      height: 52 + 34 * o.labels.length,
      marginLeft: o.yAxis ? o.labelWidth : 14,
      marginRight: 16,
      marginTop: 14,
      marginBottom: 38,
      x: {
        type: s.type ?? "linear",
        domain: s.domain,
        label: s.xLabel,
        labelAnchor: "center",
        labelArrow: "none",
        grid: true,
        inset: 8,
        ...(s.ticks ? { ticks: s.ticks, tickFormat: (t: number) => String(t) } : { ticks: 4 }),
      },
      y: { domain: o.labels, label: null, axis: o.yAxis ? "left" : null, padding: 0.3, tickSize: 0 },
      color: { type: "identity" },
      marks: [
        ...(s.extra ?? []),
        Plot.ruleY(withCi, { y: "label", x1: "lo", x2: "hi", stroke: "color", strokeWidth: 2.5, className: "facr-interval" } as Plot.RuleYOptions),
        ...bySymbol.map((sym) => Plot.dot(withEst.filter((p) => p.symbol === sym), { x: "estimate", y: "label", fill: "color", stroke: "white", r: 5, symbol: sym, className: "facr-estimate" } as Plot.DotOptions)),
        Plot.text(withEst, { x: "estimate", y: "label", text: (d: Point) => fmt(d.estimate, s.digits ?? 2), dy: -11, fill: INK, fontSize: 10, className: "facr-value" } as Plot.TextOptions),
      ],
    },
    s.title,
  );
}

/** Rows of panels, one row per task, panels sharing the backbone × mode axis. */
function taskRows(result: VerbalizerResultLike, specsOf: (task: string, rows: VerbalizerAuditRowLike[]) => PanelSpec[], width: number): PlotPanel[][] {
  const tasks = verbalizerTasks(result);
  const labelsOf = (rows: VerbalizerAuditRowLike[]) => rows.map(auditRowLabel);
  const allLabels = result.audit.map(auditRowLabel);
  const labelWidth = Math.ceil(Math.max(60, ...allLabels.map((l) => textWidth(l, PLOT_FONT_SIZE)))) + 12;
  return tasks.map((task) => {
    const rows = result.audit.filter((a) => a.task === task);
    const specs = specsOf(task, rows);
    const gap = 16;
    const margins = (j: number) => (j === 0 ? labelWidth : 14) + 16;
    const plotW = Math.max(120, (width - 24 - gap * (specs.length - 1) - specs.reduce((s, _, j) => s + margins(j), 0)) / specs.length);
    return specs.map((s, j) => pointPanel(s, { labels: labelsOf(rows), yAxis: j === 0, labelWidth, width: plotW + margins(j) }));
  });
}

function legend(extra: LegendItem[] = []): LegendItem[] {
  return [
    { label: MODE_LABELS.gated, color: MODE_COLORS.gated, shape: "interval" },
    { label: MODE_LABELS.free, color: MODE_COLORS.free, shape: "interval" },
    { label: "GRU", color: MUTED, shape: "dot" },
    { label: "Transformer", color: MUTED, shape: "square" },
    ...extra,
  ];
}

function gateText(result: VerbalizerResultLike): string {
  const g = result.gate;
  if (!g) return "Gated emission adds β·(a_k − θ) to AU token k's logit and removes the token when a_k < θ_gate.";
  return `Gated emission adds β·(a_k − θ) to AU token k's logit and removes the token when a_k < θ_gate (β = ${g.beta}, θ = ${g.theta}, θ_gate = ${g.thetaGate}; chosen on the ${backboneLabel(g.selectedOn ?? "gru")} from validation samples and reused unchanged on the other backbone).`;
}

function ciText(result: VerbalizerResultLike): string {
  const n = result.config?.bootstrap?.resamples;
  return `Bars: 95% percentile-bootstrap CIs over test subjects${n ? ` (${n} resamples)` : ""}; a bar is absent where the measure is undefined (e.g. nothing mentioned, so nothing to ablate).`;
}

function sizesText(result: VerbalizerResultLike): string {
  const parts = verbalizerTasks(result).map((t) => {
    const r = result.audit.find((a) => a.task === t);
    return r && r.samples !== undefined ? `${t}: ${r.samples} test faces of ${r.subjects ?? "?"} subjects` : "";
  });
  return parts.filter(Boolean).length ? ` Audited per task: ${parts.filter(Boolean).join("; ")}.` : "";
}

/** κ axis: from −1 (or a little below the lowest lower bound) to 1. */
function kappaDomain(result: VerbalizerResultLike): [number, number] {
  const lows = result.audit.flatMap((a) => [num(a.measures.kappaActive?.lo), num(a.measures.kappaActive?.estimate)]).filter(Number.isFinite);
  const min = Math.min(0, ...lows);
  return [min >= -0.25 ? -0.25 : -1, 1];
}

/** Removal, stability and κ(mentioned, active) per backbone × mode, one row of panels per task. */
export function verbalizerAuditFigure(result: VerbalizerResultLike, opts: { title?: string; width?: number } = {}): string {
  const width = opts.width ?? FIGURE_WIDTH;
  const kd = kappaDomain(result);
  const rows = taskRows(
    result,
    (task, rs) => {
      const chance = points(rs, "resampleRemoval").map((p) => ({ ...p, color: CHANCE_COLOR }));
      return [
        {
          title: `${task} — removal rate`,
          points: points(rs, "removal"),
          domain: [0, 1],
          xLabel: "share of ablations (unitless)",
          extra: [Plot.dot(chance.filter((p) => Number.isFinite(p.estimate)), { x: "estimate", y: "label", stroke: CHANCE_COLOR, fill: "none", r: 6.5, strokeWidth: 1.5, className: "facr-chance" } as Plot.DotOptions)],
        },
        { title: "stability rate", points: points(rs, "stability"), domain: [0, 1], xLabel: "share of ablations (unitless)" },
        { title: "κ(mentioned, active)", points: points(rs, "kappaActive"), domain: kd, xLabel: "Cohen's κ (unitless)", extra: [Plot.ruleX([0], { stroke: MUTED, strokeDasharray: "3,3" })] },
      ];
    },
    width,
  );
  return figureSvg({
    title: opts.title ?? "Verbalizer audit: does ablating an AU remove it from the rationale?",
    subtitle: verbalizerDataLine(result),
    legend: legend([{ label: "re-sampling alone, no ablation (chance level)", color: CHANCE_COLOR, shape: "ring" }]),
    panels: rows,
    caption:
      `Removal: share of ablations (a mentioned AU's activation set to 0, the rationale regenerated with the same class and random numbers) after which that AU is no longer mentioned; ` +
      `open rings: share of mentioned AUs that vanish when the rationale is merely re-sampled with another seed. ` +
      `Stability: share of ablations that leave the other mentions exactly unchanged. ` +
      `κ: between the AUs mentioned and the AUs active (a_k ≥ θ_gate) over every (face, AU) pair. ` +
      `${gateText(result)} Free generation conditions on the class only.${sizesText(result)} ${ciText(result)}`,
    width,
  });
}

/** Perplexity (log axis, with reference levels) and grammar acceptance per backbone × mode, one row of panels per task. */
export function verbalizerFluencyFigure(result: VerbalizerResultLike, opts: { title?: string; width?: number } = {}): string {
  const width = opts.width ?? FIGURE_WIDTH;
  const base = result.perplexityBaselines;
  const validation = Object.values(result.languageModels ?? {}).flatMap((m) => Object.values(m.perTaskValidationPerplexity ?? {}).map(num));
  const values = [...result.audit.flatMap((a) => [num(a.measures.perplexity?.hi), num(a.measures.perplexity?.estimate)]), ...validation].filter(Number.isFinite);
  const top = Math.max(2, niceRange(Math.max(1, ...values) * 1.1).top);
  // the unigram / uniform references are drawn when they fall on the axis, else named in the legend
  const refs = base
    ? [
        { x: base.unigram, label: `unigram ${fmt(base.unigram, 1)}` },
        { x: base.uniform, label: `uniform ${fmt(base.uniform, 0)}` },
      ]
    : [];
  const onAxis = refs.filter((r) => r.x <= top);
  const offAxis = refs.filter((r) => r.x > top);
  const rows = taskRows(
    result,
    (task, rs) => {
      const extra: Plot.Markish[] = [];
      if (onAxis.length) {
        extra.push(
          Plot.ruleX(onAxis, { x: "x", stroke: MUTED, strokeDasharray: "4,3", className: "facr-baseline" } as Plot.RuleXOptions),
          Plot.text(onAxis, { x: "x", frameAnchor: "top", text: "label", rotate: -90, textAnchor: "end", lineAnchor: "bottom", dx: -3, dy: 4, fill: MUTED, fontSize: 9.5, className: "facr-baseline-label" } as Plot.TextOptions),
        );
      }
      const val = rs
        .map((r) => ({ label: auditRowLabel(r), x: num(result.languageModels?.[r.backbone]?.perTaskValidationPerplexity?.[task]) }))
        .filter((v) => Number.isFinite(v.x));
      if (val.length) extra.push(Plot.tickX(val, { x: "x", y: "label", stroke: INK, strokeWidth: 2, insetTop: 4, insetBottom: 4, className: "facr-validation" } as Plot.TickXOptions));
      return [
        { title: `${task} — perplexity under the unbiased LM`, points: points(rs, "perplexity"), domain: [1, top], xLabel: "perplexity (per token; 1 = certain)", extra },
        { title: "accepted by the grammar", points: points(rs, "acceptance"), domain: [0, 1], xLabel: "share of rationales (unitless)" },
      ];
    },
    width,
  );
  return figureSvg({
    title: opts.title ?? "Verbalizer fluency: free vs gated rationales under the unbiased language model",
    subtitle: verbalizerDataLine(result),
    legend: legend([
      { label: "the LM's perplexity on held-out corpus rationales", color: INK, shape: "line" },
      ...(onAxis.length ? [{ label: `${onAxis.map((r) => r.label.split(" ")[0]).join(" / ")} reference`, color: MUTED, shape: "dash" as const }] : []),
      ...(offAxis.length ? [{ label: `reference${offAxis.length > 1 ? "s" : ""} beyond the axis: ${offAxis.map((r) => r.label).join(", ")}`, color: MUTED, shape: "dash" as const }] : []),
    ]),
    panels: rows,
    caption:
      `Perplexity: exp(mean negative log-likelihood per token) of the audited rationales under the backbone's own language model without gate or bias; ` +
      `the black tick is that LM's perplexity on held-out corpus rationales of the task. References: a unigram model of the training corpus (add-one) and a uniform choice over the ${base ? fmt(base.uniform, 0) + "-token " : ""}vocabulary${offAxis.length ? ` (${offAxis.map((r) => r.label).join(", ")}: beyond the axis)` : ""}. ` +
      `Accepted: share of rationales the paraphrase grammar parses. ${gateText(result)}${sizesText(result)} ${ciText(result)}`,
    width,
  });
}

/** Every verbalizer figure. */
export function verbalizerFigures(result: VerbalizerResultLike): NamedFigure[] {
  return [
    { name: "verbalizer-audit", svg: verbalizerAuditFigure(result) },
    { name: "verbalizer-fluency", svg: verbalizerFluencyFigure(result) },
  ];
}
