import type { AuditReport } from "./types";

/**
 * The audit report's figures as small hand-written SVG (no DOM, no external
 * resource; embeddable in the self-contained HTML report and in notebooks).
 */
export interface AuditFigure {
  name: string;
  svg: string;
  caption: string;
}

const FONT = `font-family="system-ui,-apple-system,'Segoe UI',sans-serif"`;
const CAUSAL = "#1a7f37";
const OTHER = "#d97706";
const MISSED = "#c8d9cc";
const CLASS_COLORS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const r2 = (v: number) => Math.round(v * 100) / 100;

/** Mean |Δ[i,k,ĉ]| per AU, green where G marks the AU causal for most predictions; τ dashed. */
export function effectBarsSvg(r: AuditReport): string {
  const rows = r.perAu;
  const W = 640;
  const left = 56;
  const barH = 16;
  const top = 34;
  const H = top + rows.length * (barH + 4) + 34;
  const maxV = Math.max(r.tau * 1.2, ...rows.map((a) => (Number.isFinite(a.meanAbsEffect) ? a.meanAbsEffect : 0)));
  const x = (v: number) => left + (v / maxV) * (W - left - 70);
  const bars = rows
    .map((a, j) => {
      const y = top + j * (barH + 4);
      const v = Number.isFinite(a.meanAbsEffect) ? a.meanAbsEffect : 0;
      const color = a.causalShare >= 0.5 ? CAUSAL : OTHER;
      return (
        `<text x="${left - 6}" y="${r2(y + barH - 4)}" text-anchor="end" font-size="11">${esc(a.au)}</text>` +
        `<rect x="${left}" y="${y}" width="${r2(Math.max(0.5, x(v) - left))}" height="${barH}" fill="${color}"/>` +
        `<text x="${r2(x(v) + 4)}" y="${r2(y + barH - 4)}" font-size="10" fill="#444">${v.toFixed(2)}</text>`
      );
    })
    .join("");
  const yEnd = top + rows.length * (barH + 4);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>` +
    `<text x="0" y="16" font-size="13" font-weight="600">Mean |Δ| per AU on the predicted class (nats of log-odds)</text>` +
    bars +
    `<line x1="${r2(x(r.tau))}" x2="${r2(x(r.tau))}" y1="${top - 4}" y2="${yEnd}" stroke="#333" stroke-dasharray="4 3"/>` +
    `<text x="${r2(x(r.tau))}" y="${yEnd + 14}" font-size="10" text-anchor="middle">τ = ${r.tau}</text>` +
    `<rect x="${left}" y="${H - 14}" width="10" height="10" fill="${CAUSAL}"/><text x="${left + 14}" y="${H - 5}" font-size="10">causal in G for most predictions</text>` +
    `<rect x="${left + 200}" y="${H - 14}" width="10" height="10" fill="${OTHER}"/><text x="${left + 214}" y="${H - 5}" font-size="10">irrelevant in G for most predictions</text>` +
    `</svg>`
  );
}

/** Evenly spaced frame indices, at most `max`. */
function sampleFrames(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, j) => Math.floor((j * n) / max));
}

/** Frames × AUs: invoked and causal (green), invoked but irrelevant (orange), causal but not invoked (pale). */
export function invokedMatrixSvg(r: AuditReport, maxFrames = 300): string {
  const aus = r.graph.aus;
  const idx = sampleFrames(r.frames.length, maxFrames);
  const left = 56;
  const top = 30;
  const cellH = 12;
  const plotW = 580;
  const cw = plotW / Math.max(1, idx.length);
  const H = top + aus.length * cellH + 36;
  const W = left + plotW + 10;
  const cells: string[] = [];
  idx.forEach((i, col) => {
    const f = r.frames[i];
    const inv = new Map(f.invoked.map((a) => [a.au, a]));
    const classIndex = r.graph.classes.indexOf(f.predicted);
    aus.forEach((au, k) => {
      const a = inv.get(au);
      const causal = graphCausal(r, k, classIndex);
      const fill = a ? (a.polarity !== 0 ? CAUSAL : OTHER) : causal ? MISSED : null;
      if (fill) cells.push(`<rect x="${r2(left + col * cw)}" y="${top + k * cellH}" width="${r2(Math.max(cw, 0.6))}" height="${cellH - 1}" fill="${fill}"/>`);
    });
  });
  const labels = aus.map((au, k) => `<text x="${left - 6}" y="${top + k * cellH + cellH - 3}" text-anchor="end" font-size="10">${esc(au)}</text>`).join("");
  const yl = top + aus.length * cellH;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>` +
    `<text x="0" y="16" font-size="13" font-weight="600">Invoked AUs per frame${idx.length < r.frames.length ? ` (${idx.length} of ${r.frames.length} frames, evenly spaced)` : ""}</text>` +
    `<rect x="${left}" y="${top}" width="${plotW}" height="${aus.length * cellH}" fill="none" stroke="#ddd"/>` +
    labels +
    cells.join("") +
    `<text x="${left}" y="${yl + 12}" font-size="10" fill="#555">frame →</text>` +
    `<rect x="${left}" y="${H - 14}" width="10" height="10" fill="${CAUSAL}"/><text x="${left + 14}" y="${H - 5}" font-size="10">invoked, causal in G</text>` +
    `<rect x="${left + 140}" y="${H - 14}" width="10" height="10" fill="${OTHER}"/><text x="${left + 154}" y="${H - 5}" font-size="10">invoked, irrelevant in G</text>` +
    `<rect x="${left + 290}" y="${H - 14}" width="10" height="10" fill="${MISSED}"/><text x="${left + 304}" y="${H - 5}" font-size="10">causal in G, not invoked</text>` +
    `</svg>`
  );
}

const causalCache = new WeakMap<AuditReport, Set<number>[]>();

/** Is AU k causal (G[k][c] ≠ 0) for class c? */
function graphCausal(r: AuditReport, k: number, c: number): boolean {
  let sets = causalCache.get(r);
  if (!sets) {
    sets = r.graph.classes.map((_, j) => new Set(r.graph.polarity.flatMap((row, kk) => (row[j] !== 0 ? [kk] : []))));
    causalCache.set(r, sets);
  }
  return sets[c]?.has(k) ?? false;
}

/** Predicted class per frame (color) and its probability (height). */
export function predictionSvg(r: AuditReport, maxFrames = 1500): string {
  const idx = sampleFrames(r.frames.length, maxFrames);
  const left = 40;
  const top = 28;
  const plotW = 590;
  const plotH = 90;
  const W = left + plotW + 10;
  const H = top + plotH + 44;
  const cw = plotW / Math.max(1, idx.length);
  const bars = idx
    .map((i, col) => {
      const f = r.frames[i];
      const c = r.graph.classes.indexOf(f.predicted);
      const h = f.probability * plotH;
      return `<rect x="${r2(left + col * cw)}" y="${r2(top + plotH - h)}" width="${r2(Math.max(cw, 0.6))}" height="${r2(h)}" fill="${CLASS_COLORS[c % CLASS_COLORS.length]}"/>`;
    })
    .join("");
  const used = r.graph.classes.map((c, j) => ({ c, j })).filter(({ c }) => (r.predictedCounts[c] ?? 0) > 0);
  const legend = used
    .map(({ c, j }, n) => `<rect x="${left + n * 110}" y="${H - 14}" width="10" height="10" fill="${CLASS_COLORS[j % CLASS_COLORS.length]}"/><text x="${left + n * 110 + 14}" y="${H - 5}" font-size="10">${esc(c)}</text>`)
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>` +
    `<text x="0" y="16" font-size="13" font-weight="600">Predicted class and its probability per frame${idx.length < r.frames.length ? ` (${idx.length} of ${r.frames.length} frames)` : ""}</text>` +
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#999"/>` +
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end" font-size="10">1</text><text x="${left - 4}" y="${top + plotH}" text-anchor="end" font-size="10">0</text>` +
    bars +
    `<text x="${left}" y="${top + plotH + 14}" font-size="10" fill="#555">frame →</text>` +
    legend +
    `</svg>`
  );
}

export function auditFigures(r: AuditReport): AuditFigure[] {
  return [
    { name: "audit-effects", svg: effectBarsSvg(r), caption: "How far a do-intervention on each AU moves the predicted class's log-odds, averaged over frames. Dashed: the invocation threshold τ." },
    { name: "audit-invoked", svg: invokedMatrixSvg(r), caption: "Which AUs each frame's prediction invokes (|Δ| ≥ τ), against the AUs G marks causal for that prediction." },
    { name: "audit-predictions", svg: predictionSvg(r), caption: "The reasoner's prediction per frame, colored by class, height = its probability." },
  ];
}
