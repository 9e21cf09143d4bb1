/**
 * Show things in a notebook: SVG figures, HTML, Markdown, tables (rows or a
 * danfojs DataFrame) and Plotly figures, each as a Jupyter MIME bundle.
 *
 * Inside the tslab kernel a bundle goes out as one `display_data` message with
 * every MIME type in it: tslab's public `display.*` functions send one MIME type
 * per message, so we call the kernel's own writer (`lastWriteDisplayData` of
 * tslab/dist/jupyter.js, which the kernel sets before running each cell) and
 * never load tslab ourselves. Outside a kernel (tsx, vitest) the bundle goes to
 * the sink set with `setDisplaySink`, or else its text/plain part is printed,
 * so the same code runs everywhere.
 *
 * Plotly figures carry the figure JSON (drawn by JupyterLab's plotly renderer)
 * and a static PNG rendered in headless Chromium, so the figure also appears in
 * executed notebooks viewed anywhere else (nbconvert, GitHub).
 */
import { chromiumPath, withChromium } from "../util/chromium";
import type { ChromiumRenderer, RenderedImage } from "../util/chromium";
import { MimeBundle, PlotlyFigure, plotlyMimeBundle, plotlyTitle, renderPlotly } from "../figures/plotly";
import { TableLike, tableRows } from "../util/csv";
import type { NamedFigure } from "../figures/pspi";
import { escapeHtml } from "./format";

export type { MimeBundle };

/** Where bundles go outside a kernel (e.g. a test collecting them); null restores the default. */
export type DisplaySink = (bundle: MimeBundle) => void;

let sink: DisplaySink | null = null;

export function setDisplaySink(s: DisplaySink | null): void {
  sink = s;
}

type WriteDisplayData = (msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

/** The running tslab kernel's display writer, or null outside a kernel. */
export function kernelDisplayWriter(): WriteDisplayData | null {
  const cache = typeof require === "function" ? require.cache : undefined;
  if (!cache) return null;
  for (const [file, mod] of Object.entries(cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const w = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof w === "function") return w as WriteDisplayData;
  }
  return null;
}

/**
 * Emit a MIME bundle (see the module comment). The show functions return
 * nothing, so a notebook cell ending in one prints no value after the display.
 */
export function showBundle(bundle: MimeBundle): void {
  if (sink) return sink(bundle);
  const write = kernelDisplayWriter();
  if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
  else if (typeof bundle["text/plain"] === "string") console.log(bundle["text/plain"]);
}

function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The first <text> of an SVG (our figures' title), for text/plain. */
export function svgTitle(svg: string): string {
  const m = /<text\b[^>]*>([^<]*)<\/text>/.exec(svg);
  return m ? plainText(m[1]) : "figure";
}

/**
 * The notebook form of an SVG figure: the root <svg> gets width="100%", no
 * height, its viewBox (made from the pixel size when absent) and
 * style="max-width:<its width>px;height:auto", so the figure fits the output
 * area wherever the notebook is shown, and stays vector-sharp:
 * - JupyterLab 4 (and Notebook 7) draws image/svg+xml as an <img> whose size
 *   comes only from the SVG's width/height attributes (CSS inside the SVG does
 *   not size the <img>, and JupyterLab gives that <img> no max-width): a pixel
 *   width overflows the output area and is cut off; a percentage width with a
 *   viewBox makes the image as wide as the output area, height from the
 *   aspect ratio (so a small figure is also drawn larger in a wide output area).
 * - The classic notebook (and nbconvert's HTML) inlines the SVG: there it is
 *   as wide as the output area but never wider than it was drawn.
 * Anything else in the root tag is kept; an SVG with neither a viewBox nor a
 * pixel size is returned unchanged.
 */
export function responsiveSvg(svg: string): string {
  const m = /<svg\b[^>]*>/.exec(svg);
  if (!m) return svg;
  const tag = m[0];
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const px = (v: string | undefined) => (v !== undefined && /^\s*\d+(\.\d+)?(px)?\s*$/.test(v) ? parseFloat(v) : NaN);
  const w = px(attr("width"));
  const h = px(attr("height"));
  const viewBox = attr("viewBox") ?? (w > 0 && h > 0 ? `0 0 ${w} ${h}` : undefined);
  const vbWidth = viewBox ? Number(viewBox.trim().split(/[\s,]+/)[2]) : NaN;
  const natural = w > 0 ? w : vbWidth;
  if (!viewBox || !(natural > 0)) return svg;
  const kept = (attr("style") ?? "")
    .split(";")
    .map((d) => d.trim())
    .filter((d) => d && !/^(width|height|max-width)\s*:/i.test(d));
  const style = [...kept, `max-width:${natural}px`, "height:auto"].join(";");
  const rest = tag.replace(/^<svg\b/, "").replace(/\s(width|height|viewBox|style)="[^"]*"/g, "");
  return svg.slice(0, m.index) + `<svg width="100%" viewBox="${viewBox}" style="${style}"` + rest + svg.slice(m.index + tag.length);
}

/** Show an SVG figure (image/svg+xml, in its notebook form: `responsiveSvg`), with its title as text/plain. */
export function showSvg(svg: string, text?: string): void {
  showBundle({ "image/svg+xml": responsiveSvg(svg), "text/plain": text ?? `[figure] ${svgTitle(svg)}` });
}

/** Show HTML, with a plain-text version. */
export function showHtml(html: string, text?: string): void {
  showBundle({ "text/html": html, "text/plain": text ?? plainText(html) });
}

/** Show Markdown (also as text/plain). */
export function showMarkdown(markdown: string): void {
  showBundle({ "text/markdown": markdown, "text/plain": markdown });
}

export interface TableOptions {
  caption?: string;
  /** Decimals of the numbers in a column holding any non-integer value (default 3); all-integer columns stay integers. */
  digits?: number;
  /** Rows shown at most (default 200; the caption says how many were left out). */
  maxRows?: number;
}

/**
 * A cell's text. Numbers of a column holding any non-integer value (a measure:
 * 1, 0 and 0.935 read "1.000", "0.000", "0.935") all get `digits` decimals;
 * in an all-integer column (counts) they stay integers. NaN, null and
 * undefined read "–".
 */
function cellText(v: unknown, digits: number, decimal: boolean): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number") return Number.isNaN(v) ? "–" : decimal && Number.isFinite(v) ? v.toFixed(digits) : String(v);
  return String(v);
}

/** Per column: does it hold a finite non-integer number (then every number in it gets `digits` decimals)? */
export function decimalColumns(rows: readonly (readonly unknown[])[], columns: number): boolean[] {
  return Array.from({ length: columns }, (_, j) => rows.some((r) => typeof r[j] === "number" && Number.isFinite(r[j]) && !Number.isInteger(r[j])));
}

const esc = escapeHtml;

/** The HTML and plain-text forms of a table (exported for tests and reports). */
export function tableBundle(table: TableLike, opts: TableOptions = {}): MimeBundle {
  const digits = opts.digits ?? 3;
  const { columns, rows } = tableRows(table);
  const max = opts.maxRows ?? 200;
  const shown = rows.slice(0, max);
  const more = rows.length > max ? ` (first ${max} of ${rows.length} rows)` : "";
  const caption = (opts.caption ?? "") + more;
  const numeric = columns.map((_, j) => shown.length > 0 && shown.every((r) => typeof r[j] === "number" || r[j] === null));
  const decimal = decimalColumns(shown, columns.length);
  const html =
    `<table class="facr-table">${caption ? `<caption style="text-align:left">${esc(caption)}</caption>` : ""}` +
    `<thead><tr>${columns.map((c, j) => `<th style="text-align:${numeric[j] ? "right" : "left"}">${esc(c)}</th>`).join("")}</tr></thead>` +
    `<tbody>${shown.map((r) => `<tr>${r.map((v, j) => `<td style="text-align:${numeric[j] ? "right" : "left"}">${esc(cellText(v, digits, decimal[j]))}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  const cells = [columns, ...shown.map((r) => r.map((v, j) => cellText(v, digits, decimal[j])))];
  const widths = columns.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((s, j) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]))).join("  ").trimEnd();
  const text = [...(caption ? [caption] : []), line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
  return { "text/html": html, "text/plain": text };
}

/** Show a table (rows or a danfojs DataFrame) as HTML, with an aligned text version. */
export function showTable(table: TableLike, opts: TableOptions = {}): void {
  showBundle(tableBundle(table, opts));
}

export interface ShowPlotlyOptions {
  /** Static fallback image: "png" (default), "svg", or "none". */
  image?: "png" | "svg" | "none";
  width?: number;
  height?: number;
  /** A browser to reuse (see `withChromium`) when showing many figures. */
  renderer?: ChromiumRenderer;
}

/**
 * Show a Plotly figure: interactive where JupyterLab's plotly renderer is
 * installed, a static image (rendered in headless Chromium) everywhere else.
 * Without Chromium the bundle has no image and says how to get one.
 */
export async function showPlotly(fig: PlotlyFigure, opts: ShowPlotlyOptions = {}): Promise<void> {
  const format = opts.image ?? "png";
  let image: RenderedImage | undefined;
  let note = "";
  if (format !== "none") {
    if (opts.renderer || chromiumPath()) {
      [image] = await renderPlotly([fig], { format, width: opts.width, height: opts.height, renderer: opts.renderer });
    } else {
      note = " No static image: Chromium is missing (apt-get install chromium).";
    }
  }
  const bundle = plotlyMimeBundle(fig, image);
  if (note) bundle["text/plain"] = `${plotlyTitle(fig)} (Plotly figure).${note}`;
  showBundle(bundle);
}

/** Show preformatted text (a summary, a DOT graph) as HTML <pre>, with the text as text/plain. */
export function showPre(text: string): void {
  showHtml(`<pre style="font-size:11px">${escapeHtml(text)}</pre>`, text);
}

/** Show the SVG of the figure called `name` among `figures` (an experiment's `…Figures(result)`), or say it is absent. */
export function showFigure(figures: readonly NamedFigure[], name: string): void {
  const svg = figures.find((f) => f.name === name)?.svg;
  if (svg) showSvg(svg);
  else console.log(`(no figure ${name})`);
}

/** Show every Plotly figure among `figures`, in order, with one headless browser for all of them. */
export async function showPlotlyFigures(figures: readonly NamedFigure[]): Promise<void> {
  await withChromium(async (renderer) => {
    for (const f of figures) if (f.plotly) await showPlotly(f.plotly, { renderer: renderer });
  });
}
