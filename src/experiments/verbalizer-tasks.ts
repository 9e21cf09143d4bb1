import { Dataset } from "../data/dataset";
import { validationSplit } from "../data/splits";
import { generateSynEmotion } from "../data/synemotion";
import { generateSynPain } from "../data/synpain";
import { CausalGraph } from "../graph/graph";
import { emotionPrototypeGraph, pspiGraph } from "../graph/known";
import { extractFeatures, fitStandardizer, toReasonerRows } from "../model/features";
import { ReasonerRows } from "../model/rows";
import { Profile } from "../util/config";
import type { VerbalizerExperimentConfig } from "./verbalizer";

/**
 * The verbalizer experiment's two tasks (synthetic): pain on SynPain with the
 * PSPI graph, emotion on SynEmotion source → target with the FACS prototypes;
 * subject-grouped splits and features standardized on training rows.
 */
export type TaskName = "pain" | "emotion";

export interface TaskSetup {
  name: TaskName;
  graph: CausalGraph;
  dataset: string;
  train: ReasonerRows;
  validation: ReasonerRows;
  test: ReasonerRows;
  subjects: { train: string[]; validation: string[]; test: string[] };
}

export function painTask(cfg: VerbalizerExperimentConfig, profile: Profile): TaskSetup {
  const ds = generateSynPain({ seed: cfg.seed, profile });
  const graph = pspiGraph();
  if (ds.aus.join() !== graph.aus.join()) throw new Error(`SynPain AUs [${ds.aus}] differ from the PSPI graph's [${graph.aus}]`);
  const all = Int32Array.from({ length: ds.size }, (_, i) => i);
  const outer = validationSplit(ds, all, cfg.pain.testFraction, `${cfg.seed}/pain/test`);
  const inner = validationSplit(ds, outer.train, cfg.pain.validationFraction, `${cfg.seed}/pain/validation`);
  const stride = (rows: Int32Array) => Int32Array.from(rows.filter((_, j) => j % cfg.pain.trainStride === 0));
  const trainRows = stride(inner.train);
  const validationRows = stride(inner.validation);
  return setup("pain", ds, ds, graph, trainRows, validationRows, outer.validation);
}

export function emotionTask(cfg: VerbalizerExperimentConfig, profile: Profile): TaskSetup {
  const { source, target } = generateSynEmotion({ seed: cfg.seed, profile });
  const graph = emotionPrototypeGraph({ aus: source.aus, classes: source.labels!.classes });
  const split = validationSplit(source, Int32Array.from({ length: source.size }, (_, i) => i), cfg.emotion.validationFraction, `${cfg.seed}/emotion/validation`);
  return setup("emotion", source, target, graph, split.train, split.validation, Int32Array.from({ length: target.size }, (_, i) => i));
}

/** Features standardized on training rows; test rows may come from another dataset (the emotion target domain). */
function setup(name: TaskName, trainDs: Dataset, testDs: Dataset, graph: CausalGraph, trainRows: Int32Array, validationRows: Int32Array, testRows: Int32Array): TaskSetup {
  const fTrain = extractFeatures(trainDs);
  const fTest = testDs === trainDs ? fTrain : extractFeatures(testDs);
  const st = fitStandardizer(fTrain, trainRows);
  return {
    name,
    graph,
    dataset: testDs === trainDs ? trainDs.name : `${trainDs.name} → ${testDs.name}`,
    train: toReasonerRows(trainDs, fTrain, st, trainRows, graph.aus),
    validation: toReasonerRows(trainDs, fTrain, st, validationRows, graph.aus),
    test: toReasonerRows(testDs, fTest, st, testRows, graph.aus),
    subjects: {
      train: Array.from(trainRows, (i) => trainDs.subjects[i]),
      validation: Array.from(validationRows, (i) => trainDs.subjects[i]),
      test: Array.from(testRows, (i) => testDs.subjects[i]),
    },
  };
}
