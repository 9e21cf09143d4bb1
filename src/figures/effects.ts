/**
 * Per-AU effect heatmap of an arm comparison: mean |Δ| (nats of log-odds) of
 * each AU on the predicted class, arm × AU, with the AUs G marks causal flagged
 * in a top row. Pure: result JSON in, SVG out.
 */
import { FIGURE_WIDTH, ArmFigureOptions, armLabelWidth } from "./arms";
import { figureSvg } from "./compose";
import { colorScale, Plot, renderPlot } from "./plot-svg";
import type { ArmResultLike } from "./result-types";
import { armLabel, dataLine, fmt, graphLabel, INK, num, POLARITY_COLORS } from "./theme";

/** Label of the top row marking the AUs the graph makes causal. */
export const CAUSAL_ROW = "causal in G";

export interface EffectCell {
  arm: string;
  row: string;
  au: string;
  value: number;
}

/** The heatmap's cells: one per arm and AU (NaN where the result has none). */
export function effectCells(result: ArmResultLike): EffectCell[] {
  const aus = effectAus(result);
  return Object.keys(result.arms).flatMap((arm) => aus.map((au) => ({ arm, row: armLabel(arm), au, value: num(result.arms[arm].meanAbsEffect?.[au]) })));
}

function effectAus(result: ArmResultLike): string[] {
  if (result.graphs?.G) return [...result.graphs.G.aus];
  const first = Object.values(result.arms)[0];
  return Object.keys(first?.meanAbsEffect ?? {});
}

/** AUs with a non-zero polarity for some class in the result's G. */
export function causalAusOf(result: ArmResultLike): string[] {
  const G = result.graphs?.G;
  if (!G) return [];
  return G.aus.filter((_, k) => G.polarity[k].some((p) => p !== 0));
}

export function effectHeatmapFigure(result: ArmResultLike, opts: ArmFigureOptions = {}): string {
  const cells = effectCells(result);
  const aus = effectAus(result);
  const causal = new Set(causalAusOf(result));
  const finite = cells.filter((c) => Number.isFinite(c.value));
  const max = Math.max(1e-9, ...finite.map((c) => c.value));
  const { top, step } = niceRange(max);
  const scale = { type: "linear" as const, scheme: "ylgnbu" as const, domain: [0, top] };
  const color = colorScale(scale);
  const rows = [CAUSAL_ROW, ...Object.keys(result.arms).map(armLabel)];
  const width = opts.width ?? FIGURE_WIDTH;
  const labelWidth = armLabelWidth(result);
  const cellWidth = (width - 24 - labelWidth - 8) / Math.max(1, aus.length);
  const panel = renderPlot({
    width: width - 24,
    height: 48 + 34 * rows.length,
    marginLeft: labelWidth,
    marginRight: 8,
    marginTop: 30,
    marginBottom: 10,
    x: { domain: aus, label: null, axis: "top", tickSize: 0 },
    y: { domain: rows, label: null, tickSize: 0 },
    color: scale,
    marks: [
      Plot.cell(aus.filter((a) => causal.has(a)), { x: (a: string) => a, y: () => CAUSAL_ROW, fill: POLARITY_COLORS.positive, inset: 3, className: "facr-causal" } as Plot.CellOptions),
      Plot.cell(aus, { x: (a: string) => a, y: () => CAUSAL_ROW, fill: "none", stroke: "#ccc", inset: 3 } as Plot.CellOptions),
      Plot.text(aus.filter((a) => causal.has(a)), { x: (a: string) => a, y: () => CAUSAL_ROW, text: () => (cellWidth >= 52 ? "causal" : "✓"), fill: "white", fontSize: 10.5 } as Plot.TextOptions),
      Plot.cell(finite, { x: "au", y: "row", fill: "value", inset: 0.5, className: "facr-effect" } as Plot.CellOptions),
      Plot.text(finite, {
        x: "au",
        y: "row",
        text: (d: EffectCell) => fmt(d.value, 2),
        fill: (d: EffectCell) => (d.value > 0.55 * top ? "white" : INK),
        fontSize: 10.5,
      } as Plot.TextOptions),
    ],
  });
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step).map((v) => ({ value: v, label: fmt(v, step < 0.1 ? 2 : step < 1 ? 1 : 0) }));
  const G = graphLabel("G", result.graphs?.G?.provenance);
  return figureSvg({
    title: opts.title ?? "How strongly each AU moves the prediction, per arm",
    subtitle: dataLine(result.data),
    ramp: { label: "mean |Δ| on the predicted class (nats of log-odds)", color, domain: [0, top], ticks },
    panels: [panel],
    caption:
      opts.caption ??
      `Mean over held-out frames of |Δ|, the change in the predicted class's log-odds when the AU's activation is set from 0 to 1 (do-intervention on z). The top row marks the AUs ${G} makes causal. A faithful reasoner moves on those and nowhere else.${opts.note ? " " + opts.note : ""}`,
    width,
  });
}

/** A round tick step (1, 2, 2.5 or 5 × 10^k, at most 5 steps) and the multiple of it at or above v. */
export function niceRange(v: number): { top: number; step: number } {
  const x = v > 0 && Number.isFinite(v) ? v : 1;
  const p = Math.pow(10, Math.floor(Math.log10(x / 5)));
  let step = 10 * p;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (x / (m * p) <= 5) {
      step = m * p;
      break;
    }
  }
  return { top: Math.ceil(x / step - 1e-9) * step, step };
}
