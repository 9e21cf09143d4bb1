/**
 * The evaluation layer: one scorer (rows → probabilities, Δ, z, predictions),
 * detection measures, pooling of folds × seeds and the paired subject-bootstrap
 * summary of arms. Experiments, the verbalizer and `facr audit` all use it.
 */
export * from "./score";
export * from "./detection";
export * from "./pool";
export * from "./summary";
export * from "./channels";
