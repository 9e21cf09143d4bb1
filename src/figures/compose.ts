/**
 * A whole figure as one standalone SVG: title, data line (with the synthetic
 * caveat), a legend drawn in SVG (swatches and color ramps: jsdom cannot draw
 * Plot's canvas-based ramps), rows of Plot panels, and a wrapped caption.
 */
import { PlotPanel, r2, roundSvgNumbers } from "./plot-svg";
import { escapeXml, FONT_FAMILY, INK, MUTED, RESPONSIVE_STYLE } from "./theme";

export type SwatchShape = "dot" | "ring" | "square" | "outline" | "line" | "dash" | "interval";

export interface LegendItem {
  label: string;
  color: string;
  shape?: SwatchShape;
  /** Drawn inside a square swatch (e.g. "+"). */
  text?: string;
}

export interface RampLegend {
  label: string;
  /** Value → CSS color (see `colorScale`). */
  color: (v: number) => string;
  domain: [number, number];
  /** Tick values with their labels. */
  ticks: { value: number; label: string }[];
  /** Space left of the ramp, pixels, so a centred first tick label is not cut off (default 0). */
  inset?: number;
}

export interface FigureOptions {
  title: string;
  /** The data line; use `dataLine(result.data)` so synthetic data says so. */
  subtitle?: string;
  caption?: string;
  legend?: LegendItem[];
  ramp?: RampLegend;
  /** Panels, one array per row (a flat array is one row). */
  panels: PlotPanel[] | PlotPanel[][];
  /** Overall width, pixels (default: the widest row). */
  width?: number;
  /** Space between panels, pixels (default 16). */
  gap?: number;
}

const PAD = 12;
const TITLE_SIZE = 16;
const SUB_SIZE = 12;
const LEGEND_SIZE = 12;
const CAPTION_SIZE = 11.5;

/** Rough text width for layout (DejaVu Sans averages ≈ 0.58 em per character). */
export function textWidth(s: string, size: number): number {
  return s.length * size * 0.58;
}

/** Greedy word wrap to lines no wider than `width` pixels. */
export function wrapText(s: string, width: number, size: number): string[] {
  const lines: string[] = [];
  for (const para of s.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (line && textWidth(next, size) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

function text(x: number, y: number, s: string, size: number, attrs = ""): string {
  return `<text x="${r2(x)}" y="${r2(y)}" font-size="${size}"${attrs ? " " + attrs : ""}>${escapeXml(s)}</text>`;
}

function swatch(item: LegendItem, x: number, cy: number): string {
  const c = item.color;
  switch (item.shape ?? "square") {
    case "dot":
      return `<circle cx="${x + 7}" cy="${r2(cy)}" r="4.5" fill="${c}"/>`;
    case "ring":
      return `<circle cx="${x + 7}" cy="${r2(cy)}" r="4.5" fill="white" stroke="${c}" stroke-width="1.5"/>`;
    case "line":
      return `<line x1="${x}" x2="${x + 14}" y1="${r2(cy)}" y2="${r2(cy)}" stroke="${c}" stroke-width="2.5"/>`;
    case "dash":
      return `<line x1="${x}" x2="${x + 14}" y1="${r2(cy)}" y2="${r2(cy)}" stroke="${c}" stroke-width="1.5" stroke-dasharray="3,2"/>`;
    case "interval":
      return `<line x1="${x}" x2="${x + 14}" y1="${r2(cy)}" y2="${r2(cy)}" stroke="${c}" stroke-width="2"/><circle cx="${x + 7}" cy="${r2(cy)}" r="3.5" fill="${c}"/>`;
    case "outline":
      return `<rect x="${x + 1}" y="${r2(cy - 6)}" width="12" height="12" fill="white" stroke="${c}" stroke-width="2.5"/>`;
    case "square": {
      const stroke = c.toLowerCase() === "#ffffff" || c === "white" ? ` stroke="#999"` : "";
      const t = item.text ? `<text x="${x + 7}" y="${r2(cy + 4)}" font-size="11" text-anchor="middle" fill="white" font-weight="bold">${escapeXml(item.text)}</text>` : "";
      return `<rect x="${x}" y="${r2(cy - 7)}" width="14" height="14" fill="${c}"${stroke}/>${t}`;
    }
  }
}

/** Legend swatches laid out left to right, wrapping; returns markup and height used. */
function legendRow(items: LegendItem[], x0: number, y0: number, width: number): { svg: string; height: number } {
  const rowH = 20;
  let x = x0;
  let y = y0 + rowH / 2;
  const parts: string[] = [];
  for (const it of items) {
    const w = 20 + textWidth(it.label, LEGEND_SIZE) + 18;
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += rowH;
    }
    parts.push(`<g>${swatch(it, x, y)}${text(x + 20, y + 4, it.label, LEGEND_SIZE, `fill="${INK}"`)}</g>`);
    x += w;
  }
  return { svg: parts.join(""), height: y - y0 + rowH / 2 };
}

/** A horizontal color ramp with ticks; returns markup and height used. */
function rampRow(ramp: RampLegend, x0: number, y0: number): { svg: string; height: number } {
  const w = 240;
  const h = 10;
  const n = 48;
  const [d0, d1] = ramp.domain;
  const parts = [text(x0, y0 + 12, ramp.label, LEGEND_SIZE, `fill="${INK}"`)];
  const top = y0 + 18;
  for (let i = 0; i < n; i++) {
    const v = d0 + ((i + 0.5) / n) * (d1 - d0);
    parts.push(`<rect x="${r2(x0 + (i * w) / n)}" y="${top}" width="${r2(w / n + 0.5)}" height="${h}" fill="${ramp.color(v)}"/>`);
  }
  parts.push(`<rect x="${x0}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999" stroke-width="0.5"/>`);
  for (const t of ramp.ticks) {
    const x = x0 + ((t.value - d0) / (d1 - d0 || 1)) * w;
    parts.push(`<line x1="${r2(x)}" x2="${r2(x)}" y1="${top + h}" y2="${top + h + 4}" stroke="${INK}"/>`);
    parts.push(text(x, top + h + 15, t.label, 10.5, `text-anchor="middle" fill="${INK}"`));
  }
  return { svg: parts.join(""), height: 18 + h + 18 };
}

let titleSuffix = "";

/**
 * Run `f` with `suffix` appended to the title of every figure `figureSvg`
 * draws inside it (e.g. "(clean regime)" for a second row set of the same
 * experiment), so a figure set can be re-titled without threading an option
 * through every figure function. Synchronous only.
 */
export function withTitleSuffix<T>(suffix: string | undefined, f: () => T): T {
  const saved = titleSuffix;
  titleSuffix = suffix ? ` ${suffix}` : "";
  try {
    return f();
  } finally {
    titleSuffix = saved;
  }
}

/** Compose a standalone SVG figure from Plot panels (see the module comment). */
export function figureSvg(opts: FigureOptions): string {
  if (titleSuffix && !opts.title.endsWith(titleSuffix)) opts = { ...opts, title: opts.title + titleSuffix };
  const rows: PlotPanel[][] = opts.panels.length && Array.isArray(opts.panels[0]) ? (opts.panels as PlotPanel[][]) : [opts.panels as PlotPanel[]];
  const gap = opts.gap ?? 16;
  const rowWidth = (row: PlotPanel[]) => row.reduce((s, p) => s + p.width, 0) + gap * Math.max(0, row.length - 1);
  const inner = Math.max(opts.width ? opts.width - 2 * PAD : 0, ...rows.map(rowWidth), 360);
  const width = inner + 2 * PAD;
  const body: string[] = [];
  let y = PAD;
  for (const line of wrapText(opts.title, inner, TITLE_SIZE)) {
    y += TITLE_SIZE + 2;
    body.push(text(PAD, y, line, TITLE_SIZE, `font-weight="bold" fill="${INK}"`));
  }
  if (opts.subtitle) {
    for (const line of wrapText(opts.subtitle, inner, SUB_SIZE)) {
      y += SUB_SIZE + 4;
      body.push(text(PAD, y, line, SUB_SIZE, `fill="${MUTED}" class="data-line"`));
    }
  }
  y += 8;
  if (opts.legend?.length) {
    const l = legendRow(opts.legend, PAD, y, inner);
    body.push(`<g class="legend">${l.svg}</g>`);
    y += l.height + 6;
  }
  if (opts.ramp) {
    const r = rampRow(opts.ramp, PAD + (opts.ramp.inset ?? 0), y);
    body.push(`<g class="ramp">${r.svg}</g>`);
    y += r.height + 6;
  }
  const PANEL_TITLE = SUB_SIZE + 0.5;
  for (const row of rows) {
    const titles = row.map((p) => (p.title ? wrapText(p.title, p.width - 8, PANEL_TITLE) : []));
    const lines = Math.max(0, ...titles.map((t) => t.length));
    const titleH = lines ? lines * (PANEL_TITLE + 3) + 5 : 0;
    let x = PAD;
    for (const [j, p] of row.entries()) {
      titles[j].forEach((line, i) => body.push(text(x + 4, y + (i + 1) * (PANEL_TITLE + 3) - 1, line, PANEL_TITLE, `font-weight="bold" fill="${INK}"`)));
      body.push(p.svg.replace(/^<svg\b/, `<svg x="${r2(x)}" y="${r2(y + titleH)}"`));
      x += p.width + gap;
    }
    y += titleH + Math.max(...row.map((p) => p.height)) + gap / 2;
  }
  if (opts.caption) {
    y += 4;
    for (const line of wrapText(opts.caption, inner, CAPTION_SIZE)) {
      y += CAPTION_SIZE + 4;
      body.push(text(PAD, y, line, CAPTION_SIZE, `fill="${MUTED}" class="caption"`));
    }
  }
  const height = Math.ceil(y + PAD);
  return roundSvgNumbers(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${height}" viewBox="0 0 ${Math.ceil(width)} ${height}" style="${RESPONSIVE_STYLE}" font-family="${escapeXml(FONT_FAMILY)}">` +
      `<style>text, tspan { white-space: pre; }</style>` +
      `<rect width="100%" height="100%" fill="white"/>` +
      body.join("") +
      `</svg>\n`,
  );
}
