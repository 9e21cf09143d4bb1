export * from "./graph";
export * from "./io";
export * from "./known";
export * from "./permute";
export * from "./dot";
export * from "./compare";
export { FACS_IG_2002, PROTOTYPE_SUBSTITUTES } from "./facs-prototypes";
