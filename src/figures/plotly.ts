/**
 * Plotly figures as plain data (`{ data, layout }`, what plotly.js and
 * JupyterLab's plotly renderer read), their Jupyter MIME bundle, and static
 * PNG/SVG versions rendered in headless Chromium (./chromium).
 */
import { ChromiumRenderer, PlotlyImageOptions, RenderedImage, withChromium, ChromiumLaunchOptions } from "../util/chromium";

/** A Plotly axis; the fields we use are typed, anything else plotly.js accepts passes through. */
export interface PlotlyAxis {
  title?: { text: string; standoff?: number };
  type?: "linear" | "log" | "category";
  range?: [number, number];
  domain?: [number, number];
  autorange?: boolean | "reversed";
  tickvals?: (number | string)[];
  ticktext?: string[];
  zeroline?: boolean;
  [key: string]: unknown;
}

/** One trace (scatter, bar, heatmap, …). */
export interface PlotlyTrace {
  type: "scatter" | "bar" | "heatmap" | (string & {});
  name?: string;
  x?: readonly (number | string | null)[];
  y?: readonly (number | string | null)[];
  z?: readonly (readonly (number | null)[])[];
  mode?: string;
  xaxis?: string;
  yaxis?: string;
  marker?: Record<string, unknown>;
  line?: Record<string, unknown>;
  error_x?: Record<string, unknown>;
  error_y?: Record<string, unknown>;
  hovertemplate?: string;
  legendgroup?: string;
  showlegend?: boolean;
  [key: string]: unknown;
}

export interface PlotlyLayout {
  title?: { text: string; x?: number; xanchor?: string; font?: Record<string, unknown> };
  width?: number;
  height?: number;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  xaxis?: PlotlyAxis;
  yaxis?: PlotlyAxis;
  annotations?: Record<string, unknown>[];
  shapes?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: PlotlyLayout;
  config?: Record<string, unknown>;
}

/** The MIME type JupyterLab's plotly renderer draws. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Jupyter display_data bundle: MIME type → payload (binary images base64-encoded). */
export type MimeBundle = Record<string, string | object>;

/** The figure's title text without HTML tags, for text/plain. */
export function plotlyTitle(fig: PlotlyFigure): string {
  return (fig.layout.title?.text ?? "Plotly figure").replace(/<br\s*\/?>/gi, " — ").replace(/<[^>]+>/g, "");
}

/**
 * The MIME bundle of a Plotly figure: the figure JSON for JupyterLab's plotly
 * renderer, the static image (when given) for every other front end and for
 * executed notebooks viewed elsewhere, and a text/plain description.
 */
export function plotlyMimeBundle(fig: PlotlyFigure, staticImage?: RenderedImage): MimeBundle {
  // a JSON round trip drops undefined and turns NaN into null, as the Jupyter wire format will
  const bundle: MimeBundle = { [PLOTLY_MIME]: JSON.parse(JSON.stringify({ data: fig.data, layout: fig.layout, config: fig.config ?? {} })) };
  if (staticImage?.format === "png") bundle["image/png"] = staticImage.data.toString("base64");
  if (staticImage?.format === "svg") bundle["image/svg+xml"] = staticImage.data;
  bundle["text/plain"] = `${plotlyTitle(fig)} (Plotly figure: interactive where the plotly renderer is installed${staticImage ? "; static image otherwise" : ""})`;
  return bundle;
}

export interface RenderPlotlyOptions extends PlotlyImageOptions, ChromiumLaunchOptions {
  /** Reuse this browser instead of launching one. */
  renderer?: ChromiumRenderer;
}

/**
 * Render Plotly figures to PNG or SVG in one headless Chromium. Throws
 * ChromiumMissingError (naming `apt-get install chromium`) when there is no
 * browser; check `chromiumPath()` first to fall back instead.
 */
export async function renderPlotly(figs: PlotlyFigure[], opts: RenderPlotlyOptions = {}): Promise<RenderedImage[]> {
  const run = async (r: ChromiumRenderer) => {
    const out: RenderedImage[] = [];
    for (const f of figs) out.push(await r.renderPlotly(f, opts));
    return out;
  };
  return opts.renderer ? run(opts.renderer) : withChromium(run, opts);
}
