/**
 * Figures of the data behind the experiments, as SVG strings: AU activation
 * shares (SynPain beside UNBC-McMaster's published shares), AU co-occurrence,
 * the PSPI histogram and class counts per domain (SynEmotion). Pure functions
 * of a Dataset or its summary; every figure names the data and, for synthetic
 * data, says so.
 */
import type { Dataset, DatasetSummary } from "../data/dataset";
import { figureSvg } from "./compose";
import { colorScale, Plot, renderPlot } from "./plot-svg";
import { dataLine, DataInfo, fmt, INK, pct } from "./theme";

/**
 * Share of frames with each AU present in UNBC-McMaster (Lucey et al., 2011),
 * the calibration targets of SynPain (see src/data/synpain.ts). AU27 is not
 * listed; PSPI > 0 in 17.3% of frames.
 */
export const UNBC_PUBLISHED_SHARES: Readonly<Record<string, number>> = {
  AU04: 0.022,
  AU06: 0.115,
  AU07: 0.07,
  AU09: 0.009,
  AU10: 0.011,
  AU12: 0.142,
  AU20: 0.015,
  AU25: 0.075,
  AU26: 0.049,
  AU43: 0.05,
};
export const UNBC_PSPI_POSITIVE_SHARE = 0.173;

const DATA_COLORS = { data: "#0072B2", reference: "#bbbbbb" };

/** What the share figure needs: a DatasetSummary satisfies it. */
export type ShareSummary = Pick<DatasetSummary, "name" | "source" | "auActiveShare"> & { pspiPositiveShare?: number; frames?: number };

/**
 * Share of frames in which each AU is active (intensity > 0), beside published
 * reference shares (default: UNBC-McMaster's, for the UNBC AUs), plus PSPI > 0.
 */
export function auShareFigure(summary: ShareSummary, opts: { reference?: Record<string, number>; referenceName?: string; referencePspi?: number; title?: string } = {}): string {
  const aus = Object.keys(summary.auActiveShare);
  const isUnbc = aus.some((a) => a in UNBC_PUBLISHED_SHARES);
  const reference = opts.reference ?? (isUnbc ? UNBC_PUBLISHED_SHARES : {});
  const refName = opts.referenceName ?? "UNBC-McMaster (published)";
  const refPspi = opts.referencePspi ?? (isUnbc ? UNBC_PSPI_POSITIVE_SHARE : undefined);
  const dataName = summary.source === "synthetic" ? "this data (synthetic)" : "this data";
  const rows: { item: string; who: string; share: number }[] = [];
  const items = [...aus, ...(summary.pspiPositiveShare !== undefined ? ["PSPI > 0"] : [])];
  for (const a of aus) {
    rows.push({ item: a, who: dataName, share: summary.auActiveShare[a] });
    if (reference[a] !== undefined) rows.push({ item: a, who: refName, share: reference[a] });
  }
  if (summary.pspiPositiveShare !== undefined) {
    rows.push({ item: "PSPI > 0", who: dataName, share: summary.pspiPositiveShare });
    if (refPspi !== undefined) rows.push({ item: "PSPI > 0", who: refName, share: refPspi });
  }
  const ok = rows.filter((r) => Number.isFinite(r.share));
  const who = [dataName, refName];
  const max = Math.max(0.05, ...ok.map((r) => r.share));
  const panel = renderPlot({
    width: 736,
    height: 300,
    marginLeft: 50,
    marginBottom: 40,
    marginTop: 16,
    fx: { domain: items, label: null, padding: 0.15 },
    x: { domain: who, axis: null },
    y: { domain: [0, (100 * Math.ceil(max * 20 + 0.5)) / 20], label: "frames with the AU active (%)", labelAnchor: "center", labelArrow: "none", percent: true, grid: true },
    color: { domain: who, range: [DATA_COLORS.data, DATA_COLORS.reference] },
    marks: [
      Plot.barY(ok, { fx: "item", x: "who", y: "share", fill: "who", className: "facr-share" } as Plot.BarYOptions),
      Plot.text(ok, { fx: "item", x: "who", y: "share", text: (d: { share: number }) => (100 * d.share).toFixed(1), dy: -6, fontSize: 8.5, fill: INK } as Plot.TextOptions),
      Plot.ruleY([0]),
    ],
  });
  const data: DataInfo = { name: summary.name, source: summary.source };
  return figureSvg({
    title: opts.title ?? "How often each AU is active",
    subtitle: dataLine(data),
    legend: [
      { label: dataName, color: DATA_COLORS.data },
      ...(Object.keys(reference).length ? [{ label: refName, color: DATA_COLORS.reference }] : []),
    ],
    panels: [panel],
    caption:
      `Share of frames with intensity > 0${summary.frames ? ` (${summary.frames.toLocaleString("en-US")} frames)` : ""}. ` +
      (Object.keys(reference).length ? `The reference shares are the calibration targets of the generator, not data it saw.` : "") +
      (Object.keys(reference).length && aus.some((a) => reference[a] === undefined) ? ` No published share for ${aus.filter((a) => reference[a] === undefined).join(", ")}.` : ""),
  });
}

/** AU × AU statistics of presence (intensity > 0) over frames. */
export function auCooccurrence(ds: Pick<Dataset, "aus" | "intensities" | "size">, measure: "joint" | "phi" = "phi"): { a: string; b: string; value: number }[] {
  const K = ds.aus.length;
  const N = ds.size;
  const on = new Float64Array(K);
  const both = new Float64Array(K * K);
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < K; a++) {
      if (!(ds.intensities[i * K + a] > 0)) continue;
      on[a]++;
      for (let b = 0; b < K; b++) if (ds.intensities[i * K + b] > 0) both[a * K + b]++;
    }
  }
  const out: { a: string; b: string; value: number }[] = [];
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      const pab = both[a * K + b] / N;
      const pa = on[a] / N;
      const pb = on[b] / N;
      const value = measure === "joint" ? pab : (pab - pa * pb) / Math.sqrt(pa * (1 - pa) * pb * (1 - pb));
      out.push({ a: ds.aus[a], b: ds.aus[b], value: Number.isFinite(value) ? value : NaN });
    }
  }
  return out;
}

/**
 * AU co-occurrence heatmap: φ (the correlation of presence indicators, default;
 * diagonal left blank) or the joint share of frames where both AUs are active.
 */
export function auCooccurrenceFigure(ds: Pick<Dataset, "aus" | "intensities" | "size" | "name" | "source">, opts: { measure?: "joint" | "phi"; title?: string } = {}): string {
  const measure = opts.measure ?? "phi";
  const cells = auCooccurrence(ds, measure).filter((c) => Number.isFinite(c.value) && (measure === "joint" || c.a !== c.b));
  const aus = [...ds.aus];
  const scale =
    measure === "phi"
      ? { type: "linear" as const, scheme: "rdbu" as const, domain: [-1, 1], reverse: true }
      : { type: "linear" as const, scheme: "blues" as const, domain: [0, Math.max(0.01, ...cells.map((c) => c.value))] };
  const color = colorScale(scale);
  const dom = scale.domain as [number, number];
  const cell = Math.min(46, Math.floor(640 / aus.length));
  const panel = renderPlot({
    width: 56 + cell * aus.length + 8,
    height: 34 + cell * aus.length + 8,
    marginLeft: 56,
    marginTop: 34,
    marginRight: 8,
    marginBottom: 8,
    x: { domain: aus, axis: "top", label: null, tickSize: 0, tickRotate: aus.length > 12 ? -45 : 0 },
    y: { domain: aus, label: null, tickSize: 0 },
    color: scale,
    marks: [
      Plot.cell(cells, { x: "b", y: "a", fill: "value", inset: 0.5, className: "facr-cooccurrence" } as Plot.CellOptions),
      Plot.text(cells, {
        x: "b",
        y: "a",
        text: (d: { value: number }) => (measure === "phi" ? fmt(d.value, 2) : (100 * d.value).toFixed(1)),
        fill: (d: { value: number }) => (Math.abs(d.value) > 0.55 * Math.max(Math.abs(dom[0]), Math.abs(dom[1])) ? "white" : INK),
        fontSize: aus.length > 12 ? 8 : 9.5,
      } as Plot.TextOptions),
    ],
  });
  const label = measure === "phi" ? "φ: correlation of AU presence (unitless)" : "frames with both AUs active (%)";
  const ticks = measure === "phi" ? [-1, -0.5, 0, 0.5, 1].map((v) => ({ value: v, label: fmt(v, 1) })) : [0, dom[1] / 2, dom[1]].map((v) => ({ value: v, label: pct(v, 1) }));
  return figureSvg({
    title: opts.title ?? "Which AUs occur together",
    subtitle: dataLine(ds),
    ramp: { label, color, domain: dom, ticks },
    panels: [panel],
    caption: measure === "phi" ? `φ between the presence (intensity > 0) of the row AU and the column AU over ${ds.size.toLocaleString("en-US")} frames; the diagonal is left blank.` : `Share of ${ds.size.toLocaleString("en-US")} frames with both AUs present (the diagonal is each AU's own share).`,
  });
}

/** Histogram of per-frame PSPI (0–16), frames per value with their share. */
export function pspiHistogramFigure(ds: Pick<Dataset, "name" | "source"> & { pspi?: ArrayLike<number> }, opts: { title?: string } = {}): string {
  if (!ds.pspi) throw new Error(`pspiHistogramFigure: ${ds.name} has no per-frame PSPI`);
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < ds.pspi.length; i++) {
    const v = ds.pspi[i];
    if (!Number.isFinite(v)) continue;
    counts.set(Math.round(v), (counts.get(Math.round(v)) ?? 0) + 1);
    n++;
  }
  const maxV = Math.max(16, ...counts.keys());
  const rows = Array.from({ length: maxV + 1 }, (_, v) => ({ pspi: v, frames: counts.get(v) ?? 0, share: (counts.get(v) ?? 0) / (n || 1) }));
  const positive = rows.filter((r) => r.pspi > 0).reduce((s, r) => s + r.frames, 0);
  const panel = renderPlot({
    width: 736,
    height: 300,
    marginLeft: 60,
    marginBottom: 42,
    x: { domain: rows.map((r) => r.pspi), label: "PSPI (0–16, sum of AU intensities)", labelAnchor: "center", labelArrow: "none", tickSize: 0 },
    y: { type: "log", domain: [0.5, Math.max(10, n) * 2], label: "frames (log scale)", labelAnchor: "center", labelArrow: "none", grid: true, ticks: logTicks(Math.max(10, n) * 2), tickFormat: "~s" },
    marks: [
      Plot.rectY(rows.filter((r) => r.frames > 0), { x: "pspi", y1: 0.5, y2: "frames", fill: (d: { pspi: number }) => (d.pspi > 0 ? "#D55E00" : "#999999"), className: "facr-pspi" } as Plot.RectYOptions),
      Plot.text(rows.filter((r) => r.frames > 0), { x: "pspi", y: "frames", text: (d: { share: number; frames: number }) => (d.share < 0.0005 ? `${d.frames} fr.` : pct(d.share, d.share < 0.01 ? 2 : 1)), dy: -7, fontSize: 9, fill: INK } as Plot.TextOptions),
    ],
    color: { type: "identity" },
  });
  return figureSvg({
    title: opts.title ?? "PSPI per frame",
    subtitle: dataLine(ds),
    legend: [
      { label: "no pain (PSPI = 0)", color: "#999999" },
      { label: "pain (PSPI > 0)", color: "#D55E00" },
    ],
    panels: [panel],
    caption: `PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43 over ${n.toLocaleString("en-US")} frames; PSPI > 0 in ${pct(positive / (n || 1), 1)} (UNBC-McMaster: ${pct(UNBC_PSPI_POSITIVE_SHARE, 1)}). Labels: share of frames ("fr.": frame counts below 0.05%).`,
  });
}

/** Powers of ten from 1 up to `max`. */
function logTicks(max: number): number[] {
  const out: number[] = [];
  for (let v = 1; v <= max; v *= 10) out.push(v);
  return out;
}

/** Class counts per domain (e.g. SynEmotion's source, target and graph source), as shares within each domain. */
export function classCountsFigure(domains: { domain: string; summary: Pick<DatasetSummary, "name" | "source" | "classCounts"> }[], opts: { title?: string; data?: DataInfo } = {}): string {
  const rows = domains.flatMap(({ domain, summary }) => {
    const counts = summary.classCounts ?? {};
    const total = Object.values(counts).reduce((s, v) => s + v, 0) || 1;
    return Object.entries(counts).map(([cls, n]) => ({ domain, cls, n, share: n / total }));
  });
  const classes = [...new Set(rows.map((r) => r.cls))];
  const names = domains.map((d) => d.domain);
  const palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"];
  const range = names.map((_, i) => palette[i % palette.length]);
  const panel = renderPlot({
    width: 736,
    height: 300,
    marginLeft: 50,
    marginBottom: 40,
    marginTop: 16,
    fx: { domain: classes, label: null, padding: 0.12 },
    x: { domain: names, axis: null },
    y: { label: "frames of the domain (%)", labelAnchor: "center", labelArrow: "none", percent: true, grid: true },
    color: { domain: names, range },
    marks: [
      Plot.barY(rows, { fx: "cls", x: "domain", y: "share", fill: "domain", title: (d: { n: number }) => `${d.n} frames`, className: "facr-class" } as Plot.BarYOptions),
      Plot.ruleY([0]),
    ],
  });
  const sizes = domains.map((d) => `${d.domain}: ${Object.values(d.summary.classCounts ?? {}).reduce((s, v) => s + v, 0).toLocaleString("en-US")}`).join(", ");
  const data = opts.data ?? { name: commonName(domains.map((d) => d.summary.name)), source: domains[0]?.summary.source };
  return figureSvg({
    title: opts.title ?? "Classes per domain",
    subtitle: dataLine(data),
    legend: names.map((n, i) => ({ label: n, color: range[i] })),
    panels: [panel],
    caption: `Share of each domain's labelled frames per class (frames: ${sizes}).`,
  });
}

/** "SynEmotion (profile paper, seed 1)" from "SynEmotion source (profile paper, seed 1)", "SynEmotion target (…)", …; else the names joined. */
function commonName(names: string[]): string {
  const parts = names.map((n) => n.match(/^(\S+)[^(]*(\(.*\))?$/));
  const first = parts[0];
  if (first && parts.every((p) => p && p[1] === first[1] && p[2] === first[2])) return first[2] ? `${first[1]} ${first[2]}` : first[1];
  return names.join("; ");
}
