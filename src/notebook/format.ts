/**
 * Formatting for the notebooks' tables and sentences, one definition each, so
 * the notebooks agree on digits and on what a missing value looks like: every
 * helper prints "n/a" for null, undefined and non-finite numbers (NaN, ±∞).
 *
 * Digits: three for estimates and CIs (κ, AUC, F1: the claims table's
 * precision), two where a notebook passes 2 (graph comparisons, perplexities,
 * per-class fidelity), percentages without decimals unless asked.
 */
import { ARM_DISPLAY_LABELS } from "../figures/theme";
import type { Interval } from "../util/bootstrap";

type Num = number | null | undefined;

const finite = (v: Num): v is number => typeof v === "number" && Number.isFinite(v);

/** `v` with `digits` decimals (default 3), or "n/a". */
export function fx(v: Num, digits = 3): string {
  return finite(v) ? v.toFixed(digits) : "n/a";
}

/** "estimate [lo, hi]" with `digits` decimals (default 3), or "n/a" without an interval. */
export function ci(v: Interval | null | undefined, digits = 3): string {
  return v ? `${fx(v.estimate, digits)} [${fx(v.lo, digits)}, ${fx(v.hi, digits)}]` : "n/a";
}

/** A share as a percentage with `digits` decimals (default 0): 0.256 → "26%", or "n/a". */
export function pct(v: Num, digits = 0): string {
  return finite(v) ? `${(100 * v).toFixed(digits)}%` : "n/a";
}

/** Where an interval sits relative to 0: "above 0" (lo > 0), "below 0" (hi < 0), else "includes 0"; "n/a" without one. */
export function side(v: Interval | null | undefined): "above 0" | "below 0" | "includes 0" | "n/a" {
  if (!v || !Number.isFinite(v.lo) || !Number.isFinite(v.hi)) return "n/a";
  return v.lo > 0 ? "above 0" : v.hi < 0 ? "below 0" : "includes 0";
}

/** A number with its sign, a true minus for negatives and `digits` decimals (default 2): 0.5 → "+0.50", −1.234 → "−1.23". */
export function signed(x: Num, digits = 2): string {
  return finite(x) ? `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}` : "n/a";
}

/** An arm's display label ("facr" → "FACR (G)", the figures' labels), or the name itself when it is not an arm. */
export function armLabel(name: string): string {
  return Object.prototype.hasOwnProperty.call(ARM_DISPLAY_LABELS, name) ? ARM_DISPLAY_LABELS[name] : name;
}

/** Display names of the verbalizer's LM backbones. */
export const BACKBONE_LABELS: Readonly<Record<string, string>> = { gru: "GRU", transformer: "Transformer" };

/** A backbone's display label ("gru" → "GRU"), or the name itself. */
export function backboneLabel(name: string): string {
  return Object.prototype.hasOwnProperty.call(BACKBONE_LABELS, name) ? BACKBONE_LABELS[name] : name;
}

/** A pair key of `result.differences` for a table: "facr-baseline" → "facr − baseline". */
export function pairLabel(pair: string): string {
  return pair.replace("-", " − ");
}

/** The arithmetic mean (NaN for no values). */
export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : NaN;
}

/** Escape text for HTML (&, <, >). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
