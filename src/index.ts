/**
 * facr — faithful AU → emotion reasoning (FACR) in TypeScript.
 *
 * One public API for users, notebooks and experiments. See README.md for a
 * five-line example and the method notes in the README / paper.
 */
export * from "./au";
export * from "./graph";
export * from "./faithfulness";
export * from "./data/dataset";
export * from "./data/splits";
export * from "./data/loaders";
export { generateSynPain, SYNPAIN_DEFAULTS, SYNPAIN_PROFILES } from "./data/synpain";
export type { SynPainConfig, SynPainOptions } from "./data/synpain";
export { generateSynEmotion, synEmotionGraph, GENERATING_PROTOTYPES, SYNEMOTION_DEFAULTS, SYNEMOTION_PROFILES } from "./data/synemotion";
export type { SynEmotion, SynEmotionConfig, SynEmotionOptions, DomainConfig, EmotionDomain } from "./data/synemotion";
export * from "./data/face";
export * from "./figures";
export * from "./notebook/display";
export * from "./verbalizer";
export { runVerbalizerExperiment, formatVerbalizerSummary, VERBALIZER_DEFAULTS, VERBALIZER_PROFILES } from "./experiments/verbalizer";
export type { VerbalizerExperimentConfig, VerbalizerResult, VerbalizerRunOptions, AuditRow, TaskName } from "./experiments/verbalizer";
export { runPspiExperiment, formatPspiSummary, PSPI_DEFAULTS, PSPI_PROFILES } from "./experiments/pspi";
export type { PspiConfig, PspiResult } from "./experiments/pspi";
export { PREREGISTERED_REGIME, CLEAN_REGIME, CLEAN_ROW_SET_ARMS } from "./experiments/regimes";
export type { Regime } from "./experiments/regimes";
export { runSensitivity, formatSensitivity, SENSITIVITY_DEFAULTS, SENSITIVITY_PROFILES } from "./experiments/sensitivity";
export type { SensitivityConfig, SensitivityResult, SensitivityCell, BypassPoint } from "./experiments/sensitivity";
export { ARM_NAMES, ARM_LABELS, armSpec } from "./experiments/arms";
export type { ArmName, ArmSpec } from "./experiments/arms";
export { runEmotionTransfer, formatEmotionSummary, EMOTION_DEFAULTS, EMOTION_PROFILES } from "./experiments/emotion-transfer";
export type { EmotionTransferConfig, EmotionTransferResult } from "./experiments/emotion-transfer";
export { runDoseResponse, formatDoseResponse, DOSE_RESPONSE_DEFAULTS, DOSE_RESPONSE_PROFILES } from "./experiments/dose-response";
export type { DoseResponseConfig, DoseResponseResult, DosePoint } from "./experiments/dose-response";
export { claimsTable, claimsMarkdown } from "./report/claims";
export { profileFromEnv, resultsDir, figuresDir, resultPath } from "./report/paths";
export { Reasoner, REASONER_DEFAULTS } from "./model/reasoner";
export type { ReasonerConfig } from "./model/reasoner";
export { extractFeatures, fitStandardizer, toReasonerRows } from "./model/features";
export type { Features, Standardizer } from "./model/features";
export { trainReasoner, trainSequential, evaluateObjective, formatEpoch, TRAIN_DEFAULTS } from "./train/train";
export type { TrainConfig, TrainResult, EpochRecord, TrainStage, SequentialResult } from "./train/train";
export { rrrPenalty } from "./train/rrr";
export type { ReasonerRows } from "./model/rows";
export { initBackend, backendInfo } from "./model/backend";
export type { BackendInfo, BackendPreference } from "./model/backend";
export { Rng } from "./util/random";
export type { Seed } from "./util/random";
export { resolveConfig, configHash, PROFILES } from "./util/config";
export type { Profile, DeepPartial } from "./util/config";
export { FacrInputError } from "./util/errors";
export { writeFileAtomic, writeJsonAtomic } from "./util/atomic";
