import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildFigures } from "../../src/figures/build";
import { chromiumPath } from "../../src/util/chromium";
import { fakePspiResult, fakeVerbalizerResult } from "./fixtures";

const haveChromium = chromiumPath() !== null;
let dir = "";

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-figures-"));
  fs.mkdirSync(path.join(dir, "results"));
  fs.writeFileSync(path.join(dir, "results", "pspi.json"), JSON.stringify(fakePspiResult()));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const quiet = () => {};

describe("buildFigures", () => {
  it("draws every figure of the results present, reports the missing ones, writes the tables beside the results", async () => {
    const figuresDir = path.join(dir, "figures");
    const r = await buildFigures({ resultsDir: path.join(dir, "results"), figuresDir, png: false, log: quiet });
    const names = fs.readdirSync(figuresDir).sort();
    for (const n of ["pspi-agreement.svg", "pspi-effects.svg", "pspi-tau-sweep.svg", "pspi-detection.svg", "pspi-folds.svg", "pspi-graphs.svg", "pspi-data-au-share.svg", "pspi-agreement.plotly.json"]) {
      expect(names).toContain(n);
    }
    expect(names.filter((n) => n.endsWith(".png"))).toEqual([]);
    expect(r.missing.map((f) => path.basename(f))).toEqual(["emotion-transfer.json", "verbalizer.json", "dose-response.json", "pspi-clean.json", "sensitivity.json"]);
    expect(r.written).toContain(path.join(dir, "results", "pspi-arms.csv"));
    expect(fs.existsSync(path.join(dir, "results", "pspi-folds.csv"))).toBe(true);
    for (const f of r.written) expect(fs.existsSync(f)).toBe(true);
    expect(fs.readFileSync(path.join(figuresDir, "pspi-agreement.svg"), "utf8")).toContain("SYNTHETIC");
    const plotly = JSON.parse(fs.readFileSync(path.join(figuresDir, "pspi-tau-sweep.plotly.json"), "utf8"));
    expect(plotly.data).toHaveLength(4);
  });

  it("draws the verbalizer figures when verbalizer.json is present", async () => {
    fs.writeFileSync(path.join(dir, "results", "verbalizer.json"), JSON.stringify(fakeVerbalizerResult()));
    const figuresDir = path.join(dir, "figures");
    const r = await buildFigures({ resultsDir: path.join(dir, "results"), figuresDir, png: false, tables: false, log: quiet });
    expect(r.missing.map((f) => path.basename(f))).toEqual(["emotion-transfer.json", "dose-response.json", "pspi-clean.json", "sensitivity.json"]);
    for (const n of ["verbalizer-audit.svg", "verbalizer-fluency.svg"]) {
      expect(r.written).toContain(path.join(figuresDir, n));
      expect(fs.readFileSync(path.join(figuresDir, n), "utf8")).toContain("SYNTHETIC");
    }
    expect(r.skipped).toEqual([]);
  });

  it("skips the Chromium images with the reason when Chromium is missing", async () => {
    const saved = process.env.FACR_CHROMIUM;
    process.env.FACR_CHROMIUM = "/nonexistent/chromium";
    const lines: string[] = [];
    try {
      const r = await buildFigures({ resultsDir: path.join(dir, "results"), figuresDir: path.join(dir, "figures"), png: true, tables: false, log: (l) => lines.push(l) });
      expect(r.skipped.join("\n")).toContain("apt-get install chromium");
      expect(lines.join("\n")).toContain("skipped the Plotly PNG/SVG images");
      expect(r.written.some((f) => f.endsWith(".png"))).toBe(false);
      expect(fs.existsSync(path.join(dir, "results", "pspi-arms.csv"))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.FACR_CHROMIUM;
      else process.env.FACR_CHROMIUM = saved;
    }
  });

  it("names the file when a result is not valid JSON", async () => {
    fs.writeFileSync(path.join(dir, "results", "pspi.json"), '{"experiment": "pspi",\n  oops}');
    await expect(buildFigures({ resultsDir: path.join(dir, "results"), figuresDir: path.join(dir, "figures"), png: false, log: quiet })).rejects.toThrow(/pspi\.json/);
  });

  it.skipIf(!haveChromium)("renders the Plotly figures to PNG and SVG with Chromium", async () => {
    const figuresDir = path.join(dir, "figures");
    const r = await buildFigures({ resultsDir: path.join(dir, "results"), figuresDir, png: true, tables: false, log: quiet });
    for (const n of ["pspi-agreement", "pspi-effects", "pspi-tau-sweep"]) {
      expect(fs.readFileSync(path.join(figuresDir, `${n}.plotly.png`)).subarray(1, 4).toString()).toBe("PNG");
      expect(fs.readFileSync(path.join(figuresDir, `${n}.plotly.svg`), "utf8").startsWith("<svg")).toBe(true);
    }
    expect(r.skipped).toEqual([]);
  });
});
