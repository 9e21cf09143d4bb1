/**
 * Drawings of a causal graph G as SVG strings: its polarity heatmap (AU rows ×
 * class columns; +1 green, −1 magenta, 0 blank; substitute groups lettered),
 * the selection frequencies of an induced graph, and a side-by-side comparison
 * of two graphs (e.g. induced vs the known structure) with agreement marks.
 */
import { actionUnit, isAuCode } from "../au/registry";
import { compareGraphs } from "../graph/compare";
import type { CausalGraph } from "../graph/graph";
import type { InductionResult } from "../graph/induce";
import { figureSvg, LegendItem, textWidth } from "./compose";
import { colorScale, Plot, PLOT_FONT_SIZE, PlotPanel, renderPlot } from "./plot-svg";
import type { GraphLike } from "./result-types";
import { dataLine, DataInfo, fmt, INK, pct, POLARITY_COLORS } from "./theme";

/** "AU04 brow lowerer" (the FACS name, lower case), or the code alone for unknown AUs. */
export function auAxisLabel(code: string): string {
  return isAuCode(code) ? `${code} ${actionUnit(code).name.toLowerCase()}` : code;
}

interface PolarityCell {
  au: string;
  cls: string;
  p: number;
  /** Substitute-group letter ("a", "b", …) within the class, or "". */
  group: string;
}

export function polarityCells(g: GraphLike, aus: readonly string[] = g.aus, classes: readonly string[] = g.classes): PolarityCell[] {
  const out: PolarityCell[] = [];
  for (const cls of classes) {
    const c = g.classes.indexOf(cls);
    const groups = g.groups?.[cls] ?? [];
    for (const au of aus) {
      const k = g.aus.indexOf(au);
      const gi = groups.findIndex((grp) => grp.includes(au));
      out.push({ au, cls, p: k >= 0 && c >= 0 ? g.polarity[k][c] : 0, group: gi >= 0 ? String.fromCharCode(97 + gi) : "" });
    }
  }
  return out;
}

/** Outline of induced edges: visible on light and dark cells. */
const EDGE_OUTLINE = "#E69F00";

const polarityFill = (p: number) => (p > 0 ? POLARITY_COLORS.positive : p < 0 ? POLARITY_COLORS.negative : POLARITY_COLORS.zero);

function labelWidth(aus: readonly string[]): number {
  return Math.ceil(Math.max(...aus.map((a) => textWidth(auAxisLabel(a), PLOT_FONT_SIZE)))) + 12;
}

/** Geometry shared by the heatmap panels: AU rows, class columns on top. */
function heatmapFrame(aus: readonly string[], classes: readonly string[], o: { yAxis: boolean; cellWidth?: number }) {
  const cellW = o.cellWidth ?? Math.max(44, ...classes.map((c) => textWidth(c, PLOT_FONT_SIZE) + 10));
  const left = o.yAxis ? labelWidth(aus) : 6;
  const rotate = classes.length > 4;
  const top = rotate ? Math.ceil(Math.max(...classes.map((c) => textWidth(c, PLOT_FONT_SIZE)))) * 0.8 + 10 : 28;
  const right = rotate ? 28 : 8;
  return {
    width: left + cellW * classes.length + right,
    height: top + 24 * aus.length + 8,
    marginLeft: left,
    marginRight: right,
    marginTop: top,
    marginBottom: 8,
    x: { domain: classes as string[], axis: "top" as const, label: null, tickSize: 0, tickRotate: classes.length > 4 ? (cellW < 44 ? -50 : -30) : 0 },
    y: { domain: aus as string[], label: null, tickSize: 0, axis: o.yAxis ? ("left" as const) : null, tickFormat: auAxisLabel },
  };
}

/** One polarity heatmap panel (used alone and in comparisons). */
export function polarityPanel(g: GraphLike, o: { title?: string; yAxis?: boolean; aus?: readonly string[]; classes?: readonly string[]; cellWidth?: number } = {}): PlotPanel {
  const aus = o.aus ?? g.aus;
  const classes = o.classes ?? g.classes;
  const cells = polarityCells(g, aus, classes);
  const frame = heatmapFrame(aus, classes, { yAxis: o.yAxis ?? true, cellWidth: o.cellWidth });
  const cellW = (frame.width - frame.marginLeft - frame.marginRight) / classes.length;
  return renderPlot(
    {
      ...frame,
      color: { type: "identity" },
      marks: [
        Plot.cell(cells, { x: "cls", y: "au", fill: (d: PolarityCell) => polarityFill(d.p), stroke: "#d0d0d0", inset: 1, className: "facr-polarity" } as Plot.CellOptions),
        Plot.text(cells.filter((d) => d.p !== 0), { x: "cls", y: "au", text: (d: PolarityCell) => (d.p > 0 ? "+" : "−"), fill: "white", fontSize: 15, fontWeight: "bold" } as Plot.TextOptions),
        Plot.text(cells.filter((d) => d.group), { x: "cls", y: "au", text: "group", fill: "white", fontSize: 10, dx: cellW / 2 - 8, dy: -4, fontStyle: "italic", className: "facr-group" } as Plot.TextOptions),
      ],
    },
    o.title,
  );
}

const POLARITY_LEGEND: LegendItem[] = [
  { label: "+1: raising the AU must raise the class", color: POLARITY_COLORS.positive, text: "+" },
  { label: "−1: must lower it", color: POLARITY_COLORS.negative, text: "−" },
  { label: "0: must leave it unchanged", color: POLARITY_COLORS.zero },
];

function groupNote(g: GraphLike): string {
  const parts = Object.entries(g.groups ?? {})
    .filter(([, gs]) => gs.length)
    .map(([cls, gs]) => `${cls}: ${gs.map((grp, i) => `${String.fromCharCode(97 + i)} = {${grp.join(", ")}}`).join(", ")}`);
  return parts.length ? ` Letters mark substitute groups, combined by max (${parts.join("; ")}).` : "";
}

/** The polarity heatmap of a graph: AU rows × class columns. */
export function polarityHeatmapFigure(g: GraphLike, opts: { title?: string; data?: DataInfo; caption?: string } = {}): string {
  const prov = g.provenance ? `${g.provenance.kind ?? ""} structure: ${g.provenance.source ?? ""}` : "";
  return figureSvg({
    title: opts.title ?? `The causal graph G: ${g.aus.length} AUs × ${g.classes.length} classes`,
    subtitle: opts.data ? dataLine(opts.data) : prov,
    legend: POLARITY_LEGEND,
    panels: [polarityPanel(g)],
    caption: opts.caption ?? `${opts.data && prov ? prov + ". " : ""}Polarity G[k][c] of AU k for class c.${groupNote(g)}`,
  });
}

/** Several graphs over the same AUs side by side (e.g. G and the permuted control G′). */
export function polarityPanelsFigure(graphs: { graph: GraphLike; label: string }[], opts: { title?: string; data?: DataInfo; caption?: string } = {}): string {
  if (!graphs.length) throw new Error("polarityPanelsFigure: no graph given");
  const aus = graphs[0].graph.aus;
  return figureSvg({
    title: opts.title ?? graphs.map((g) => g.label).join(" and "),
    subtitle: opts.data ? dataLine(opts.data) : undefined,
    legend: POLARITY_LEGEND,
    panels: graphs.map((g, i) => polarityPanel(g.graph, { title: g.label, aus, yAxis: i === 0 })),
    caption: opts.caption ?? `Polarity G[k][c] of AU k for class c.${graphs.map((g) => groupNote(g.graph)).find(Boolean) ?? ""}`,
  });
}

type Verdict = "agree" | "sign flip" | "missed" | "extra" | "";

const VERDICT_STYLE: Record<Exclude<Verdict, "">, { color: string; text: string; label: string }> = {
  agree: { color: "#2c7bb6", text: "✓", label: "edge in both, same sign" },
  "sign flip": { color: "#d7191c", text: "×", label: "edge in both, opposite signs" },
  missed: { color: "#fdae61", text: "○", label: "reference edge missing" },
  extra: { color: "#8c6bb1", text: "+", label: "extra edge" },
};

/** Candidate vs reference, side by side, plus a panel of per-edge verdicts and the compareGraphs scores. */
export function graphComparisonFigure(
  candidate: CausalGraph,
  reference: CausalGraph,
  opts: { title?: string; data?: DataInfo; candidateLabel?: string; referenceLabel?: string; caption?: string } = {},
): string {
  const aus = candidate.aus.filter((a) => reference.aus.includes(a));
  const classes = candidate.classes.filter((c) => reference.classes.includes(c));
  const cand = polarityCells(candidate, aus, classes);
  const ref = polarityCells(reference, aus, classes);
  const verdicts = cand.map((c, i) => {
    const r = ref[i].p;
    const v: Verdict = c.p && r ? (c.p === r ? "agree" : "sign flip") : r ? "missed" : c.p ? "extra" : "";
    return { au: c.au, cls: c.cls, v };
  });
  const shown = verdicts.filter((d) => d.v !== "");
  // three panels in about 900 pixels
  const cellWidth = Math.max(28, Math.min(60, Math.floor((900 - labelWidth(aus) - 60) / (3 * classes.length))));
  const verdictPanel = renderPlot(
    {
      ...heatmapFrame(aus, classes, { yAxis: false, cellWidth }),
      color: { type: "identity" },
      marks: [
        Plot.cell(verdicts, { x: "cls", y: "au", fill: "white", stroke: "#d0d0d0", inset: 1 } as Plot.CellOptions),
        Plot.cell(shown, { x: "cls", y: "au", fill: (d: { v: Exclude<Verdict, ""> }) => VERDICT_STYLE[d.v].color, inset: 1, className: "facr-verdict" } as Plot.CellOptions),
        Plot.text(shown, { x: "cls", y: "au", text: (d: { v: Exclude<Verdict, ""> }) => VERDICT_STYLE[d.v].text, fill: "white", fontSize: 13, fontWeight: "bold" } as Plot.TextOptions),
      ],
    },
    "agreement",
  );
  const cmp = compareGraphs(candidate, reference);
  const cl = opts.candidateLabel ?? `candidate (${candidate.provenance.kind})`;
  const rl = opts.referenceLabel ?? `reference (${reference.provenance.kind})`;
  const dropped = candidate.aus.length + reference.aus.length - 2 * aus.length + candidate.classes.length + reference.classes.length - 2 * classes.length;
  return figureSvg({
    title: opts.title ?? `${cl} vs ${rl}`,
    subtitle: opts.data ? dataLine(opts.data) : undefined,
    legend: [...POLARITY_LEGEND, ...Object.values(VERDICT_STYLE).map((s) => ({ label: s.label, color: s.color, text: s.text }))],
    panels: [polarityPanel(candidate, { title: cl, aus, classes, cellWidth }), polarityPanel(reference, { title: rl, aus, classes, yAxis: false, cellWidth }), verdictPanel],
    caption:
      opts.caption ??
      `Edge precision ${fmt(cmp.edgePrecision, 2)} (${cmp.counts.shared} of the ${cmp.counts.candidate} candidate edges are reference edges), edge recall ${fmt(cmp.edgeRecall, 2)} (of ${cmp.counts.reference}), sign agreement ${fmt(cmp.signAgreement, 2)}. ` +
        `Candidate: ${candidate.provenance.source}. Reference: ${reference.provenance.source}.` +
        (dropped ? " Only the AUs and classes the two graphs share are compared." : ""),
  });
}

interface FrequencyCell {
  au: string;
  cls: string;
  freq: number;
  coef: number;
  edge: number;
  ref: number;
}

/**
 * What the selection-frequency figure reads: an `InductionResult`, or the parts
 * of it a result JSON keeps (then pass the thresholds in `options`).
 */
export type InductionLike = Pick<InductionResult, "frequencies" | "coefficients"> & {
  graph: GraphLike;
  options?: Partial<Pick<InductionResult["options"], "resamples" | "selectionThreshold" | "minCoefficient">>;
  resampling?: Partial<Pick<InductionResult["resampling"], "unit">>;
};

/** Selection frequency of each AU for each class over the bootstrap resamples of an induction, induced edges outlined. */
export function selectionFrequencyFigure(result: InductionLike, opts: { title?: string; data?: DataInfo; reference?: GraphLike; caption?: string } = {}): string {
  const g = result.graph;
  const classes = g.classes;
  const cells: FrequencyCell[] = [];
  g.aus.forEach((au, k) =>
    classes.forEach((cls, c) => {
      const rk = opts.reference?.aus.indexOf(au) ?? -1;
      const rc = opts.reference?.classes.indexOf(cls) ?? -1;
      cells.push({ au, cls, freq: result.frequencies[k][c], coef: result.coefficients[k][c], edge: g.polarity[k][c], ref: rk >= 0 && rc >= 0 ? opts.reference!.polarity[rk][rc] : 0 });
    }),
  );
  const scale = { type: "linear" as const, scheme: "purples" as const, domain: [0, 1] };
  const o = result.options ?? {};
  const cellW = Math.max(56, ...classes.map((c) => textWidth(c, PLOT_FONT_SIZE) + 10));
  const marks: Plot.Markish[] = [
    Plot.cell(cells, { x: "cls", y: "au", fill: "freq", inset: 1 } as Plot.CellOptions),
    Plot.cell(cells.filter((d) => d.edge !== 0), { x: "cls", y: "au", fill: "none", stroke: EDGE_OUTLINE, strokeWidth: 2.5, inset: 2, className: "facr-edge" } as Plot.CellOptions),
    Plot.text(cells, {
      x: "cls",
      y: "au",
      text: (d: FrequencyCell) => `${d.coef > 0 ? "+" : d.coef < 0 ? "−" : ""}${fmt(d.freq, 2)}`,
      fill: (d: FrequencyCell) => (d.freq > 0.6 ? "white" : INK),
      fontSize: 10.5,
    } as Plot.TextOptions),
  ];
  if (opts.reference) {
    marks.push(Plot.dot(cells.filter((d) => d.ref !== 0), { x: "cls", y: "au", fill: (d: FrequencyCell) => polarityFill(d.ref), stroke: "white", r: 3.5, dx: -cellW / 2 + 7, dy: -5, className: "facr-reference" } as Plot.DotOptions));
  }
  const panel = renderPlot({ ...heatmapFrame(g.aus, classes, { yAxis: true, cellWidth: cellW }), color: scale, marks });
  const legend: LegendItem[] = [{ label: "outlined: edge of the induced G", color: EDGE_OUTLINE, shape: "outline" }];
  if (opts.reference) legend.push({ label: "dot: reference edge (+ green, − magenta)", color: POLARITY_COLORS.positive, shape: "dot" });
  return figureSvg({
    title: opts.title ?? "Induced graph: how often each AU is selected, per class",
    subtitle: opts.data ? dataLine(opts.data) : g.provenance?.source,
    legend,
    ramp: { label: "selection frequency over bootstrap resamples", color: colorScale(scale), domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: String(v) })) },
    panels: [panel],
    caption:
      opts.caption ??
      `Share of ${o.resamples ?? "the"} ${result.resampling?.unit === "frames" ? "frame" : "subject"}-bootstrap resamples in which L1 logistic regression selected the AU (sign: of the median standardized coefficient). ` +
        `An edge needs frequency ≥ π${o.selectionThreshold !== undefined ? ` = ${o.selectionThreshold}` : ""} and |median coefficient| ≥ ε${o.minCoefficient !== undefined ? ` = ${o.minCoefficient}` : ""}. ${pct(edgeShare(g), 0)} of AU × class pairs are edges.`,
  });
}

function edgeShare(g: GraphLike): number {
  let n = 0;
  for (const row of g.polarity) for (const p of row) if (p !== 0) n++;
  return n / (g.aus.length * g.classes.length || 1);
}
