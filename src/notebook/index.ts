/**
 * The one import point of the notebooks: `import { … } from "./src/notebook"`.
 *
 * Everything a notebook calls or displays: the AU registry, graphs and their
 * induction, the synthetic generators and the data read from the environment,
 * the experiment runners with their result types, figure builders, the claims
 * table, the audit (notebook 07), where results go (`profileFromEnv`,
 * `resultPath`, `resultsDir`), the display helpers, one set of formatting
 * helpers, the generated readings and the domain-shift description. A notebook
 * narrates, calls these and shows what they return; it defines no helpers of
 * its own.
 *
 * Layering (scripts/check-layers.mjs): notebook/ sits above report/ and may
 * import every layer below it; src/index.ts and src/cli.ts sit above it.
 */
export * from "../au/index";
export * from "../graph/index";
export type { Interval } from "../util/bootstrap";
export * from "../data/dataset";
export { generateSynPain, SYNPAIN_DEFAULTS, SYNPAIN_PROFILES } from "../data/synpain";
export { generateSynEmotion, synEmotionGraph, GENERATING_PROTOTYPES, SYNEMOTION_DEFAULTS, SYNEMOTION_PROFILES } from "../data/synemotion";
export type { SynEmotion, SynEmotionConfig, EmotionDomain } from "../data/synemotion";
export { pspiDatasetFromEnv, emotionDomainsFromEnv, unbcDirFromEnv, ckplusDirFromEnv, describeDataFromEnv } from "../data/from-env";
export * from "../data/face/index";

export { runPspiExperiment, formatPspiSummary, PSPI_DEFAULTS } from "../experiments/pspi";
export { CLEAN_REGIME, CLEAN_ROW_SET_ARMS, PREREGISTERED_REGIME } from "../experiments/regimes";
export * from "./pspi-tables";
export type { PspiConfig, PspiResult } from "../experiments/pspi";
export { runEmotionTransfer, formatEmotionSummary, EMOTION_DEFAULTS } from "../experiments/emotion-transfer";
export type { EmotionTransferConfig, EmotionTransferResult } from "../experiments/emotion-transfer";
export { runVerbalizerExperiment, formatVerbalizerSummary, VERBALIZER_DEFAULTS } from "../experiments/verbalizer";
export type { VerbalizerExperimentConfig, VerbalizerResult, AuditRow, TaskName } from "../experiments/verbalizer";
export { runDoseResponse, formatDoseResponse, DOSE_RESPONSE_DEFAULTS } from "../experiments/dose-response";
export type { DoseResponseConfig, DoseResponseResult, DosePoint } from "../experiments/dose-response";
export { runSensitivity, formatSensitivity, SENSITIVITY_DEFAULTS } from "../experiments/sensitivity";
export type { SensitivityConfig, SensitivityResult, SensitivityCell, BypassPoint } from "../experiments/sensitivity";
export { ARM_LABELS, ARM_NAMES } from "../experiments/arms";
export type { ArmName } from "../experiments/arms";

export { runAudit, auditFigures, writeAuditReport } from "../audit/index";
export type { AuditReport, AuditFrame } from "../audit/index";

export * from "../figures/index";
export { doseResponseFigures } from "../figures/dose-response";
export { claimsTable, claimsMarkdown, CLAIMS } from "../report/claims";
export type { ClaimRow, ClaimDefinition, CriterionCheck } from "../report/claims";
export { profileFromEnv, resultsDir, figuresDir, resultPath } from "../report/paths";

export * from "./display";
// explicit, so they take precedence over the figures' own `pct`/`armLabel` (other digits, "–" for missing)
export { fx, ci, pct, side, signed, armLabel, backboneLabel, pairLabel, mean, escapeHtml, BACKBONE_LABELS } from "./format";
export * from "./readings";
export * from "./domain-shift";
export * from "./sensitivity";

import type { DataFrame } from "danfojs-node";
import type { ArmResultLike } from "../figures/result-types";

/**
 * One row per seed × fold × arm as a danfojs DataFrame (`foldTable` of
 * src/figures/tables). Loaded on first call: danfojs takes about 2 s to load,
 * which every notebook importing this module would otherwise pay.
 */
export function foldTable(result: ArmResultLike): DataFrame {
  return (require("../figures/tables") as typeof import("../figures/tables")).foldTable(result);
}
export * from "./tables";
export * from "./audit-tables";
