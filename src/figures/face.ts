/**
 * Face drawings as SVG strings (pure functions, no DOM): a landmark face, an AU's
 * counterfactual pair (the same neutral face with the AU low vs high) and a
 * gallery of such pairs. Coordinates are rounded to 2 decimals so snapshots are
 * stable.
 *
 * Besides the landmark strokes a face can carry its appearance features as marks
 * whose opacity follows the feature's energy: glabella furrows, nasal-root
 * wrinkles, crow's feet, nasolabial furrows, forehead lines, chin-boss stipple, and
 * a dark mouth interior; the irises are drawn under the lids (clipped by the eye
 * outline), so eye opening and closure read at a glance.
 */
import { actionUnit, auMax } from "../au/registry";
import { APPEARANCE_FEATURES, expectedAppearance } from "../data/face/appearance";
import type { Identity } from "../data/face/identity";
import { FACE_POLYLINES_66, FACE_POLYLINES_68, to66, type FacePolyline } from "../data/face/layout";
import { canonicalShape } from "../data/face/render";
import { RESPONSIVE_STYLE } from "./theme";

/** Appearance features by name (missing ones are not drawn), or an array in APPEARANCE_FEATURES order. */
export type AppearanceInput = Readonly<Record<string, number>> | ArrayLike<number>;

export interface FaceSvgOptions {
  /** Landmark layout: 66 or 68 points (default: from the array length). */
  points?: 66 | 68;
  /** SVG width and height, pixels (default 240 × 280). */
  width?: number;
  height?: number;
  /** Title drawn above the face. */
  title?: string;
  /** Appearance features to draw as texture marks. */
  appearance?: AppearanceInput;
  /** A second shape (same layout) drawn faintly underneath, e.g. the neutral face. */
  ghost?: Float32Array;
  /** Draw the landmark points as dots (default false). */
  showPoints?: boolean;
  /** Draw irises clipped by the eye outlines (default true). */
  irises?: boolean;
  /** Prefix for clip-path ids; must be unique within one SVG document (default "face"). */
  idPrefix?: string;
}

const INK = "#222";
const GHOST = "#9ab";

/** Round to 2 decimals, without "-0". */
function r2(v: number): string {
  const x = Math.round(v * 100) / 100;
  return Object.is(x, -0) ? "0" : String(x);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Maps data coordinates (x right, y down) into the drawing. */
interface Fit {
  s: number;
  ox: number;
  oy: number;
}

function fitBox(shapes: readonly Float32Array[], x: number, y: number, w: number, h: number, pad: number): Fit {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of shapes) {
    for (let i = 0; i < p.length; i += 2) {
      if (!Number.isFinite(p[i]) || !Number.isFinite(p[i + 1])) continue;
      x0 = Math.min(x0, p[i]);
      x1 = Math.max(x1, p[i]);
      y0 = Math.min(y0, p[i + 1]);
      y1 = Math.max(y1, p[i + 1]);
    }
  }
  if (!Number.isFinite(x0)) return { s: 1, ox: x + w / 2, oy: y + h / 2 };
  // leave room above the brows for forehead lines (a quarter of the face height)
  const top = y0 - 0.25 * (y1 - y0) * 0.5;
  const s = Math.min((w - 2 * pad) / Math.max(x1 - x0, 1e-9), (h - 2 * pad) / Math.max(y1 - top, 1e-9));
  return { s, ox: x + w / 2 - (s * (x0 + x1)) / 2, oy: y + h / 2 - (s * (top + y1)) / 2 };
}

function layoutOf(points: Float32Array, declared?: 66 | 68): 66 | 68 {
  const n = declared ?? (points.length === 132 ? 66 : 68);
  if (points.length !== n * 2) throw new Error(`faceSvg: ${points.length} numbers do not make ${n} points × 2`);
  return n;
}

function appearanceValue(a: AppearanceInput | undefined, name: string): number | undefined {
  if (!a) return undefined;
  if (typeof (a as ArrayLike<number>).length === "number") {
    const i = (APPEARANCE_FEATURES as readonly string[]).indexOf(name);
    return (a as ArrayLike<number>)[i];
  }
  return (a as Readonly<Record<string, number>>)[name];
}

/** The elements of one face (no <svg> wrapper), drawn with `fit`. */
function faceElements(points: Float32Array, n: 66 | 68, fit: Fit, opts: FaceSvgOptions): string {
  const lines = n === 68 ? FACE_POLYLINES_68 : FACE_POLYLINES_66;
  const X = (i: number) => fit.ox + fit.s * points[2 * i];
  const Y = (i: number) => fit.oy + fit.s * points[2 * i + 1];
  const toPx = (x: number, y: number) => `${r2(fit.ox + fit.s * x)},${r2(fit.oy + fit.s * y)}`;
  const pathOf = (line: FacePolyline) => line.indices.map((i) => `${r2(X(i))},${r2(Y(i))}`).join(" ");
  const prefix = opts.idPrefix ?? "face";
  const out: string[] = [];

  if (opts.ghost) {
    const g = opts.ghost;
    const gx = (i: number) => `${r2(fit.ox + fit.s * g[2 * i])},${r2(fit.oy + fit.s * g[2 * i + 1])}`;
    for (const line of lines) {
      const tag = line.closed ? "polygon" : "polyline";
      out.push(`<${tag} points="${line.indices.map(gx).join(" ")}" fill="none" stroke="${GHOST}" stroke-width="1" stroke-dasharray="3 2"/>`);
    }
  }

  const mouth = lines.find((l) => l.name === "innerLips")!;
  const interior = appearanceValue(opts.appearance, "mouth_interior");
  const mouthFill = interior === undefined ? 0.85 : Math.min(1, 0.15 + interior);
  out.push(`<polygon points="${pathOf(mouth)}" fill="#3a1f1f" fill-opacity="${r2(mouthFill)}" stroke="none"/>`);

  if (opts.irises ?? true) out.push(irises(points, fit, prefix, lines));
  if (opts.appearance) out.push(textureMarks(points, toPx, opts.appearance));

  for (const line of lines) {
    const tag = line.closed ? "polygon" : "polyline";
    out.push(`<${tag} points="${pathOf(line)}" fill="none" stroke="${INK}" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>`);
  }
  if (opts.showPoints) {
    for (let i = 0; i < n; i++) out.push(`<circle cx="${r2(X(i))}" cy="${r2(Y(i))}" r="1.2" fill="#c33"/>`);
  }
  return out.join("\n");
}

/** Irises fixed relative to the eye corners (not the lids), clipped by each eye's outline. */
function irises(points: Float32Array, fit: Fit, prefix: string, lines: readonly FacePolyline[]): string {
  const P = (i: number): [number, number] => [points[2 * i], points[2 * i + 1]];
  const u = Math.hypot(P(45)[0] - P(36)[0], P(45)[1] - P(36)[1]);
  const out: string[] = [];
  for (const [name, a, b] of [
    ["rightEye", 36, 39],
    ["leftEye", 42, 45],
  ] as const) {
    const line = lines.find((l) => l.name === name)!;
    const id = `${prefix}-${name}`;
    const poly = line.indices.map((i) => `${r2(fit.ox + fit.s * points[2 * i])},${r2(fit.oy + fit.s * points[2 * i + 1])}`).join(" ");
    const cx = fit.ox + (fit.s * (P(a)[0] + P(b)[0])) / 2;
    const cy = fit.oy + fit.s * ((P(a)[1] + P(b)[1]) / 2 + 0.005 * u);
    out.push(
      `<clipPath id="${id}"><polygon points="${poly}"/></clipPath>`,
      `<g clip-path="url(#${id})"><circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(0.065 * u * fit.s)}" fill="#6b5a4a"/>` +
        `<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(0.028 * u * fit.s)}" fill="#111"/></g>`,
    );
  }
  return out.join("\n");
}

/** Wrinkle and furrow marks placed relative to the landmarks; opacity = the feature's energy (clipped to [0, 1]). */
function textureMarks(points: Float32Array, toPx: (x: number, y: number) => string, a: AppearanceInput): string {
  const P = (i: number): [number, number] => [points[2 * i], points[2 * i + 1]];
  const u = Math.hypot(P(45)[0] - P(36)[0], P(45)[1] - P(36)[1]);
  const out: string[] = [];
  const mark = (feature: string, d: string, width = 1.3) => {
    const v = appearanceValue(a, feature);
    // a faint trace at rest energies (≈ 0.1), fully dark at 1
    if (v === undefined) return;
    const opacity = Math.min(1, (v - 0.05) / 0.9);
    if (!(opacity > 0.02)) return;
    out.push(`<path d="${d}" fill="none" stroke="#7a3b2e" stroke-width="${width}" stroke-opacity="${r2(opacity)}" stroke-linecap="round"/>`);
  };
  const M = (x: number, y: number) => `M${toPx(x, y)}`;
  const L = (x: number, y: number) => `L${toPx(x, y)}`;
  const Q = (cx: number, cy: number, x: number, y: number) => `Q${toPx(cx, cy)} ${toPx(x, y)}`;

  const [bx, by] = [(P(21)[0] + P(22)[0]) / 2, (P(21)[1] + P(22)[1]) / 2];
  // glabella: two vertical furrows between the inner brows
  mark("glabella_furrows", [-1, 1].map((s) => M(bx + s * 0.035 * u, by - 0.05 * u) + L(bx + s * 0.025 * u, by + 0.07 * u)).join(" "));
  // nasal root: short horizontal creases across the top of the nose
  const [nx, ny] = P(27);
  const ny2 = P(28)[1];
  mark(
    "nasal_root_wrinkles",
    [0.2, 0.5, 0.8].map((t) => {
      const y = ny + t * (ny2 - ny);
      return M(nx - 0.06 * u, y) + Q(nx, y - 0.02 * u, nx + 0.06 * u, y);
    }).join(" "),
  );
  // crow's feet: three short lines fanning out of each outer eye corner
  for (const [corner, side] of [
    [36, -1],
    [45, 1],
  ] as const) {
    const [cx, cy] = P(corner);
    mark(
      "crows_feet",
      [-0.45, 0, 0.45]
        .map((ang) => M(cx + side * 0.05 * u, cy + Math.sin(ang) * 0.03 * u) + L(cx + side * (0.05 + 0.1 * Math.cos(ang)) * u, cy + Math.sin(ang) * 0.1 * u))
        .join(" "),
    );
  }
  // nasolabial furrows: from above the nose wing, bowing outward, to beside the mouth corner
  for (const [wing, corner, side] of [
    [31, 48, -1],
    [35, 54, 1],
  ] as const) {
    const [wx, wy] = P(wing);
    const [mx, my] = P(corner);
    const x0 = wx + side * 0.04 * u;
    const y0 = wy - 0.04 * u;
    const x1 = mx + side * 0.06 * u;
    const y1 = my + 0.02 * u;
    mark("nasolabial_furrow", M(x0, y0) + Q((x0 + x1) / 2 + side * 0.07 * u, (y0 + y1) / 2, x1, y1), 1.6);
  }
  // forehead: three horizontal lines above the brows
  const browTop = Math.min(P(19)[1], P(24)[1]);
  mark(
    "forehead_wrinkles",
    [0.08, 0.15, 0.22].map((dy) => {
      const y = browTop - dy * u;
      return M(bx - 0.3 * u, y + 0.01 * u) + Q(bx, y - 0.02 * u, bx + 0.3 * u, y + 0.01 * u);
    }).join(" "),
  );
  // dimples: short vertical creases just outside the mouth corners
  for (const [corner, side] of [
    [48, -1],
    [54, 1],
  ] as const) {
    const [mx, my] = P(corner);
    const x = mx + side * 0.035 * u;
    mark("dimples", M(x, my - 0.03 * u) + Q(x + side * 0.015 * u, my, x, my + 0.03 * u), 1.6);
  }
  // chin boss: stipple between the lower lip and the chin
  const [lx, ly] = P(57);
  const [chx, chy] = P(8);
  const cxm = (lx + chx) / 2;
  const cym = (ly + chy) / 2;
  mark(
    "chin_boss",
    [
      [-0.05, -0.02],
      [0, -0.03],
      [0.05, -0.02],
      [-0.03, 0.02],
      [0.03, 0.02],
      [0, 0.05],
    ]
      .map(([dx, dy]) => M(cxm + dx * u, cym + dy * u) + L(cxm + (dx + 0.012) * u, cym + dy * u))
      .join(" "),
    2,
  );
  return out.join("\n");
}

/** One face as a standalone SVG, fitted to the view box. */
export function faceSvg(points: Float32Array, opts: FaceSvgOptions = {}): string {
  const n = layoutOf(points, opts.points);
  const width = opts.width ?? 240;
  const height = opts.height ?? 280;
  const titleH = opts.title ? 22 : 0;
  const shapes = opts.ghost ? [points, opts.ghost] : [points];
  const fit = fitBox(shapes, 0, titleH, width, height - titleH, 12);
  const title = opts.title ? `<text x="${r2(width / 2)}" y="16" text-anchor="middle" font-family="sans-serif" font-size="13">${escapeXml(opts.title)}</text>\n` : "";
  return svgDoc(width, height, title + faceElements(points, n, fit, opts));
}

function svgDoc(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${r2(width)}" height="${r2(height)}" viewBox="0 0 ${r2(width)} ${r2(height)}" style="${RESPONSIVE_STYLE}">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}

export interface CounterfactualFaceOptions {
  /** The AU's low and high intensity (default 0 and its maximum: 5, or 1 for AU43/AU45). */
  lo?: number;
  hi?: number;
  /** SVG size, pixels (default 400 × 260). */
  width?: number;
  height?: number;
  /** Draw the low face faintly under the high one (default true). */
  ghost?: boolean;
  /** Draw appearance marks (default true). */
  appearance?: boolean;
  /** The identity to draw (default the neutral face). */
  identity?: Identity;
  /** Use the 66-point AAM layout (default 68). */
  points?: 66 | 68;
}

/** The elements of a counterfactual pair in a box at (x, y) of size w × h. */
function pairElements(au: string, x: number, y: number, w: number, h: number, opts: CounterfactualFaceOptions): string {
  const unit = actionUnit(au);
  const lo = opts.lo ?? 0;
  const hi = opts.hi ?? auMax(unit.code);
  const shapeAt = (v: number) => {
    const s = canonicalShape({ [unit.code]: v }, opts.identity);
    return opts.points === 66 ? to66(s) : s;
  };
  const n = opts.points ?? 68;
  const low = shapeAt(lo);
  const high = shapeAt(hi);
  const app = (v: number) => (opts.appearance ?? true ? expectedAppearance({ [unit.code]: v }, opts.identity?.appearance) : undefined);
  const titleH = 22;
  const labelH = 16;
  const half = w / 2;
  const fitL = fitBox([low, high], x, y + titleH, half, h - titleH - labelH, 8);
  const fitR = { s: fitL.s, ox: fitL.ox + half, oy: fitL.oy };
  const label = (cx: number, text: string) =>
    `<text x="${r2(cx)}" y="${r2(y + h - 4)}" text-anchor="middle" font-family="sans-serif" font-size="11" fill="#444">${escapeXml(text)}</text>`;
  const prefix = `cf-${unit.code}`;
  return [
    `<text x="${r2(x + w / 2)}" y="${r2(y + 15)}" text-anchor="middle" font-family="sans-serif" font-size="13" font-weight="bold">${escapeXml(`${unit.code} ${unit.name}: ${lo} vs ${hi}`)}</text>`,
    faceElements(low, n, fitL, { appearance: app(lo), idPrefix: `${prefix}-lo` }),
    faceElements(high, n, fitR, { appearance: app(hi), idPrefix: `${prefix}-hi`, ghost: opts.ghost ?? true ? low : undefined }),
    label(x + half / 2, `${unit.code} = ${lo}`),
    label(x + half + half / 2, `${unit.code} = ${hi}`),
  ].join("\n");
}

/**
 * The same face (neutral, canonical, no noise) twice side by side, the AU low vs
 * high, titled e.g. "AU04 Brow Lowerer: 0 vs 5". Unknown AUs throw, naming the code.
 */
export function counterfactualFaceSvg(au: string, opts: CounterfactualFaceOptions = {}): string {
  const width = opts.width ?? 400;
  const height = opts.height ?? 260;
  return svgDoc(width, height, pairElements(au, 0, 0, width, height, opts));
}

export interface GalleryOptions extends CounterfactualFaceOptions {
  /** Pairs per row (default 4). */
  columns?: number;
}

/** A grid of counterfactual pairs, one per AU, in the given order. */
export function auGallerySvg(aus: readonly string[], opts: GalleryOptions = {}): string {
  const columns = Math.max(1, Math.min(opts.columns ?? 4, aus.length || 1));
  const w = opts.width ?? 400;
  const h = opts.height ?? 260;
  const rows = Math.ceil(aus.length / columns);
  const cells = aus.map((au, i) => {
    const x = (i % columns) * w;
    const y = Math.floor(i / columns) * h;
    return `<rect x="${r2(x + 2)}" y="${r2(y + 2)}" width="${r2(w - 4)}" height="${r2(h - 4)}" fill="none" stroke="#ddd"/>\n` + pairElements(au, x, y, w, h, opts);
  });
  return svgDoc(columns * w, rows * h, cells.join("\n"));
}
