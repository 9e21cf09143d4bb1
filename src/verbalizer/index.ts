/**
 * The verbalizer (spec §8): paraphrase grammar and corpus, two language-model
 * backbones, free and gated decoding, and the ablation measurement (ablation.ts).
 */
export {
  Vocabulary,
  Grammar,
  grammarFor,
  TEMPLATES,
  RATIONALE_TEMPLATES,
  EMPTY_TEMPLATES,
  GRAMMAR_WORDS,
  SPECIAL_TOKENS,
  LIST_CONJUNCTION,
  classDisplayName,
  auDisplayName,
  parseTokens,
  parseText,
  tokenizeText,
  renderTokens,
  mentionedAus,
} from "./grammar";
export type { VocabularySpec, Template, TemplateElement, GrammarState, Parse } from "./grammar";
export { activeCausalAus, rationaleSpecs, writeRationale, generateCorpus, sampleRowsPerClass } from "./corpus";
export type { RationaleSpec } from "./corpus";
export { CausalLm, BACKBONES, GRU_DEFAULTS, TRANSFORMER_DEFAULTS } from "./lm-base";
export type { BackboneKind, LmConfig, GruLmConfig, TransformerLmConfig } from "./lm-base";
export { GruLm } from "./gru";
export { TransformerLm, sinusoidalPositions } from "./transformer";
export { createLm, trainLm, formatLmEpoch, scoreSequences, perplexity, saveLm, loadLm, LM_TRAIN_DEFAULTS } from "./lm";
export type { LmTrainConfig, LmEpoch, LmTrainResult } from "./lm";
export { decodeRationales, staticLogitOffsets, DECODE_DEFAULTS, DECODE_MODES } from "./decode";
export type { DecodeMode, DecodeOptions, DecodeRequest, DecodedRationale, NextTokenLogits } from "./decode";
export { measureVerbalizer, selectGateParameters, checkTaskVocabulary, sameOthers, ABLATION_DEFAULTS, ABLATION_MEASURES } from "./ablation";
export type { AblationSamples, AblationOptions, AblationResult, AblationExample, AblationMeasure, GateCandidate, GateSelection } from "./ablation";
