/**
 * Headless Debian Chromium driven by playwright-core, for the static images of
 * Plotly figures (and PNG versions of SVG figures). Plotly.js is loaded into
 * the page from node_modules and every network request is aborted: rendering
 * never touches the network. One browser serves many figures.
 *
 * `npx playwright install` cannot work on our machines; the browser is the
 * Debian package (`apt-get install chromium`, done by the Makefile). Set
 * FACR_CHROMIUM to use another Chromium executable.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BrowserContext, Page } from "playwright-core";

/**
 * The parts of a Plotly figure the renderer reads (src/figures/plotly.ts's
 * `PlotlyFigure` satisfies it): kept structural so that this module sits
 * below figures/.
 */
export interface PlotlyFigureSpec {
  data: readonly unknown[];
  layout: { width?: unknown; height?: unknown; [key: string]: unknown };
  config?: Record<string, unknown>;
}

/** Where Chromium is looked for, in order (after FACR_CHROMIUM). */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Flags for a quiet, offline, sandbox-free headless run (containers have no user namespaces). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Raised when no Chromium executable is found; the message names the fix. */
export class ChromiumMissingError extends Error {
  constructor(looked: string[]) {
    super(
      `Chromium not found (looked for ${looked.join(", ")}). Static images of Plotly figures are rendered in headless Chromium: ` +
        `install it with \`apt-get install chromium\` (Debian), or set FACR_CHROMIUM to a Chromium executable.`,
    );
    this.name = "ChromiumMissingError";
  }
}

/** The Chromium executable to use, or null when there is none. */
export function chromiumPath(): string | null {
  const env = process.env.FACR_CHROMIUM;
  const candidates = env ? [env] : CHROMIUM_CANDIDATES;
  return candidates.find((p) => isExecutable(p)) ?? null;
}

/** The Chromium executable, or a ChromiumMissingError naming the fix. */
export function requireChromium(): string {
  const p = chromiumPath();
  if (!p) throw new ChromiumMissingError(process.env.FACR_CHROMIUM ? [process.env.FACR_CHROMIUM] : CHROMIUM_CANDIDATES);
  return p;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A static image: PNG bytes or SVG markup. */
export type RenderedImage = { format: "png"; data: Buffer } | { format: "svg"; data: string };

export interface PlotlyImageOptions {
  format?: "png" | "svg";
  /** Pixels; default: the figure's layout.width / height, else 800 × 450. */
  width?: number;
  height?: number;
  /** PNG pixel density (default 2: sharp on screens and in print at page width). */
  scale?: number;
}

export interface ChromiumLaunchOptions {
  executablePath?: string;
  /** Per-action timeout, ms (default 60 000). */
  timeoutMs?: number;
  /** Device pixel ratio of SVG screenshots (default 2). */
  deviceScaleFactor?: number;
}

/** One headless browser with a fresh profile, removed on close. */
export class ChromiumRenderer {
  private plotlyPage: Page | null = null;

  private constructor(
    private readonly context: BrowserContext,
    private readonly profileDir: string,
    private readonly timeoutMs: number,
  ) {}

  static async launch(opts: ChromiumLaunchOptions = {}): Promise<ChromiumRenderer> {
    const executablePath = opts.executablePath ?? requireChromium();
    const { chromium } = await import("playwright-core");
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-chromium-"));
    try {
      const context = await chromium.launchPersistentContext(profileDir, {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        deviceScaleFactor: opts.deviceScaleFactor ?? 2,
        offline: true,
      });
      // nothing may leave the machine: pages are built from strings and local files
      await context.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
      return new ChromiumRenderer(context, profileDir, opts.timeoutMs ?? 60_000);
    } catch (err) {
      fs.rmSync(profileDir, { recursive: true, force: true });
      throw err;
    }
  }

  private async newPage(): Promise<Page> {
    const page = await this.context.newPage();
    page.setDefaultTimeout(this.timeoutMs);
    return page;
  }

  /** A page with plotly.js (from node_modules) loaded, reused across figures. */
  private async plotly(): Promise<Page> {
    if (this.plotlyPage) return this.plotlyPage;
    const page = await this.newPage();
    await page.setContent("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
    await page.addScriptTag({ content: fs.readFileSync(require.resolve("plotly.js-dist"), "utf8") });
    this.plotlyPage = page;
    return page;
  }

  /** Render one Plotly figure to PNG or SVG with Plotly.toImage. */
  async renderPlotly(fig: PlotlyFigureSpec, opts: PlotlyImageOptions = {}): Promise<RenderedImage> {
    const page = await this.plotly();
    const format = opts.format ?? "png";
    const width = opts.width ?? numberOr(fig.layout.width, 800);
    const height = opts.height ?? numberOr(fig.layout.height, 450);
    const clean = JSON.parse(JSON.stringify({ data: fig.data, layout: fig.layout, config: fig.config ?? {} }));
    const url: string = await page.evaluate(
      ({ f, o }) => (globalThis as unknown as { Plotly: { toImage(fig: unknown, o: unknown): Promise<string> } }).Plotly.toImage(f, o),
      { f: clean, o: { format, width, height, scale: format === "png" ? opts.scale ?? 2 : 1 } },
    );
    const comma = url.indexOf(",");
    if (format === "png") return { format, data: Buffer.from(url.slice(comma + 1), "base64") };
    const body = url.slice(comma + 1);
    return { format, data: url.slice(0, comma).endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body) };
  }

  /** Rasterise an SVG string (e.g. an Observable Plot figure) to PNG at the device scale factor. */
  async svgToPng(svg: string): Promise<Buffer> {
    const page = await this.newPage();
    try {
      const w = Number(/\bwidth="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 800);
      const h = Number(/\bheight="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 600);
      await page.setViewportSize({ width: Math.ceil(w), height: Math.ceil(h) });
      await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:white}</style></head><body>${svg}</body></html>`);
      return await page.locator("svg").first().screenshot({ omitBackground: false });
    } finally {
      await page.close();
    }
  }

  /** Print an HTML document (self-contained: images as data: URLs) to an A4 PDF. */
  async htmlToPdf(html: string): Promise<Buffer> {
    const page = await this.newPage();
    try {
      await page.setContent(html, { waitUntil: "load" });
      return await page.pdf({ format: "A4", printBackground: true, margin: { top: "18mm", bottom: "18mm", left: "16mm", right: "16mm" } });
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      fs.rmSync(this.profileDir, { recursive: true, force: true });
    }
  }
}

/** Run `fn` with one browser, closed afterwards whatever happens. */
export async function withChromium<T>(fn: (r: ChromiumRenderer) => Promise<T>, opts: ChromiumLaunchOptions = {}): Promise<T> {
  const r = await ChromiumRenderer.launch(opts);
  try {
    return await fn(r);
  } finally {
    await r.close();
  }
}

function numberOr(v: unknown, d: number): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : d;
}
