/** The synthetic face: iBUG-68 layout, neutral face, identities, AU displacement fields, appearance, pose, rendering, Procrustes. */
export * from "./layout";
export * from "./neutral";
export * from "./appearance";
export * from "./identity";
export * from "./displacements";
export * from "./pose";
export * from "./render";
export * from "./procrustes";
