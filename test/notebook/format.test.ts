import { describe, expect, it } from "vitest";
import { armLabel, backboneLabel, ci, escapeHtml, fx, mean, pairLabel, pct, side, signed } from "../../src/notebook/format";

const iv = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, dropped: 0 });

describe("notebook format helpers (worked by hand)", () => {
  it("fx: fixed decimals, 3 by default, n/a for missing and non-finite", () => {
    expect(fx(0.12345)).toBe("0.123");
    expect(fx(0.12345, 2)).toBe("0.12");
    expect(fx(2, 1)).toBe("2.0");
    expect(fx(-0.0004)).toBe("-0.000");
    for (const v of [null, undefined, NaN, Infinity, -Infinity]) expect(fx(v)).toBe("n/a");
  });

  it("ci: estimate [lo, hi], 3 decimals by default", () => {
    expect(ci(iv(0.5, 0.25, 0.75))).toBe("0.500 [0.250, 0.750]");
    expect(ci(iv(0.5, 0.25, 0.75), 2)).toBe("0.50 [0.25, 0.75]");
    expect(ci(iv(0.5, NaN, 0.75))).toBe("0.500 [n/a, 0.750]");
    expect(ci(undefined)).toBe("n/a");
    expect(ci(null)).toBe("n/a");
  });

  it("pct: a share in percent, no decimals by default", () => {
    expect(pct(0.256)).toBe("26%");
    expect(pct(0.256, 1)).toBe("25.6%");
    expect(pct(1)).toBe("100%");
    expect(pct(NaN)).toBe("n/a");
    expect(pct(undefined, 1)).toBe("n/a");
  });

  it("side: where the interval sits relative to 0 (bounds at 0 count as including it)", () => {
    expect(side(iv(0.2, 0.1, 0.3))).toBe("above 0");
    expect(side(iv(-0.2, -0.3, -0.1))).toBe("below 0");
    expect(side(iv(0, -0.1, 0.1))).toBe("includes 0");
    expect(side(iv(0.1, 0, 0.2))).toBe("includes 0");
    expect(side(iv(-0.1, -0.2, 0))).toBe("includes 0");
    expect(side(iv(0.1, NaN, 0.2))).toBe("n/a");
    expect(side(undefined)).toBe("n/a");
  });

  it("signed: explicit sign, a true minus, 2 decimals by default", () => {
    expect(signed(0.5)).toBe("+0.50");
    expect(signed(0)).toBe("+0.00");
    expect(signed(-1.234)).toBe("−1.23");
    expect(signed(-1.234, 1)).toBe("−1.2");
    expect(signed(NaN)).toBe("n/a");
  });

  it("labels: arms and backbones by name, anything else as given", () => {
    expect(armLabel("facr")).toBe("FACR (G)");
    expect(armLabel("baseline")).toBe("baseline (λ_cf = 0)");
    expect(armLabel("other")).toBe("other");
    expect(armLabel("constructor")).toBe("constructor");
    expect(backboneLabel("gru")).toBe("GRU");
    expect(backboneLabel("lstm")).toBe("lstm");
    expect(pairLabel("facr-baseline")).toBe("facr − baseline");
  });

  it("mean and escapeHtml", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
    expect(escapeHtml("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
  });
});
