/**
 * The PSPI experiment's figure set (claims C1–C3), from its result JSON: the
 * paper's static SVGs (Observable Plot) and, for agreement, the τ sweep and the
 * effects, Plotly figures for the notebooks. Names are the files `make
 * figures` writes (`<name>.svg`; the Plotly versions `<name>.plotly.png|svg|json`)
 * and the names paper/paper.template.md cites.
 */
import { agreementFigure, detectionFigure, foldAgreementFigure, tauSweepFigure } from "./arms";
import { agreementPlotly, effectHeatmapPlotly, tauSweepPlotly } from "./arms-plotly";
import { auShareFigure, ShareSummary } from "./data";
import { causalAusOf, effectHeatmapFigure } from "./effects";
import { polarityPanelsFigure } from "./graph";
import type { PlotlyFigure } from "./plotly";
import { withTitleSuffix } from "./compose";
import { channelsFigure, controlsFigure, Protocol2ResultLike, wrongGraphFigure } from "./pspi-protocol";
import type { ArmResultLike, GraphLike } from "./result-types";
import { DataInfo, graphLabel } from "./theme";

/** A figure of a set: its file name stem, the static SVG and/or a Plotly figure. */
export interface NamedFigure {
  name: string;
  svg?: string;
  plotly?: PlotlyFigure;
}

/** The part of a PSPI result the figures read (a `PspiResult` satisfies it). */
export type PspiResultLike = ArmResultLike & { data: DataInfo & { summary?: ShareSummary } };


/** "G marks AU04, … causal; G′ marks AU12, … instead." */
function graphsNote(result: ArmResultLike): string {
  const G = causalAusOf(result);
  const control = controlOf(result);
  const Gp = control ? control.aus.filter((_, k) => control.polarity[k].some((p) => p !== 0)) : [];
  return G.length ? `G marks ${G.join(", ")} causal${Gp.length ? `; G′ marks ${Gp.join(", ")} instead` : ""}.` : "";
}

/** Options of `pspiFigures`: a second row set of the same experiment (the clean regime) gets its own names and titles. */
export interface PspiFigureOptions {
  /** Replaces "pspi-" at the start of every figure name (e.g. "pspi-clean-"). */
  prefix?: string;
  /** Appended to every title (e.g. "(clean regime)"). */
  titleSuffix?: string;
}

/** The PSPI result's complement control graph: `graphs.complement` (second protocol) or the first of `graphs.controls`. */
function controlOf(result: ArmResultLike): GraphLike | undefined {
  const g = result.graphs as (ArmResultLike["graphs"] & { complement?: GraphLike }) | undefined;
  return g?.complement ?? Object.values(g?.controls ?? {})[0];
}

/**
 * Every PSPI figure, in the order a reader meets them. The second protocol's
 * figures (wrong G, channels, controls) are drawn only when the result has
 * their arms, so a first-protocol result still builds.
 */
export function pspiFigures(result: PspiResultLike, opts: PspiFigureOptions = {}): NamedFigure[] {
  const figures = withTitleSuffix(opts.titleSuffix, () => pspiFigureSet(result));
  if (opts.titleSuffix) {
    for (const f of figures) {
      const t = f.plotly?.layout.title as { text?: string } | undefined;
      if (t?.text) t.text = t.text.replace(/<br>|$/, ` ${opts.titleSuffix}$&`);
    }
  }
  const prefix = opts.prefix;
  return prefix ? figures.map((f) => ({ ...f, name: f.name.replace(/^pspi-/, prefix) })) : figures;
}

function pspiFigureSet(result: PspiResultLike): NamedFigure[] {
  const note = graphsNote(result);
  const out: NamedFigure[] = [
    { name: "pspi-agreement", svg: agreementFigure(result, { note }), plotly: agreementPlotly(result) },
    { name: "pspi-effects", svg: effectHeatmapFigure(result), plotly: effectHeatmapPlotly(result) },
    { name: "pspi-tau-sweep", svg: tauSweepFigure(result), plotly: tauSweepPlotly(result) },
    { name: "pspi-detection", svg: detectionFigure(result, { note: "Pain detection on held-out subjects: AUC of p(pain), F1 of the pain class." }) },
    { name: "pspi-folds", svg: foldAgreementFigure(result) },
  ];
  const r2 = result as Protocol2ResultLike;
  const protocol2: [string, string | null][] = [
    ["pspi-wrong-graph", wrongGraphFigure(r2)],
    ["pspi-channels", channelsFigure(r2)],
    ["pspi-controls", controlsFigure(r2)],
  ];
  for (const [name, svg] of protocol2) if (svg) out.push({ name, svg });
  const G = result.graphs?.G;
  const control = controlOf(result);
  if (G) {
    const graphs = [{ graph: G, label: graphLabel("G", G.provenance) }];
    if (control) graphs.push({ graph: control, label: graphLabel("G'") });
    out.push({ name: "pspi-graphs", svg: polarityPanelsFigure(graphs, { title: "The graphs the PSPI experiment reads", data: result.data }) });
  }
  if (result.data.summary?.auActiveShare) {
    out.push({ name: "pspi-data-au-share", svg: auShareFigure({ ...result.data.summary, name: result.data.name }) });
  }
  return out;
}
