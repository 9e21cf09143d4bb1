/**
 * `make figures`: every figure of every result present, rebuilt from the result
 * JSON alone (no training). Static figures are Observable Plot SVGs
 * (`<name>.svg`); Plotly figures are written as JSON (`<name>.plotly.json`,
 * reopen with Plotly.newPlot) and, with `png`, as PNG and SVG rendered in
 * headless Chromium (`<name>.plotly.png`, `<name>.plotly.svg`), skipped with a
 * printed reason when Chromium is missing. Tables go beside the results as CSV.
 * Every file is written atomically.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../util/atomic";
import { parseJson } from "../util/json";
import { ChromiumRenderer, chromiumPath } from "../util/chromium";
import { writeCsv } from "../util/csv";
import { doseResponseFigures, DoseResponseLike } from "./dose-response";
import { emotionFigures, EmotionResultLike } from "./emotion";
import { NamedFigure, pspiFigures, PspiResultLike } from "./pspi";
import type { ArmResultLike } from "./result-types";
import { sensitivityFigures, SensitivityResultLike } from "./sensitivity";
import { verbalizerFigures, VerbalizerResultLike } from "./verbalizer";

export interface BuildFiguresOptions {
  /** Where the result JSON files are (see src/report/paths.ts). */
  resultsDir: string;
  /** Where figures go (created if needed). */
  figuresDir: string;
  /** Render the Plotly figures to PNG and SVG in headless Chromium. */
  png: boolean;
  /** Also write the static SVG figures as PNG (Chromium; default false). */
  rasterise?: boolean;
  /** Write the result tables as CSV beside the results (default true). */
  tables?: boolean;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
}

export interface BuildFiguresResult {
  /** Files written, in order. */
  written: string[];
  /** Expected result files that do not exist (nothing drawn for them). */
  missing: string[];
  /** What was left out and why (e.g. Plotly images without Chromium). */
  skipped: string[];
}

interface ResultKind {
  file: string;
  /** How to make the result: shown when it is missing. */
  make: string;
  figures: ((r: unknown) => NamedFigure[]) | null;
  tables?: (r: unknown, resultsDir: string) => Promise<string[]>;
}

/** The results `make figures` looks for, with their figure sets. */
export const RESULT_FILES: readonly ResultKind[] = [
  { file: "pspi.json", make: "make pspi", figures: (r) => pspiFigures(r as PspiResultLike), tables: (r, dir) => armTables(r as ArmResultLike, dir, "pspi") },
  { file: "emotion-transfer.json", make: "make emotion", figures: (r) => emotionFigures(r as EmotionResultLike) },
  { file: "verbalizer.json", make: "make verbalizer", figures: (r) => verbalizerFigures(r as VerbalizerResultLike) },
  { file: "dose-response.json", make: "make dose-response", figures: (r) => doseResponseFigures(r as DoseResponseLike) },
  // the clean regime (spec §11: the first protocol's generator) as a second row set: same shape as pspi.json, figures prefixed so they don't overwrite pspi's
  {
    file: "pspi-clean.json",
    make: "make pspi",
    figures: (r) => pspiFigures(r as PspiResultLike, { prefix: "pspi-clean-", titleSuffix: "(clean regime)" }),
    tables: (r, dir) => armTables(r as ArmResultLike, dir, "pspi-clean"),
  },
  { file: "sensitivity.json", make: "make sensitivity", figures: (r) => sensitivityFigures(r as SensitivityResultLike) },
];

async function armTables(result: ArmResultLike, dir: string, stem: string): Promise<string[]> {
  // danfojs loads TensorFlow.js: only when tables are asked for
  const { armTable, foldTable } = await import("./tables");
  const files = [path.join(dir, `${stem}-arms.csv`), path.join(dir, `${stem}-folds.csv`)];
  writeCsv(armTable(result), files[0]);
  writeCsv(foldTable(result), files[1]);
  return files;
}

/** Build every figure (see the module comment); returns what was written, missing and skipped. */
export async function buildFigures(opts: BuildFiguresOptions): Promise<BuildFiguresResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const out: BuildFiguresResult = { written: [], missing: [], skipped: [] };
  const write = (file: string, data: string | Uint8Array) => {
    writeFileAtomic(file, data);
    out.written.push(file);
  };
  fs.mkdirSync(opts.figuresDir, { recursive: true });
  const figures: { from: string; fig: NamedFigure }[] = [];
  for (const kind of RESULT_FILES) {
    const file = path.join(opts.resultsDir, kind.file);
    if (!fs.existsSync(file)) {
      out.missing.push(file);
      log(`[figures] ${file} missing: no figures for it (run \`${kind.make}\`)`);
      continue;
    }
    if (!kind.figures) {
      out.skipped.push(`${file}: no figures defined for this result yet`);
      log(`[figures] ${file}: no figures defined for this result yet`);
      continue;
    }
    const result = parseJson(fs.readFileSync(file, "utf8"), file);
    let set: NamedFigure[];
    try {
      set = kind.figures(result);
    } catch (err) {
      throw new Error(`figures of ${file}: ${(err as Error).message}`);
    }
    for (const fig of set) figures.push({ from: file, fig });
    if (opts.tables !== false && kind.tables) {
      const files = await kind.tables(result, opts.resultsDir);
      out.written.push(...files);
      for (const f of files) log(`[figures] wrote ${f}`);
    }
  }
  for (const { fig } of figures) {
    if (fig.svg) write(path.join(opts.figuresDir, `${fig.name}.svg`), fig.svg);
    if (fig.plotly) write(path.join(opts.figuresDir, `${fig.name}.plotly.json`), JSON.stringify(fig.plotly) + "\n");
  }
  const plotly = figures.filter((f) => f.fig.plotly);
  const wantChromium = (opts.png && plotly.length > 0) || (opts.rasterise && figures.some((f) => f.fig.svg));
  if (wantChromium && !chromiumPath()) {
    const why = "Chromium not found (install it with `apt-get install chromium`, or set FACR_CHROMIUM)";
    out.skipped.push(`Plotly PNG/SVG${opts.rasterise ? " and SVG rasters" : ""}: ${why}`);
    log(`[figures] skipped the Plotly PNG/SVG images: ${why}`);
  } else if (wantChromium) {
    const renderer = await ChromiumRenderer.launch();
    try {
      if (opts.png) {
        for (const { fig } of plotly) {
          const png = await renderer.renderPlotly(fig.plotly!, { format: "png" });
          write(path.join(opts.figuresDir, `${fig.name}.plotly.png`), png.data);
          const svg = await renderer.renderPlotly(fig.plotly!, { format: "svg" });
          write(path.join(opts.figuresDir, `${fig.name}.plotly.svg`), svg.data);
        }
      }
      if (opts.rasterise) {
        for (const { fig } of figures) if (fig.svg) write(path.join(opts.figuresDir, `${fig.name}.png`), await renderer.svgToPng(fig.svg));
      }
    } finally {
      await renderer.close();
    }
  }
  log(`[figures] wrote ${out.written.length} files to ${opts.figuresDir}${out.missing.length ? `; missing results: ${out.missing.map((f) => path.basename(f)).join(", ")}` : ""}`);
  return out;
}
