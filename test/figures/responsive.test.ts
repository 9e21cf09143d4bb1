/**
 * Every figure fits the output area it is shown in (issue: wide figures were
 * cut off at 900 px in JupyterLab). Structural, no browser: the root <svg> of
 * every figure file carries its pixel size, a viewBox and the responsive style;
 * the notebook form (`responsiveSvg`, what `showSvg` sends) has width="100%",
 * no height, the viewBox and a max-width of the drawn width. What each form does
 * in JupyterLab 4 (an <img>) and inline (classic notebook, a file opened in a
 * browser) was measured with Chromium; see `responsiveSvg`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFigures } from "../../src/figures/build";
import { auGallerySvg, counterfactualFaceSvg } from "../../src/figures/face";
import { polarityHeatmapFigure, polarityPanelsFigure } from "../../src/figures/graph";
import { RESPONSIVE_STYLE } from "../../src/figures/theme";
import { pspiGraph } from "../../src/graph/known";
import { MimeBundle, responsiveSvg, setDisplaySink, showSvg } from "../../src/notebook/display";
import { fakePspiResult, fakeVerbalizerResult } from "./fixtures";

function rootTag(svg: string): string {
  const m = /^<svg\b[^>]*>/.exec(svg.trimStart());
  if (!m) throw new Error(`not an SVG: ${svg.slice(0, 60)}`);
  return m[0];
}
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

let dir = "";
const figures: { name: string; svg: string }[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-responsive-"));
  fs.mkdirSync(path.join(dir, "results"));
  fs.writeFileSync(path.join(dir, "results", "pspi.json"), JSON.stringify(fakePspiResult()));
  fs.writeFileSync(path.join(dir, "results", "verbalizer.json"), JSON.stringify(fakeVerbalizerResult()));
  const figuresDir = path.join(dir, "figures");
  await buildFigures({ resultsDir: path.join(dir, "results"), figuresDir, png: false, tables: false, log: () => {} });
  for (const f of fs.readdirSync(figuresDir).filter((n) => n.endsWith(".svg") && !n.endsWith(".plotly.svg")).sort()) {
    figures.push({ name: f, svg: fs.readFileSync(path.join(figuresDir, f), "utf8") });
  }
  figures.push(
    { name: "counterfactual face", svg: counterfactualFaceSvg("AU04") },
    { name: "AU gallery (1200 px)", svg: auGallerySvg(["AU04", "AU06", "AU07", "AU09", "AU25"], { columns: 4, width: 300, height: 200 }) },
    { name: "polarity heatmap", svg: polarityHeatmapFigure(pspiGraph()) },
    { name: "polarity panels", svg: polarityPanelsFigure([{ graph: pspiGraph(), label: "G" }, { graph: pspiGraph(), label: "again" }]) },
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("responsive figures", () => {
  it("every figure's root <svg> keeps its pixel size and a matching viewBox, and carries the responsive style", () => {
    expect(figures.length).toBeGreaterThan(8);
    for (const { name, svg } of figures) {
      const tag = rootTag(svg);
      const w = Number(attr(tag, "width"));
      const h = Number(attr(tag, "height"));
      expect(w, name).toBeGreaterThan(0);
      expect(h, name).toBeGreaterThan(0);
      expect(attr(tag, "viewBox"), name).toBe(`0 0 ${w} ${h}`);
      expect(attr(tag, "style"), name).toBe(RESPONSIVE_STYLE);
      expect(RESPONSIVE_STYLE).toBe("max-width:100%;height:auto");
    }
  });

  it("the notebook form (what showSvg sends): width 100%, no height, the viewBox, max-width the drawn width", () => {
    const sent: MimeBundle[] = [];
    setDisplaySink((b) => sent.push(b));
    try {
      for (const { name, svg } of figures) {
        const tag = rootTag(svg);
        const w = attr(tag, "width");
        showSvg(svg);
        const shown = String(sent[sent.length - 1]["image/svg+xml"]);
        expect(shown, name).toBe(responsiveSvg(svg));
        const t = rootTag(shown);
        expect(attr(t, "width"), name).toBe("100%");
        expect(attr(t, "height"), name).toBeUndefined();
        expect(attr(t, "viewBox"), name).toBe(attr(tag, "viewBox"));
        expect(attr(t, "style"), name).toBe(`max-width:${w}px;height:auto`);
        expect(attr(t, "xmlns"), name).toBe("http://www.w3.org/2000/svg");
        // only the root tag changes
        expect(shown.slice(t.length), name).toBe(svg.slice(tag.length));
      }
    } finally {
      setDisplaySink(null);
    }
  });

  it("responsiveSvg: makes a viewBox from the pixel size, keeps other style, leaves an unsizable SVG alone, is idempotent", () => {
    const s = responsiveSvg('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" style="background:white;width:5px"><rect width="120" height="80"/></svg>');
    expect(s).toBe('<svg width="100%" viewBox="0 0 120 80" style="background:white;max-width:120px;height:auto" xmlns="http://www.w3.org/2000/svg"><rect width="120" height="80"/></svg>');
    expect(responsiveSvg(s)).toBe(s);
    expect(responsiveSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>')).toBe('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>');
    expect(responsiveSvg("no svg")).toBe("no svg");
    expect(rootTag(responsiveSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 20"></svg>'))).toBe('<svg width="100%" viewBox="0 0 50 20" style="max-width:50px;height:auto" xmlns="http://www.w3.org/2000/svg">');
  });
});
