/**
 * Loaders for the real data formats (spec §7 "Real formats"). The datasets are
 * license-gated: point these at your own copy. Each returns a checked `Dataset`;
 * malformed input is a FacrInputError naming file, line and field.
 */
export { loadOpenFace, OPENFACE_NOTES } from "./openface";
export type { OpenFaceOptions } from "./openface";
export { loadUnbc, UNBC_SEQUENCE_LABELS } from "./unbc";
export type { UnbcOptions } from "./unbc";
export { loadCkPlus, CKPLUS_CLASSES, CKPLUS_EMOTION_CODES } from "./ckplus";
export type { CkPlusOptions } from "./ckplus";
export { FACS_CODES } from "./facs-file";
