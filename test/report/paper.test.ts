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
    expect(r.missing).toEqual(["emotion", "verbalizer", "doseResponse", "pspiClean", "sensitivity"]);
    fs.writeFileSync(template, "ok\nκ = {{pspi.x.kapa}}\n");
    expect(() => buildPaper({ resultsDir: dir, figuresDir: dir, template, out })).toThrow(/t\.md:2, field pspi\.x\.kapa: no value at "pspi\.x\.kapa"/);
  });

  it("says 'not run: make sensitivity' for the regime map's values, table and figures when sensitivity.json is missing; optional values of older results", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-paper-"));
    fs.writeFileSync(path.join(dir, "pspi.json"), JSON.stringify({ config: { seeds: [1] } }));
    const template = path.join(dir, "t.md");
    fs.writeFileSync(
      template,
      "{{sensitivity.config.labelNoise}}\n{{table:sensitivity}}\n{{figure:sensitivity-bypass|cap}}\n{{figure:pspi-wrong-graph|cap}}\n{{?pspi.config.regime.name}} {{?pspi.config.seeds}}\n{{protocol.preregistered.auVisibility}} {{protocol.clean.shortcutStrength}}\n{{table:pspi-clean}}\n",
    );
    const out = path.join(dir, "paper.md");
    buildPaper({ resultsDir: dir, figuresDir: dir, template, out });
    const lines = fs.readFileSync(out, "utf8").split("\n");
    expect(lines[0]).toBe("(not run: `make sensitivity`)");
    expect(lines[1]).toBe("*(regime map: not run: `make sensitivity`)*");
    expect(lines[2]).toBe("*(figure sensitivity-bypass: not run: `make sensitivity`)*");
    expect(lines[3]).toContain("rerun `make pspi`");
    expect(lines[4]).toBe("n/a (not in this result) 1");
    expect(lines[5]).toBe("0.500 0");
    expect(lines[6]).toContain("not run: `make pspi`");
    fs.writeFileSync(template, "{{?nosuch.x}}\n");
    expect(() => buildPaper({ resultsDir: dir, figuresDir: dir, template, out })).toThrow(/no result "nosuch"/);
  });

  it("formats numbers, NaN (null) and refuses objects", () => {
    expect(format(0.12345)).toBe("0.123");
    expect(format(3)).toBe("3");
    expect(format(null)).toBe("–");
    expect(() => format({ a: 1 })).toThrow(/cannot print/);
  });
});
