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
import type { ArmResultLike } from "./result-types";
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
  const control = Object.values(result.graphs?.controls ?? {})[0];
  const Gp = control ? control.aus.filter((_, k) => control.polarity[k].some((p) => p !== 0)) : [];
  return G.length ? `G marks ${G.join(", ")} causal${Gp.length ? `; G′ marks ${Gp.join(", ")} instead` : ""}.` : "";
}

/** Every PSPI figure, in the order a reader meets them. */
export function pspiFigures(result: PspiResultLike): NamedFigure[] {
  const note = graphsNote(result);
  const out: NamedFigure[] = [
    { name: "pspi-agreement", svg: agreementFigure(result, { note }), plotly: agreementPlotly(result) },
    { name: "pspi-effects", svg: effectHeatmapFigure(result), plotly: effectHeatmapPlotly(result) },
    { name: "pspi-tau-sweep", svg: tauSweepFigure(result), plotly: tauSweepPlotly(result) },
    { name: "pspi-detection", svg: detectionFigure(result, { note: "Pain detection on held-out subjects: AUC of p(pain), F1 of the pain class." }) },
    { name: "pspi-folds", svg: foldAgreementFigure(result) },
  ];
  const G = result.graphs?.G;
  const control = Object.values(result.graphs?.controls ?? {})[0];
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
