export * from "./effects";
export * from "./loss";
export * from "./metric";
export * from "./bootstrap";
export * from "./eraser";
export type { ClassIndices } from "./labels";
export * from "./support";
