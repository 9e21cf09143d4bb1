/**
 * Interactive (Plotly) versions of the arm figures for notebooks: agreement
 * with each graph with CIs, the τ sweep and the per-AU effect heatmap. Same
 * data and labels as the static SVGs in ./arms and ./effects; titles carry
 * the data line, so synthetic data says so.
 */
import { graphKeys, intervalRows, MEASURE_LABELS } from "./arms";
import { causalAusOf, effectCells } from "./effects";
import type { PlotlyFigure, PlotlyTrace } from "./plotly";
import type { AgreementKey, ArmResultLike } from "./result-types";
import { armColor, armLabel, dataLine, escapeXml, FONT_FAMILY, graphLabel, num } from "./theme";

const FONT = { family: FONT_FAMILY, size: 13 };

/** "Title<br><sup>data line</sup>" */
function title(text: string, result: ArmResultLike) {
  return { text: `${escapeXml(text)}<br><sup>${escapeXml(dataLine(result.data))}</sup>`, x: 0.01, xanchor: "left" };
}

const nanToNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Agreement (default κ) per arm with 95% CIs, one subplot per graph sharing the arm axis. */
export function agreementPlotly(result: ArmResultLike, opts: { measure?: AgreementKey; graphs?: string[]; title?: string } = {}): PlotlyFigure {
  const measure = opts.measure ?? "kappa";
  const graphs = opts.graphs ?? graphKeys(result);
  const arms = Object.keys(result.arms);
  const n = graphs.length;
  const gap = 0.06;
  const w = (1 - gap * (n - 1)) / n;
  const data: PlotlyTrace[] = [];
  const layout: PlotlyFigure["layout"] = {
    title: title(opts.title ?? "Agreement of the AUs that drive the prediction with the graph, per arm", result),
    width: 900,
    height: 250 + 55 * arms.length,
    margin: { l: 190, r: 20, t: 110, b: 120 },
    font: FONT,
    legend: { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" },
    yaxis: { type: "category", categoryorder: "array", categoryarray: arms.map(armLabel), autorange: "reversed" },
    annotations: [],
    shapes: [],
  };
  graphs.forEach((g, j) => {
    const axis = j === 0 ? "x" : `x${j + 1}`;
    const rows = intervalRows(result, (arm) => result.arms[arm].agreement[g]?.[measure]);
    layout[j === 0 ? "xaxis" : `xaxis${j + 1}`] = {
      domain: [j * (w + gap), j * (w + gap) + w],
      range: measure === "kappa" ? [-1.1, 1.1] : [-0.05, 1.05],
      title: { text: MEASURE_LABELS[measure] },
      zeroline: true,
      anchor: "y",
    };
    layout.annotations!.push({ text: `<b>${n > 2 ? "" : "agreement with "}${escapeXml(graphLabel(g, result.graphs?.G?.provenance))}</b>`, xref: "paper", yref: "paper", x: j * (w + gap), y: 1.02, xanchor: "left", yanchor: "bottom", showarrow: false });
    for (const r of rows) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: r.label,
        legendgroup: r.arm,
        showlegend: j === 0,
        x: [nanToNull(r.estimate)],
        y: [r.label],
        xaxis: axis,
        yaxis: "y",
        marker: { color: r.color, size: 12, line: { color: "white", width: 1 } },
        error_x: { type: "data", symmetric: false, array: [nanToNull(r.hi - r.estimate)], arrayminus: [nanToNull(r.estimate - r.lo)], color: r.color, thickness: 2.5, width: 6 },
        hovertemplate: `${escapeXml(r.label)}<br>${g}: %{x:.3f} [${Number.isFinite(r.lo) ? r.lo.toFixed(3) : "–"}, ${Number.isFinite(r.hi) ? r.hi.toFixed(3) : "–"}]<extra></extra>`,
      });
    }
  });
  return { data, layout, config: { responsive: true, displaylogo: false } };
}

/** κ with the first graph across τ (log axis), one line per arm, the reported τ marked. */
export function tauSweepPlotly(result: ArmResultLike): PlotlyFigure {
  const arms = Object.keys(result.arms);
  const data: PlotlyTrace[] = arms.map((arm) => {
    const pts = (result.arms[arm].tauSweep ?? []).filter((p) => p.tau > 0);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: armLabel(arm),
      x: pts.map((p) => p.tau),
      y: pts.map((p) => nanToNull(num(p.kappa))),
      line: { color: armColor(arm, arms), width: 2.5 },
      marker: { color: armColor(arm, arms), size: 7 },
      hovertemplate: `${escapeXml(armLabel(arm))}<br>τ = %{x} nats: κ = %{y:.3f}<extra></extra>`,
    };
  });
  const tau = result.config.tau;
  const taus = [...new Set(arms.flatMap((arm) => (result.arms[arm].tauSweep ?? []).map((p) => p.tau)))].filter((t) => t > 0).sort((a, b) => a - b);
  return {
    data,
    layout: {
      title: title("Agreement with G across the invocation threshold τ", result),
      width: 900,
      height: 520,
      margin: { l: 70, r: 20, t: 100, b: 110 },
      font: FONT,
      legend: { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" },
      xaxis: { type: "log", tickvals: taus, ticktext: taus.map(String), title: { text: "invocation threshold τ (nats of log-odds, log scale)" } },
      yaxis: { range: [-1.05, 1.05], title: { text: "Cohen's κ with G (unitless)" }, zeroline: true },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: tau, x1: tau, y0: 0, y1: 1, line: { color: "#444", width: 1, dash: "dot" } }],
      annotations: [{ text: `reported τ = ${tau}`, xref: "x", yref: "paper", x: Math.log10(tau), y: 0.75, xanchor: "left", showarrow: false, xshift: 4 }],
    },
    config: { responsive: true, displaylogo: false },
  };
}

/** Mean |Δ| per arm × AU as a heatmap, hover giving the value in nats. */
export function effectHeatmapPlotly(result: ArmResultLike): PlotlyFigure {
  const cells = effectCells(result);
  const arms = Object.keys(result.arms);
  const aus = [...new Set(cells.map((c) => c.au))];
  const causal = new Set(causalAusOf(result));
  const z = arms.map((arm) => aus.map((au) => nanToNull(cells.find((c) => c.arm === arm && c.au === au)?.value ?? NaN)));
  const ticks = aus.map((a) => (causal.has(a) ? `<b>${a}</b>*` : a));
  return {
    data: [
      {
        type: "heatmap",
        x: ticks,
        y: arms.map(armLabel),
        z,
        colorscale: "YlGnBu",
        reversescale: true,
        zmin: 0,
        colorbar: { title: { text: "mean |Δ|<br>(nats)" } },
        texttemplate: "%{z:.2f}",
        hovertemplate: "%{y}<br>%{x}: mean |Δ| = %{z:.3f} nats<extra></extra>",
      },
    ],
    layout: {
      title: title("How strongly each AU moves the prediction, per arm", result),
      width: 900,
      height: 200 + 50 * arms.length,
      margin: { l: 190, r: 20, t: 100, b: 90 },
      font: FONT,
      yaxis: { autorange: "reversed" },
      annotations: [{ text: "* causal in G (bold)", xref: "paper", yref: "paper", x: 0, y: -0.2, yanchor: "top", xanchor: "left", showarrow: false }],
    },
    config: { responsive: true, displaylogo: false },
  };
}
