/**
 * Observable Plot in Node: render `PlotOptions` to an SVG string through a
 * jsdom document, with every number in the markup rounded to 2 decimals so
 * snapshot tests are stable across platforms.
 *
 * jsdom has no canvas, so Plot's continuous color legends cannot be drawn
 * here; titles, legends and captions are drawn in SVG by `figureSvg`
 * (./compose), which stacks the panels rendered here. Plot itself is asked for a
 * bare <svg> (no title, subtitle, caption or legend, which would wrap it in an
 * HTML <figure>).
 */
import * as Plot from "@observablehq/plot";
import { FONT_FAMILY } from "./theme";

/** The little of the DOM we touch (the project compiles without DOM types; jsdom ships none). */
interface MiniElement {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void }>;
}

interface MiniWindow {
  readonly document: unknown;
  readonly XMLSerializer: new () => { serializeToString(node: unknown): string };
}

let sharedWindow: MiniWindow | null = null;

/** One jsdom window for every render (Plot only creates detached nodes). */
function jsdomWindow(): MiniWindow {
  if (!sharedWindow) {
    const { JSDOM } = require("jsdom") as { JSDOM: new (html: string) => { window: MiniWindow } };
    sharedWindow = new JSDOM("<!DOCTYPE html><html><body></body></html>").window;
  }
  return sharedWindow;
}

/** A rendered plot: standalone SVG markup and its size in pixels. */
export interface PlotPanel {
  svg: string;
  width: number;
  height: number;
  /** Drawn above the panel by `figureSvg`. */
  title?: string;
}

/** Default font size of plot text, pixels (Plot's own default is 10). */
export const PLOT_FONT_SIZE = 11;

/**
 * Render Plot options to an SVG string. `title`, `subtitle`, `caption` and
 * `legend` are rejected: Plot would return an HTML <figure>, not SVG; use
 * `figureSvg` for those. Numbers are rounded (`roundSvgNumbers`).
 */
export function renderPlot(options: Plot.PlotOptions, panelTitle?: string): PlotPanel {
  for (const key of ["title", "subtitle", "caption"] as const) {
    if (options[key] !== undefined) throw new Error(`renderPlot: option "${key}" makes Plot return HTML; draw it with figureSvg instead`);
  }
  const window = jsdomWindow();
  const style = typeof options.style === "object" && options.style ? options.style : {};
  const el = Plot.plot({
    ...options,
    style: { fontSize: `${PLOT_FONT_SIZE}px`, fontFamily: FONT_FAMILY, overflow: "visible", ...(style as Record<string, string>) },
    document: window.document as Plot.PlotOptions["document"],
  }) as unknown as MiniElement;
  if (el.tagName.toLowerCase() !== "svg") throw new Error(`renderPlot: Plot returned <${el.tagName.toLowerCase()}>, expected <svg> (legend options make a <figure>; draw legends with figureSvg)`);
  // Plot's <style> sets CSS width/height rules meant for HTML pages; nested in a
  // figure they would resize the panel, so drop it (figureSvg adds what is needed).
  for (const s of Array.from(el.querySelectorAll("style"))) s.remove();
  el.removeAttribute("class");
  const width = Number(el.getAttribute("width"));
  const height = Number(el.getAttribute("height"));
  const svg = new window.XMLSerializer().serializeToString(el);
  return { svg: roundSvgNumbers(svg), width, height, ...(panelTitle ? { title: panelTitle } : {}) };
}

/** Round to 2 decimals, without "-0". */
export function r2(v: number): string {
  const x = Math.round(v * 100) / 100;
  return Object.is(x, -0) || x === 0 ? "0" : String(x);
}

/**
 * Round every decimal number inside attribute values to 2 decimals (text
 * content is left alone: labels are formatted where they are made).
 */
export function roundSvgNumbers(svg: string): string {
  return svg.replace(/(\s[\w:-]+=")([^"]*)(")/g, (_m, pre: string, value: string, post: string) => {
    if (/^(#|url\(|data:)/.test(value)) return pre + value + post;
    return pre + value.replace(/-?\d*\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+/gi, (n) => r2(Number(n))) + post;
  });
}

/**
 * A color scale that works without a canvas, for drawing ramps in legends:
 * `apply(v)` gives the CSS color of a value.
 */
export function colorScale(options: Plot.ScaleOptions): (v: number) => string {
  const s = Plot.scale({ color: options });
  return (v: number) => String(s.apply(v));
}

export { Plot };
