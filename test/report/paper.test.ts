import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPaper, format } from "../../src/report/paper";

describe("paper generator", () => {
  it("fills values, intervals, lists and tables from results; unknown placeholders name their line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-paper-"));
    fs.writeFileSync(path.join(dir, "pspi.json"), JSON.stringify({ config: { seeds: [1, 2] }, x: { kappa: { estimate: 0.5, lo: 0.25, hi: 0.75 } }, n: 47420 }));
    const template = path.join(dir, "t.md");
    fs.writeFileSync(template, "κ = {{pspi.x.kappa}}, n = {{pspi.n}}, seeds {{pspi.config.seeds}}\n{{figure:nothing|cap}}\n");
    const out = path.join(dir, "out", "paper.md");
    const r = buildPaper({ resultsDir: dir, figuresDir: dir, template, out });
    expect(fs.readFileSync(out, "utf8")).toBe("κ = 0.500 [0.250, 0.750], n = 47420, seeds 1, 2\n*(figure nothing not built: run `make figures`)*\n");
    expect(r.missing).toEqual(["emotion", "verbalizer", "doseResponse"]);
    fs.writeFileSync(template, "ok\nκ = {{pspi.x.kapa}}\n");
    expect(() => buildPaper({ resultsDir: dir, figuresDir: dir, template, out })).toThrow(/t\.md:2, field pspi\.x\.kapa: no value at "pspi\.x\.kapa"/);
  });

  it("formats numbers, NaN (null) and refuses objects", () => {
    expect(format(0.12345)).toBe("0.123");
    expect(format(3)).toBe("3");
    expect(format(null)).toBe("–");
    expect(() => format({ a: 1 })).toThrow(/cannot print/);
  });
});
