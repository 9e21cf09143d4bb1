/**
 * Figures: pure functions from data or result JSON to SVG strings (Observable
 * Plot, rendered in Node with jsdom) or Plotly figures, the Chromium renderer
 * for static Plotly images, CSV export, and `buildFigures` (`make figures`).
 * Face drawings live in ./face.
 *
 * The danfojs tables (`armTable`, `pspiArmTable`, …) are in ./tables and not
 * re-exported here: danfojs takes about 2 s to load, which every `import …
 * from "./src"` would pay. Import them from "./src/figures/tables".
 */
export * from "./theme";
export * from "./plot-svg";
export * from "./compose";
export * from "./result-types";
export * from "./arms";
export * from "./effects";
export * from "./arms-plotly";
export * from "./graph";
export * from "./data";
export * from "./confusion";
export * from "./plotly";
export * from "../util/chromium";
export * from "../util/csv";
export * from "./pspi";
export * from "./pspi-protocol";
export * from "./sensitivity";
export * from "./emotion";
export * from "./verbalizer";
export * from "./build";
export * from "./face";
