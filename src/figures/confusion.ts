/**
 * Confusion matrices as SVG: true class rows × predicted class columns, cells
 * shaded by the share of the true class (row-normalized, default) with the
 * counts written in; several matrices (e.g. one per arm) side by side share the
 * class axis. Generic: any classes, any counts.
 */
import { figureSvg, textWidth } from "./compose";
import { colorScale, Plot, PLOT_FONT_SIZE, PlotPanel, renderPlot } from "./plot-svg";
import { dataLine, DataInfo, INK } from "./theme";

export interface ConfusionMatrix {
  /** Class names, the row and column order of `counts`. */
  classes: readonly string[];
  /** counts[true][predicted]. */
  counts: readonly (readonly number[])[];
  /** Panel title, e.g. an arm's label. */
  title?: string;
}

interface ConfusionCell {
  truth: string;
  predicted: string;
  n: number;
  share: number;
}

/** Cells of a matrix; `share` is n over the row total (NaN for an empty row). */
export function confusionCells(m: ConfusionMatrix): ConfusionCell[] {
  const C = m.classes.length;
  if (m.counts.length !== C || m.counts.some((r) => r.length !== C)) throw new Error(`confusion matrix must be ${C} × ${C} (one row and column per class)`);
  return m.counts.flatMap((row, t) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((n, p) => ({ truth: m.classes[t], predicted: m.classes[p], n, share: total ? n / total : NaN }));
  });
}

function confusionPanel(m: ConfusionMatrix, yAxis: boolean, cell: number): PlotPanel {
  const cells = confusionCells(m);
  const left = yAxis ? Math.ceil(Math.max(...m.classes.map((c) => textWidth(c, PLOT_FONT_SIZE)))) + 40 : 8;
  const classes = [...m.classes];
  return renderPlot(
    {
      width: left + cell * classes.length + (classes.length > 3 ? 30 : 8),
      height: 64 + cell * classes.length + 8,
      marginLeft: left,
      marginTop: 64,
      marginRight: classes.length > 3 ? 30 : 8,
      marginBottom: 8,
      x: { domain: classes, axis: "top", label: "predicted", labelAnchor: "center", labelArrow: "none", tickSize: 0, tickRotate: classes.length > 3 ? -35 : 0 },
      y: { domain: classes, label: yAxis ? "true class" : null, labelAnchor: "center", labelArrow: "none", axis: yAxis ? "left" : null, tickSize: 0 },
      color: { type: "linear", scheme: "blues", domain: [0, 1] },
      marks: [
        Plot.cell(cells.filter((c) => Number.isFinite(c.share)), { x: "predicted", y: "truth", fill: "share", inset: 0.5, className: "facr-confusion" } as Plot.CellOptions),
        Plot.text(cells, { x: "predicted", y: "truth", text: (d: ConfusionCell) => String(d.n), fill: (d: ConfusionCell) => (d.share > 0.55 ? "white" : INK), fontSize: classes.length > 5 ? 9 : 11 } as Plot.TextOptions),
      ],
    },
    m.title,
  );
}

/** One or more confusion matrices side by side (same classes), shaded by row share. */
export function confusionMatrixFigure(matrices: ConfusionMatrix | ConfusionMatrix[], opts: { title?: string; data?: DataInfo; caption?: string; width?: number; perRow?: number } = {}): string {
  const list = Array.isArray(matrices) ? matrices : [matrices];
  if (!list.length) throw new Error("confusionMatrixFigure: no matrix given");
  const classes = list[0].classes;
  for (const m of list) if (m.classes.join() !== classes.join()) throw new Error("confusionMatrixFigure: every matrix must use the same classes in the same order");
  const width = opts.width ?? 760;
  const perRow = Math.max(1, opts.perRow ?? (list.length > 2 ? 2 : list.length));
  const cell = Math.max(24, Math.min(56, Math.floor((width - 160 - 24 * perRow) / (perRow * classes.length))));
  const rows: PlotPanel[][] = [];
  list.forEach((m, i) => {
    if (i % perRow === 0) rows.push([]);
    rows[rows.length - 1].push(confusionPanel(m, i % perRow === 0, cell));
  });
  const color = colorScale({ type: "linear", scheme: "blues", domain: [0, 1] });
  return figureSvg({
    title: opts.title ?? "Confusion matrix",
    subtitle: opts.data ? dataLine(opts.data) : undefined,
    ramp: { label: "share of the true class (row)", color, domain: [0, 1], ticks: [0, 0.5, 1].map((v) => ({ value: v, label: `${100 * v}%` })) },
    panels: rows,
    caption: opts.caption ?? "Numbers are frame counts; shading is the share of the row's true class.",
  });
}
