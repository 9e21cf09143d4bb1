import { channelMeans, eraserOnRows, probsWithChannelFixed } from "../evaluate/channels";
import { Evaluation } from "../evaluate/pool";
import { scoreModel, ScoredGraph } from "../evaluate/score";
import { invokedMask } from "../faithfulness/eraser";
import { CausalGraph } from "../graph/graph";
import { permuteGraph } from "../graph/permute";
import { Reasoner, ReasonerConfig } from "../model/reasoner";
import { ReasonerRows } from "../model/rows";
import { EpochRecord, formatEpoch, SequentialResult, TrainConfig, trainReasoner, trainSequential } from "../train/train";
import { DeepPartial } from "../util/config";

/**
 * The arms the experiments compare (spec §4, §6, §11.3–§11.6): one reasoner
 * architecture, trained from the same initial weights within a seed and fold,
 * differing only in the objective, the graph it reads and the head's inputs:
 *
 *   baseline       λ_cf = 0 (no objective)
 *   facr           λ_cf > 0 with the true graph G
 *   control        λ_cf > 0 with the complement G′ (`permuteGraph`; first protocol)
 *   permuted       λ_cf > 0 with a random same-size G_perm (`randomGraph`; may overlap G)
 *   rrr            right for the right reasons: λ_rrr > 0, input-gradient penalty on G-irrelevant z
 *   bottleneck     concept bottleneck, joint: head reads z only, λ_cf = 0
 *   cbmSequential  concept bottleneck, sequential: z trained on AUs alone, frozen, then the head
 *   cbmFacr        concept bottleneck + L_cf (joint)
 *   wrongG1..3     λ_cf > 0 with a wrong graph G_k: k causal AUs swapped (`wrongGraph`)
 */
export type ArmName = "baseline" | "facr" | "control" | "permuted" | "rrr" | "bottleneck" | "cbmSequential" | "cbmFacr" | "wrongG1" | "wrongG2" | "wrongG3";
export const ARM_NAMES: readonly ArmName[] = ["baseline", "facr", "control", "permuted", "rrr", "bottleneck", "cbmSequential", "cbmFacr", "wrongG1", "wrongG2", "wrongG3"];

export const ARM_LABELS: Record<ArmName, string> = {
  baseline: "baseline (λ_cf = 0)",
  facr: "FACR (G)",
  control: "control (complement G′)",
  permuted: "control (random G_perm)",
  rrr: "RRR (input-gradient penalty)",
  bottleneck: "CBM joint (head reads z only)",
  cbmSequential: "CBM sequential",
  cbmFacr: "CBM + L_cf",
  wrongG1: "FACR on a wrong G (1 swap)",
  wrongG2: "FACR on a wrong G (2 swaps)",
  wrongG3: "FACR on a wrong G (3 swaps)",
};

/** How many causal AUs a wrong-G arm swaps, or null for the other arms. */
export function wrongSwaps(arm: ArmName): 1 | 2 | 3 | null {
  return arm === "wrongG1" ? 1 : arm === "wrongG2" ? 2 : arm === "wrongG3" ? 3 : null;
}

/** The graphs arms can train on: G, and the controls of one seed (only those the arms in use need). */
export interface ArmGraphs {
  G: CausalGraph;
  /** The complement G′ (arm "control"). */
  complement?: CausalGraph;
  /** G_perm (arm "permuted"). */
  permuted?: CausalGraph;
  /** G_k by swaps (arms "wrongG1..3"). */
  wrong?: Partial<Record<1 | 2 | 3, CausalGraph>>;
}

export interface ArmSpec {
  name: ArmName;
  lambdaCf: number;
  lambdaRrr: number;
  /** Graph the objective reads (G, or a control / wrong graph). */
  trainGraph: CausalGraph;
  bottleneckOnly: boolean;
  /** Concepts first (AU loss only), then the head on frozen z. */
  sequential: boolean;
}

export function armSpec(name: ArmName, graphs: ArmGraphs, weights: { lambdaCf: number; lambdaRrr?: number }): ArmSpec {
  const need = (g: CausalGraph | undefined, what: string): CausalGraph => {
    if (!g) throw new Error(`arm ${name} needs the ${what} graph`);
    return g;
  };
  const base = { name, lambdaCf: 0, lambdaRrr: 0, trainGraph: graphs.G, bottleneckOnly: false, sequential: false };
  const cf = weights.lambdaCf;
  switch (name) {
    case "baseline":
      return base;
    case "facr":
      return { ...base, lambdaCf: cf };
    case "control":
      return { ...base, lambdaCf: cf, trainGraph: need(graphs.complement, "complement G′") };
    case "permuted":
      return { ...base, lambdaCf: cf, trainGraph: need(graphs.permuted, "random G_perm") };
    case "rrr":
      if (!(weights.lambdaRrr! > 0)) throw new Error("arm rrr needs lambdaRrr > 0");
      return { ...base, lambdaRrr: weights.lambdaRrr! };
    case "bottleneck":
      return { ...base, bottleneckOnly: true };
    case "cbmSequential":
      return { ...base, bottleneckOnly: true, sequential: true };
    case "cbmFacr":
      return { ...base, bottleneckOnly: true, lambdaCf: cf };
    case "wrongG1":
    case "wrongG2":
    case "wrongG3": {
      const k = wrongSwaps(name)!;
      return { ...base, lambdaCf: cf, trainGraph: need(graphs.wrong?.[k], `wrong G_${k}`) };
    }
  }
}

/** The control graph of a run: permuteGraph(G, seed). */
export function controlGraph(G: CausalGraph, seed: number): CausalGraph {
  return permuteGraph(G, seed);
}

/** What to measure beyond probabilities and Δ (spec §11.5). */
export interface ArmMeasures {
  /** Return z on the test rows (for AU recovery against the true AUs). */
  keepZ: boolean;
  /** Detection with h, and with z, replaced by its training mean. */
  channels: boolean;
  /** ERASER comprehensiveness / sufficiency of the invoked set {k : |Δ| ≥ τ} under evalGraphs[graph]. */
  eraser: { tau: number; graph: number } | null;
}

/** One arm's scores on the test rows. */
export interface ArmEvaluation extends Evaluation {
  z: Float32Array | null;
  /** Probabilities with h (or z) fixed at its training mean. */
  probsHFixed: Float32Array | null;
  probsZFixed: Float32Array | null;
  comprehensiveness: Float32Array | null;
  sufficiency: Float32Array | null;
}

/** The two stages of a sequential training as one record of epochs, steps, seconds and samples. */
function sequentialTotals(r: SequentialResult): { history: EpochRecord[]; seconds: number; steps: number; samplesPerSecond: number } {
  const samples = r.concepts.samplesPerSecond * r.concepts.seconds + r.head.samplesPerSecond * r.head.seconds;
  return { history: [...r.concepts.history, ...r.head.history], seconds: r.seconds, steps: r.steps, samplesPerSecond: samples / r.seconds };
}

/** Train one arm's reasoner and evaluate it on test rows under several graphs. */
export function trainAndEvaluateArm(a: {
  spec: ArmSpec;
  reasoner: Omit<ReasonerConfig, "aus" | "classes" | "bottleneckOnly"> | (Partial<ReasonerConfig> & { inputDim: number });
  train: ReasonerRows;
  validation: ReasonerRows | null;
  test: ReasonerRows;
  trainConfig: DeepPartial<TrainConfig>;
  evalGraphs: readonly ScoredGraph[];
  measures?: ArmMeasures;
  label: string;
  log: (line: string) => void;
}): { evaluation: ArmEvaluation; trainSeconds: number; evaluateSeconds: number; epochs: number; steps: number; samples: number } {
  const { spec } = a;
  const G = spec.trainGraph;
  const reasoner = new Reasoner({ ...a.reasoner, aus: [...G.aus], classes: [...G.classes], bottleneckOnly: spec.bottleneckOnly } as ReasonerConfig);
  try {
    const progress = (e: EpochRecord) => {
      if (e.best || e.epoch === e.epochs) a.log(formatEpoch(e, a.label));
    };
    const overrides = { ...a.trainConfig, lambdaCf: spec.lambdaCf, lambdaRrr: spec.lambdaRrr };
    const { stage: _stage, ...unstaged } = overrides; // the sequential arm sets its own stages
    const res = spec.sequential ? sequentialTotals(trainSequential(reasoner, a.train, a.validation, G, unstaged, progress)) : trainReasoner(reasoner, a.train, a.validation, G, overrides, progress);
    const te = performance.now();
    const m = a.measures;
    const scores = scoreModel(reasoner, a.test, a.evalGraphs, { keepZ: m?.keepZ ?? false });
    const evaluation: ArmEvaluation = { probs: scores.probs, effects: scores.effects, z: scores.z, probsHFixed: null, probsZFixed: null, comprehensiveness: null, sufficiency: null };
    if (m?.channels) {
      const means = channelMeans(reasoner, a.train);
      evaluation.probsHFixed = probsWithChannelFixed(reasoner, a.test, "h", means.h);
      evaluation.probsZFixed = probsWithChannelFixed(reasoner, a.test, "z", means.z);
    }
    if (m?.eraser) {
      const mask = invokedMask({ data: scores.effects[m.eraser.graph], shape: [a.test.N, reasoner.K, reasoner.C] }, scores.predicted, { tau: m.eraser.tau });
      const er = eraserOnRows(reasoner, a.test, mask);
      evaluation.comprehensiveness = er.comprehensiveness;
      evaluation.sufficiency = er.sufficiency;
    }
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
