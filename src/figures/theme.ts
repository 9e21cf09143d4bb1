/**
 * Shared look of every figure: arm and polarity colors (Okabe–Ito, safe for
 * color-blind readers), labels, number formatting and the data caveat every
 * figure carries ("SYNTHETIC data with a known causal structure").
 */

/** One color per arm, the same in every figure (Okabe–Ito palette). */
export const ARM_COLORS: Readonly<Record<string, string>> = {
  baseline: "#7a7a7a",
  facr: "#0072B2",
  control: "#D55E00",
  permuted: "#E69F00",
  rrr: "#CC79A7",
  bottleneck: "#009E73",
  cbmSequential: "#56B4E9",
  cbmFacr: "#004D40",
  wrongG1: "#F0E442",
  wrongG2: "#B8860B",
  wrongG3: "#8B4513",
};

/**
 * Arm labels as in `ARM_LABELS` of src/experiments/arms.ts (copied so figures
 * load without TensorFlow.js; a test checks they agree).
 */
export const ARM_DISPLAY_LABELS: Readonly<Record<string, string>> = {
  baseline: "baseline (λ_cf = 0)",
  facr: "FACR (G)",
  control: "control (complement G′)",
  permuted: "control (random G_perm)",
  rrr: "RRR (input-gradient penalty)",
  bottleneck: "CBM joint (head reads z only)",
  cbmSequential: "CBM sequential",
  cbmFacr: "CBM + L_cf",
  wrongG1: "FACR on a wrong G (1 swap)",
  wrongG2: "FACR on a wrong G (2 swaps)",
  wrongG3: "FACR on a wrong G (3 swaps)",
};

const EXTRA_COLORS = ["#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

/** Color of an arm; arms not known here get the remaining palette colors in order. */
export function armColor(arm: string, arms: readonly string[] = []): string {
  if (ARM_COLORS[arm]) return ARM_COLORS[arm];
  const unknown = arms.filter((a) => !ARM_COLORS[a]);
  const i = Math.max(0, unknown.indexOf(arm));
  return EXTRA_COLORS[i % EXTRA_COLORS.length];
}

export function armLabel(arm: string): string {
  return ARM_DISPLAY_LABELS[arm] ?? arm;
}

/** Polarity colors: +1 green, −1 magenta, 0 blank. */
export const POLARITY_COLORS = { positive: "#1b9e77", negative: "#c51b7d", zero: "#ffffff" } as const;

/** Text color of ink and of secondary notes. */
export const INK = "#222222";
export const MUTED = "#666666";

/**
 * Inline style of every figure's root <svg>, beside its pixel width, height and
 * viewBox: where the SVG is inlined in a page (the classic notebook, a figure
 * file opened in a browser, the PNG raster) it shrinks to the width available
 * and keeps its aspect ratio, never growing past its own width. The pixel
 * attributes stay, so rasterisers and viewers that ignore CSS get the size the
 * figure was drawn at. JupyterLab shows image/svg+xml in an <img>, which takes
 * its size from the attributes only: `responsiveSvg` (src/notebook/display.ts)
 * rewrites the root for notebooks.
 */
export const RESPONSIVE_STYLE = "max-width:100%;height:auto";

/** Font used by every figure (resolves to DejaVu Sans on Debian). */
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif";

/** What a figure needs to know about the data behind it (a result's `data` field). */
export interface DataInfo {
  name: string;
  source?: string;
  synthetic?: boolean;
}

/**
 * The data line of a figure: the dataset's name and, for synthetic data, the
 * caveat that every number comes from an SCM with a known structure.
 */
export function dataLine(data: DataInfo): string {
  const synthetic = data.synthetic ?? data.source === "synthetic";
  if (synthetic) return `${data.name} — SYNTHETIC data with a known causal structure`;
  return data.source && data.source !== data.name ? `${data.name} (${data.source} data)` : data.name;
}

/** A finite number or NaN (result JSON writes NaN as null). */
export function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : NaN;
}

/** Fixed-point text, "–" for NaN. */
export function fmt(v: unknown, digits = 2): string {
  const x = num(v);
  if (Number.isNaN(x)) return "–";
  const s = x.toFixed(digits);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s.replace(/^-/, "−");
}

/** "0.99 [0.98, 1.00]" */
export function fmtInterval(iv: { estimate: unknown; lo: unknown; hi: unknown } | undefined, digits = 3): string {
  if (!iv) return "–";
  return `${fmt(iv.estimate, digits)} [${fmt(iv.lo, digits)}, ${fmt(iv.hi, digits)}]`;
}

/** Percent text, e.g. "11.5%". */
export function pct(v: unknown, digits = 1): string {
  const x = num(v);
  return Number.isNaN(x) ? "–" : `${(100 * x).toFixed(digits)}%`;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Short name of a graph from its provenance source, e.g. "PSPI (Prkachin & Solomon, 2008)" → "PSPI". */
export function shortGraphSource(source: string | undefined): string {
  if (!source) return "";
  const cut = source.indexOf(" (");
  return cut > 0 ? source.slice(0, cut) : source;
}

/** Label of a graph key of a result ("G", "G'", "prototypes"), given G's provenance. */
export function graphLabel(key: string, provenance?: { kind?: string; source?: string }): string {
  if (key === "G'") return "G′ (control graph)";
  if (key === "G@1") return "G, do(z := 1) (extrapolating)";
  if (key === "Gperm") return "G_perm (random control, per seed)";
  if (key === "Gtrain") return "the graph each arm trained on";
  if (key === "prototypes") return "FACS prototypes";
  if (key === "G") {
    if (provenance?.kind === "induced") return "G (induced)";
    return provenance?.source ? `G (${shortGraphSource(provenance.source)})` : "G (supplied structure)";
  }
  return key;
}
