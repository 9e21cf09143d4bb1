import { EMOTION_CLASSES, PAIN_CLASSES, pspiGraph } from "../../src/graph/known";
import { ACTION_UNITS, OPENFACE_AUS, UNBC_AUS } from "../../src/au/registry";
import { Rng } from "../../src/util/random";
import { generateCorpus, RationaleSpec } from "../../src/verbalizer/corpus";
import { Vocabulary } from "../../src/verbalizer/grammar";
import { createLm, trainLm } from "../../src/verbalizer/lm";
import { BackboneKind, CausalLm } from "../../src/verbalizer/lm-base";

/** The experiment's shared vocabulary: pain and emotion classes, the union of their AUs. */
export function sharedVocabulary(): Vocabulary {
  const aus = ACTION_UNITS.map((a) => a.code).filter((c) => UNBC_AUS.includes(c) || OPENFACE_AUS.includes(c));
  return new Vocabulary({ classes: [...PAIN_CLASSES, ...EMOTION_CLASSES], aus });
}

/** Pain-task specs: pain mentions a random non-empty subset of the PSPI AUs, no_pain mentions none. */
export function painSpecs(n: number, seed: number): RationaleSpec[] {
  const rng = new Rng(seed);
  const G = pspiGraph();
  const causal = G.aus.filter((_, k) => G.polarity[k][1] === 1);
  return Array.from({ length: n }, () => {
    if (rng.bernoulli(0.4)) return { className: "no_pain", aus: [] };
    let aus = causal.filter(() => rng.bernoulli(0.45));
    if (aus.length === 0) aus = [causal[rng.int(causal.length)]];
    return { className: "pain", aus };
  });
}

/** A small model of either backbone, briefly trained on a pain corpus (seconds). */
export function briefModel(kind: BackboneKind, vocab: Vocabulary, epochs = 10): CausalLm {
  const corpus = generateCorpus(vocab, painSpecs(600, 3), 5);
  const lm = createLm(vocab, kind === "gru" ? { kind, hidden: 48, seed: 2 } : { kind, dModel: 32, heads: 2, layers: 1, mlpHidden: 64, seed: 2 });
  trainLm(lm, corpus, null, { epochs, batchSize: 32, learningRate: 1e-2, seed: 1 });
  return lm;
}
