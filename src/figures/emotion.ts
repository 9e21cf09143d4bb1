/**
 * The emotion-transfer experiment's figure set (claim C4) from its result JSON:
 * fidelity per arm to the induced G, to G′ and to the FACS prototypes on the
 * target domain, recognition (accuracy, macro-F1), effects, the τ sweep,
 * confusion matrices per arm, the induced graph against the prototypes and its
 * selection frequencies, and classes per domain. The result type is read
 * loosely (`EmotionResultLike`) and adapted to the arm figures' input.
 */
import { agreementFigure, detectionFigure, tauSweepFigure } from "./arms";
import { agreementPlotly, tauSweepPlotly } from "./arms-plotly";
import { confusionMatrixFigure } from "./confusion";
import { classCountsFigure } from "./data";
import { effectHeatmapFigure } from "./effects";
import { graphComparisonFigure, selectionFrequencyFigure } from "./graph";
import type { NamedFigure } from "./pspi";
import type { ArmResultLike, ArmSummaryLike, GraphLike } from "./result-types";
import type { CausalGraph } from "../graph/graph";
import type { DatasetSummary } from "../data/dataset";
import { armLabel } from "./theme";

type DomainInfo = { name: string; synthetic?: boolean; source?: string; summary?: Pick<DatasetSummary, "name" | "source" | "classCounts"> };

/** The parts of an emotion-transfer result the figures read. */
export interface EmotionResultLike {
  experiment?: string;
  config: ArmResultLike["config"] & { induction?: { resamples?: number } };
  data: { source: DomainInfo; target: DomainInfo; graphSource: DomainInfo };
  graphs: { induced: GraphLike; prototypes?: GraphLike; controls?: Record<string, GraphLike> };
  induction?: { frequencies: number[][]; coefficients: number[][] };
  arms: Record<string, ArmSummaryLike & { confusion?: number[][] }>;
}

/** The arm-figure view of an emotion result: data = the target domain, G = the induced graph. */
export function emotionArmView(result: EmotionResultLike): ArmResultLike {
  const t = result.data.target;
  return {
    experiment: result.experiment,
    data: { name: t.name, synthetic: t.synthetic, source: t.source ?? t.summary?.source },
    config: result.config,
    graphs: { G: result.graphs.induced, controls: result.graphs.controls },
    arms: result.arms,
  };
}

/** Every emotion-transfer figure. */
export function emotionFigures(result: EmotionResultLike): NamedFigure[] {
  const view = emotionArmView(result);
  const where = "on the target domain (other subjects, weaker and partial prototypes than the source the arms were trained on)";
  const out: NamedFigure[] = [
    {
      name: "emotion-fidelity",
      svg: agreementFigure(view, { title: "Fidelity to the graph per arm, on the target domain", note: `G is induced from the graph-source domain only; measured ${where}.` }),
      plotly: agreementPlotly(view, { title: "Fidelity to the graph per arm, on the target domain" }),
    },
    { name: "emotion-recognition", svg: detectionFigure(view, { title: "Emotion recognition per arm, on the target domain", measures: ["accuracy", "macroF1"], note: "Seven classes (chance accuracy ≈ 1/7)." }) },
    { name: "emotion-effects", svg: effectHeatmapFigure(view) },
    { name: "emotion-tau-sweep", svg: tauSweepFigure(view), plotly: tauSweepPlotly(view) },
  ];
  const classes = result.graphs.induced.classes;
  const matrices = Object.entries(result.arms)
    .filter(([, a]) => Array.isArray(a.confusion) && a.confusion.length === classes.length)
    .map(([arm, a]) => ({ classes, counts: a.confusion!, title: armLabel(arm) }));
  if (matrices.length) out.push({ name: "emotion-confusion", svg: confusionMatrixFigure(matrices, { title: "Confusion matrices per arm, on the target domain", data: view.data }) });
  if (result.graphs.prototypes) {
    out.push({
      name: "emotion-graph",
      svg: graphComparisonFigure(result.graphs.induced as CausalGraph, result.graphs.prototypes as CausalGraph, {
        title: "Induced G vs the FACS prototypes",
        candidateLabel: "induced G",
        referenceLabel: "FACS prototypes",
        data: { ...result.data.graphSource, source: result.data.graphSource.source ?? result.data.graphSource.summary?.source },
      }),
    });
  }
  if (result.induction) {
    out.push({
      name: "emotion-induction",
      svg: selectionFrequencyFigure(
        { graph: result.graphs.induced, frequencies: result.induction.frequencies, coefficients: result.induction.coefficients, options: { resamples: result.config.induction?.resamples } },
        { reference: result.graphs.prototypes, data: { ...result.data.graphSource, source: result.data.graphSource.source ?? result.data.graphSource.summary?.source } },
      ),
    });
  }
  const domains = (["source", "target", "graphSource"] as const)
    .filter((d) => result.data[d]?.summary?.classCounts)
    .map((d) => ({ domain: d === "graphSource" ? "graph source" : d, summary: result.data[d].summary! }));
  if (domains.length) out.push({ name: "emotion-data-classes", svg: classCountsFigure(domains) });
  return out;
}
