/**
 * `facr audit`: the FACR metric and gated rationales on your own AU data
 * (OpenFace, UNBC-McMaster, CK+), with an external-AU reasoner.
 */
export { runAudit } from "./audit";
export { loadAuditData, resolveGraph } from "./load";
export { AU_SCALES, AUDIT_FORMATS, HEAD_POLICIES } from "./types";
export type { AuditOptions, AuditReport, AuditFrame, AuditFormat, AuScale, AuScaleInfo, HeadPolicy, InvokedAu } from "./types";
export { detectAuScale } from "./load";
export {
  ExternalReasoner,
  externalActivations,
  faceGeometry,
  fitHStandardizer,
  standardizeH,
  trainExternalReasoner,
  GEOMETRY_FEATURES,
  EXTERNAL_TRAIN_DEFAULTS,
  EXTERNAL_FORMAT,
} from "./external-reasoner";
export type { ExternalActivations, ExternalHeadConfig, ExternalTrainConfig, ExternalTrainData, HStandardizer } from "./external-reasoner";
export { defaultExternalReasoner, defaultTrainingSet } from "./default-reasoner";
export { rationaleVerbalizer, verbalize, decodeAll, decodeKey, gateActivations, grammarLm, vocabularyClassNames, AUDIT_DECODE, GATE_SOURCES, LM_TEMPLATE_IDS } from "./rationale";
export type { GateSource, RationaleVerbalizer } from "./rationale";
export { formatAuditText, auditToJson, auditToCsv, auditCsvRows, auditToHtml, writeAuditReport, reportKindOf, invokedText, fidelityLines, HTML_MAX_ROWS } from "./report";
export type { ReportKind } from "./report";
export { auditFigures, effectBarsSvg, invokedMatrixSvg, predictionSvg } from "./figures";
export type { AuditFigure } from "./figures";
export { auditCommand, parseAuditArgs, AUDIT_USAGE } from "./command";
