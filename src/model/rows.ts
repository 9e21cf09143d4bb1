/**
 * Model-ready rows of a dataset — training, validation or test — as the
 * Reasoner reads them: standardized features, AU targets in [0,1] (NaN = not
 * coded), labels. Built by `toReasonerRows` (model/features.ts), read by training
 * (train/) and evaluation.
 */
export interface ReasonerRows {
  /** N × D features. */
  x: Float32Array;
  D: number;
  /** N × K AU targets in [0, 1]; NaN entries are left out of the AU loss. */
  au: Float32Array;
  K: number;
  /** Class index per frame. */
  y: Int32Array;
  N: number;
}
