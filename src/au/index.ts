export * from "./registry";
export * from "./pspi";
