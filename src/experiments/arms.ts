import { Evaluation } from "../evaluate/pool";
import { scoreModel } from "../evaluate/score";
import { CausalGraph } from "../graph/graph";
import { permuteGraph } from "../graph/permute";
import { Reasoner, ReasonerConfig } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { formatEpoch, TrainConfig, trainReasoner } from "../train/train";
import { DeepPartial } from "../util/config";

/**
 * The arms every experiment compares (spec §4, §6), identical but for the
 * objective's weight, the graph it reads and the head's inputs:
 *
 *   baseline    λ_cf = 0 (no objective)
 *   facr        λ_cf > 0 with the true graph G
 *   control     λ_cf > 0 with the permuted graph G′ (the unfaithfulness control)
 *   bottleneck  λ_cf = 0, head reads z only (the concept-bottleneck ablation)
 */
export type ArmName = "baseline" | "facr" | "control" | "bottleneck";
export const ARM_NAMES: readonly ArmName[] = ["baseline", "facr", "control", "bottleneck"];

export const ARM_LABELS: Record<ArmName, string> = {
  baseline: "baseline (λ_cf = 0)",
  facr: "FACR (G)",
  control: "control (permuted G′)",
  bottleneck: "bottleneck-only (λ_cf = 0)",
};

export interface ArmSpec {
  name: ArmName;
  lambdaCf: number;
  /** Graph the objective reads (G, or G′ for the control). */
  trainGraph: CausalGraph;
  bottleneckOnly: boolean;
}

export function armSpec(name: ArmName, G: CausalGraph, Gp: CausalGraph, lambdaCf: number): ArmSpec {
  switch (name) {
    case "baseline":
      return { name, lambdaCf: 0, trainGraph: G, bottleneckOnly: false };
    case "facr":
      return { name, lambdaCf, trainGraph: G, bottleneckOnly: false };
    case "control":
      return { name, lambdaCf, trainGraph: Gp, bottleneckOnly: false };
    case "bottleneck":
      return { name, lambdaCf: 0, trainGraph: G, bottleneckOnly: true };
  }
}

/** The control graph of a run: permuteGraph(G, seed). */
export function controlGraph(G: CausalGraph, seed: number): CausalGraph {
  return permuteGraph(G, seed);
}

/** Train one arm's reasoner and evaluate it on test rows under several graphs. */
export function trainAndEvaluateArm(a: {
  arm: ArmName;
  G: CausalGraph;
  Gp: CausalGraph;
  lambdaCf: number;
  reasoner: Omit<ReasonerConfig, "aus" | "classes" | "bottleneckOnly"> | (Partial<ReasonerConfig> & { inputDim: number });
  train: ReasonerRows;
  validation: ReasonerRows | null;
  test: ReasonerRows;
  trainConfig: DeepPartial<TrainConfig>;
  evalGraphs: readonly CausalGraph[];
  label: string;
  log: (line: string) => void;
}): { evaluation: Evaluation; trainSeconds: number; evaluateSeconds: number; epochs: number; steps: number; samples: number } {
  const spec = armSpec(a.arm, a.G, a.Gp, a.lambdaCf);
  const reasoner = new Reasoner({ ...a.reasoner, aus: [...a.G.aus], classes: [...a.G.classes], bottleneckOnly: spec.bottleneckOnly } as ReasonerConfig);
  try {
    const res = trainReasoner(reasoner, a.train, a.validation, spec.trainGraph, { ...a.trainConfig, lambdaCf: spec.lambdaCf }, (e) => {
      if (e.best || e.epoch === e.epochs) a.log(formatEpoch(e, a.label));
    });
    const te = performance.now();
    const { probs, effects } = scoreModel(reasoner, a.test, a.evalGraphs);
    const evaluation: Evaluation = { probs, effects };
    return {
      evaluation,
      trainSeconds: res.seconds,
      evaluateSeconds: (performance.now() - te) / 1000,
      epochs: res.history.length,
      steps: res.steps,
      samples: res.samplesPerSecond * res.seconds,
    };
  } finally {
    reasoner.dispose();
  }
}

