import { describe, expect, it } from "vitest";
import { agreementPlotly, effectHeatmapPlotly, tauSweepPlotly } from "../../src/figures/arms-plotly";
import { ChromiumMissingError, chromiumPath, requireChromium, withChromium } from "../../src/util/chromium";
import { PLOTLY_MIME, plotlyMimeBundle, renderPlotly } from "../../src/figures/plotly";
import { fakePspiResult } from "./fixtures";

const r = fakePspiResult();
const haveChromium = chromiumPath() !== null;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe("Plotly figures", () => {
  it("agreement: one trace per arm and graph with asymmetric CI bars; a bar-less point where the CI is missing", () => {
    const fig = agreementPlotly(r);
    expect(fig.data).toHaveLength(4 * 2);
    const facrG = fig.data.find((t) => t.legendgroup === "facr" && t.xaxis === "x")!;
    expect(facrG.x).toEqual([0.95]);
    expect((facrG.error_x as { array: number[]; arrayminus: number[] }).array[0]).toBeCloseTo(0.04);
    expect((facrG.error_x as { array: number[]; arrayminus: number[] }).arrayminus[0]).toBeCloseTo(0.05);
    const bottleneckG = fig.data.find((t) => t.legendgroup === "bottleneck" && t.xaxis === "x")!;
    expect((bottleneckG.error_x as { array: (number | null)[] }).array[0]).toBeNull();
    expect(fig.data.filter((t) => t.showlegend)).toHaveLength(4); // one legend entry per arm
    expect(fig.layout.title?.text).toContain("SYNTHETIC");
    expect(fig.layout.xaxis2).toBeDefined();
  });

  it("τ sweep: a line per arm on a log τ axis; effects: an arm × AU heatmap", () => {
    const tau = tauSweepPlotly(r);
    expect(tau.data).toHaveLength(4);
    expect(tau.data[0].x).toEqual([0.1, 0.5, 2]);
    expect(tau.layout.xaxis?.type).toBe("log");
    expect(tau.layout.title?.text).toContain("SYNTHETIC");
    const eff = effectHeatmapPlotly(r);
    expect(eff.data[0].z).toHaveLength(4);
    expect(eff.data[0].z![0]).toHaveLength(11);
  });

  it("MIME bundle: the plotly JSON, the static image when given, and text/plain", () => {
    const fig = tauSweepPlotly(r);
    const bare = plotlyMimeBundle(fig);
    expect(Object.keys(bare).sort()).toEqual([PLOTLY_MIME, "text/plain"].sort());
    expect((bare[PLOTLY_MIME] as { data: unknown[] }).data).toHaveLength(4);
    expect(bare["text/plain"]).toContain("Agreement with G across the invocation threshold τ");
    const withPng = plotlyMimeBundle(fig, { format: "png", data: Buffer.from([1, 2, 3]) });
    expect(withPng["image/png"]).toBe("AQID");
    const withSvg = plotlyMimeBundle(fig, { format: "svg", data: "<svg/>" });
    expect(withSvg["image/svg+xml"]).toBe("<svg/>");
    // NaN never reaches the wire format
    const nan = plotlyMimeBundle({ data: [{ type: "scatter", x: [1], y: [NaN as unknown as number] }], layout: {} });
    expect(JSON.stringify(nan)).toContain('"y":[null]');
  });

  it("a missing Chromium is reported with the fix", () => {
    const saved = process.env.FACR_CHROMIUM;
    process.env.FACR_CHROMIUM = "/nonexistent/chromium";
    try {
      expect(chromiumPath()).toBeNull();
      expect(() => requireChromium()).toThrow(ChromiumMissingError);
      expect(() => requireChromium()).toThrow(/apt-get install chromium/);
    } finally {
      if (saved === undefined) delete process.env.FACR_CHROMIUM;
      else process.env.FACR_CHROMIUM = saved;
    }
  });

  it.skipIf(!haveChromium)("renders figures to PNG and SVG in one headless Chromium, and SVG strings to PNG", async () => {
    const [png, svg] = await withChromium(async (c) => [
      await c.renderPlotly(agreementPlotly(r), { format: "png", width: 700, height: 400, scale: 1 }),
      await c.renderPlotly(tauSweepPlotly(r), { format: "svg" }),
    ]);
    expect(png.format).toBe("png");
    expect(pngSize(png.data as Buffer)).toEqual({ width: 700, height: 400 });
    expect(svg.format).toBe("svg");
    expect(String(svg.data).startsWith("<svg")).toBe(true);
    expect(String(svg.data)).toContain("reported τ = 0.5");
    const many = await renderPlotly([tauSweepPlotly(r), effectHeatmapPlotly(r)], { format: "png", scale: 1 });
    expect(many.map((m) => pngSize(m.data as Buffer))).toEqual([
      { width: 900, height: 520 },
      { width: 900, height: 400 },
    ]);
    const raster = await withChromium((c) => c.svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="red"/></svg>'), { deviceScaleFactor: 2 });
    expect(pngSize(raster)).toEqual({ width: 240, height: 160 });
  });
});
