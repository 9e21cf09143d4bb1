import { afterEach, describe, expect, it, vi } from "vitest";
import { tauSweepPlotly } from "../../src/figures/arms-plotly";
import { chromiumPath } from "../../src/util/chromium";
import { PLOTLY_MIME } from "../../src/figures/plotly";
import { armSummaryTable } from "../../src/figures/tables";
import { decimalColumns, MimeBundle, setDisplaySink, showBundle, showHtml, showMarkdown, showPlotly, showSvg, showTable, svgTitle, tableBundle } from "../../src/notebook/display";
import { fakePspiResult } from "./fixtures";

const haveChromium = chromiumPath() !== null;

afterEach(() => setDisplaySink(null));

function collect(): MimeBundle[] {
  const got: MimeBundle[] = [];
  setDisplaySink((b) => got.push(b));
  return got;
}

describe("notebook display helpers", () => {
  it("send SVG, HTML and Markdown as bundles with a text/plain part", () => {
    const got = collect();
    showSvg('<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2" font-weight="bold">Agreement &amp; more</text></svg>');
    showHtml("<b>bold</b> &amp; plain");
    showMarkdown("# Title");
    expect(got.map((b) => Object.keys(b).sort())).toEqual([
      ["image/svg+xml", "text/plain"],
      ["text/html", "text/plain"],
      ["text/markdown", "text/plain"],
    ]);
    expect(got[0]["text/plain"]).toBe("[figure] Agreement & more");
    expect(got[1]["text/plain"]).toBe("bold & plain");
    expect(svgTitle("<svg></svg>")).toBe("figure");
  });

  it("tables: HTML with caption and right-aligned numbers, an aligned text version, digits honoured", () => {
    const rows = [
      { arm: "facr", kappa: 0.98765, n: 3 },
      { arm: "baseline <b>", kappa: NaN, n: 12 },
    ];
    const b = tableBundle(rows, { caption: "SYNTHETIC data", digits: 2 });
    const html = String(b["text/html"]);
    expect(html).toContain("<caption");
    expect(html).toContain("SYNTHETIC data");
    expect(html).toContain("baseline &lt;b&gt;");
    expect(html).toContain('<td style="text-align:right">0.99</td>');
    expect(html).toContain('<td style="text-align:right">–</td>');
    expect(String(b["text/plain"]).split("\n")).toEqual([
      "SYNTHETIC data",
      "arm           kappa   n",
      "------------  -----  --",
      "facr           0.99   3",
      "baseline <b>      –  12",
    ]);
    const got = collect();
    showTable(armSummaryTable(fakePspiResult()), { caption: "arms" });
    expect(String(got[0]["text/html"])).toContain("FACR (G)");
    expect(String(tableBundle(rows, { maxRows: 1 })["text/plain"])).toContain("(first 1 of 2 rows)");
  });

  it("tables: a column with any non-integer number gives all its numbers `digits` decimals; all-integer columns (counts) stay integers", () => {
    const rows = [
      { measure: "fidelity", value: 1, ci_lo: 0.935, n: 12, note: "all" },
      { measure: "kappa", value: 0, ci_lo: null, n: 3, note: 2 },
      { measure: "agreement", value: 0.935, ci_lo: NaN, n: 0, note: "x" },
    ];
    const b = tableBundle(rows);
    const html = String(b["text/html"]);
    for (const v of ["1.000", "0.000", "0.935"]) expect(html).toContain(`<td style="text-align:right">${v}</td>`);
    expect(html).not.toContain('<td style="text-align:right">1</td>');
    for (const v of ["12", "3", "0"]) expect(html).toContain(`<td style="text-align:right">${v}</td>`);
    expect(html).toContain('<td style="text-align:left">2</td>');
    expect(String(b["text/plain"]).split("\n")).toEqual([
      "measure    value  ci_lo   n  note",
      "---------  -----  -----  --  ----",
      "fidelity   1.000  0.935  12  all",
      "kappa      0.000      –   3  2",
      "agreement  0.935      –   0  x",
    ]);
    expect(String(tableBundle([{ v: 1 }, { v: 0.5 }], { digits: 1 })["text/plain"]).split("\n").slice(2)).toEqual(["1.0", "0.5"]);
    expect(String(tableBundle([{ v: Infinity }, { v: 0.25 }])["text/plain"]).split("\n").slice(2)).toEqual(["Infinity", "   0.250"]);
    expect(decimalColumns([[1, 2.5, "a"], [3, 4, 0.1]], 3)).toEqual([false, true, true]);
  });

  it("outside a kernel and without a sink, prints the text part", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      showMarkdown("hello");
      expect(log).toHaveBeenCalledWith("hello");
    } finally {
      log.mockRestore();
    }
  });

  it("inside a tslab kernel, sends one display_data with every MIME type through the kernel's writer", () => {
    // what the kernel holds: tslab/dist/jupyter.js with lastWriteDisplayData set for the running cell
    const file = "/fake/node_modules/tslab/dist/jupyter.js";
    const sent: { msg: { data: MimeBundle }; update: boolean }[] = [];
    require.cache[file] = { id: file, filename: file, loaded: true, exports: { lastWriteDisplayData: (msg: { data: MimeBundle }, update: boolean) => sent.push({ msg, update }) } } as unknown as NodeJS.Module;
    try {
      showBundle({ "text/html": "<i>x</i>", "text/plain": "x" });
      expect(sent).toHaveLength(1);
      expect(sent[0].msg.data).toEqual({ "text/html": "<i>x</i>", "text/plain": "x" });
      expect(sent[0].update).toBe(false);
    } finally {
      delete require.cache[file];
    }
  });

  it("Plotly without Chromium: the figure JSON and a text note naming the fix", async () => {
    const saved = process.env.FACR_CHROMIUM;
    process.env.FACR_CHROMIUM = "/nonexistent/chromium";
    const got = collect();
    try {
      await showPlotly(tauSweepPlotly(fakePspiResult()));
    } finally {
      if (saved === undefined) delete process.env.FACR_CHROMIUM;
      else process.env.FACR_CHROMIUM = saved;
    }
    expect(Object.keys(got[0]).sort()).toEqual([PLOTLY_MIME, "text/plain"].sort());
    expect(got[0]["text/plain"]).toContain("apt-get install chromium");
  });

  it.skipIf(!haveChromium)("Plotly with Chromium: the figure JSON plus a static PNG for other front ends", async () => {
    const got = collect();
    await showPlotly(tauSweepPlotly(fakePspiResult()), { width: 600, height: 400 });
    expect(Object.keys(got[0]).sort()).toEqual([PLOTLY_MIME, "image/png", "text/plain"].sort());
    const png = Buffer.from(String(got[0]["image/png"]), "base64");
    expect(png.readUInt32BE(16)).toBe(1200); // scale 2
    expect(png.readUInt32BE(20)).toBe(800);
  });
});
