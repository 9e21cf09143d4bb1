import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit";
import { auditCommand, parseAuditArgs } from "../../src/audit/command";
import { FacrInputError } from "../../src/util/errors";
import { OPENFACE_SUBSET, removeTemp, tempDir, UNBC } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

afterAll(removeTemp);

/** Bad copies of the subset fixture (", "-separated, LF line ends; line 1 is the header). */
function badFiles(): Record<string, string> {
  const dir = tempDir("audit-bad");
  const lines = fs.readFileSync(OPENFACE_SUBSET, "utf8").trimEnd().split("\n");
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const fields = lines[2].split(", ");
  const header = lines[0].split(", ");
  fields[header.indexOf("AU04_r")] = "high";
  return {
    empty: write("empty.csv", ""),
    headerOnly: write("header-only.csv", lines[0] + "\n"),
    semicolons: write("semicolons.csv", lines.map((l) => l.replace(/, /g, ";")).join("\n") + "\n"),
    nonNumeric: write("non-numeric.csv", [lines[0], lines[1], fields.join(", "), ...lines.slice(3)].join("\n") + "\n"),
    duplicate: write("duplicate.csv", [lines[0], lines[1], lines[2], lines[2], ...lines.slice(3)].join("\n") + "\n"), // frame 2 twice
  };
}

/** The FacrInputError of an audit call. */
async function auditError(opts: Parameters<typeof runAudit>[0]): Promise<FacrInputError> {
  try {
    await runAudit({ resamples: 10, train: { epochs: 1, minSteps: 5 }, ...opts });
  } catch (err) {
    if (err instanceof FacrInputError) return err;
    throw err;
  }
  throw new Error("expected a FacrInputError");
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(process.execPath, [TSX, path.join(ROOT, "src", "cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const STACK = /^\s+at\s/m;

describe("facr audit: bad input is exit code 2 with file, line and field, never a stack trace", () => {
  const bad = badFiles();

  it("empty file (CLI child process)", () => {
    const r = cli(["audit", "--data", bad.empty, "--format", "openface", "--graph", "emotion"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`facr audit: ${bad.empty}:1: empty file: expected an OpenFace header line`);
    expect(r.stderr + r.stdout).not.toMatch(STACK);
  });

  it("a UNBC folder missing its FACS folder (CLI child process)", () => {
    const dir = path.join(tempDir("audit-unbc"), "unbc");
    fs.cpSync(UNBC, dir, { recursive: true });
    fs.rmSync(path.join(dir, "Frame_Labels", "FACS"), { recursive: true });
    const r = cli(["audit", "--data", dir, "--format", "unbc", "--graph", "pspi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, "Frame_Labels", "FACS")}: UNBC FACS folder (Frame_Labels/FACS) not found`);
    expect(r.stderr + r.stdout).not.toMatch(STACK);
  });

  it("header only", async () => {
    const e = await auditError({ data: bad.headerOnly, format: "openface", graph: "emotion" });
    expect(e.message).toBe(`${bad.headerOnly}:2: header only: no data rows (expected one row per frame)`);
  });

  it("wrong delimiter", async () => {
    const e = await auditError({ data: bad.semicolons, format: "openface", graph: "emotion" });
    expect(e.file).toBe(bad.semicolons);
    expect(e.line).toBe(1);
    expect(e.field).toBe("header");
    expect(e.message).toMatch(/separated by semicolons/);
  });

  it("non-numeric AU values", async () => {
    const e = await auditError({ data: bad.nonNumeric, format: "openface", graph: "emotion" });
    expect(e.message).toBe(`${bad.nonNumeric}:3, field AU04_r: expected a number, got "high"`);
  });

  it("duplicated frame numbers", async () => {
    const e = await auditError({ data: bad.duplicate, format: "openface", graph: "emotion" });
    expect(e.message).toBe(`${bad.duplicate}:4, field frame: frame 2 appears twice (first on line 3)`);
  });

  it("a CK+ folder missing its FACS folder", async () => {
    const dir = tempDir("audit-ck-nofacs");
    fs.mkdirSync(path.join(dir, "Emotion"));
    fs.mkdirSync(path.join(dir, "Landmarks"));
    const e = await auditError({ data: dir, format: "ckplus", graph: "emotion" });
    expect(e.message).toBe(`${path.join(dir, "FACS")}: CK+ FACS folder not found (expected a folder)`);
  });

  it("arguments: missing or unknown flags, bad values, a missing file, an unknown graph, a bad --out type", async () => {
    expect(() => parseAuditArgs(["--data"])).toThrow(/field --data: needs a value/);
    expect(() => parseAuditArgs(["--dat", "x"])).toThrow(/field --dat: unknown option/);
    expect(() => parseAuditArgs(["--tau", "1", "--tau", "2"])).toThrow(/given twice/);
    await expect(auditCommand(["--format", "openface", "--graph", "emotion"], () => {})).rejects.toThrow(/field --data: is required/);
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "csv", "--graph", "emotion"], () => {})).rejects.toThrow(/field --format: must be one of openface, unbc, ckplus/);
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "emotion", "--tau", "abc"], () => {})).rejects.toThrow(/field --tau: must be a number/);
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "emotion", "--out", "r.txt"], () => {})).rejects.toThrow(/r\.txt, field --out: unknown report type/);
    // output places that cannot be written fail before any work (no training runs: the log stays empty)
    const outDir = tempDir("audit-out");
    const aFile = path.join(outDir, "a-file");
    fs.writeFileSync(aFile, "x");
    const logged: string[] = [];
    const log = (t: string) => logged.push(t);
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "emotion", "--out", path.join(aFile, "r.json")], log)).rejects.toThrow(/field --out: cannot write .*a-file is a file, not a folder/);
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "emotion", "--out", path.join(aFile, "deeper", "r.json")], log)).rejects.toThrow(/field --out: cannot write .*a-file is a file, not a folder/);
    fs.mkdirSync(path.join(outDir, "r.json"));
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "emotion", "--out", path.join(outDir, "r.json")], log)).rejects.toThrow(/field --out: .*r\.json is a folder; expected a file name/);
    await expect(auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "emotion", "--save-model", aFile], log)).rejects.toThrow(/field --save-model: .*a-file is a file; expected a folder/);
    expect(logged).toEqual([]);
    const e1 = await auditError({ data: path.join(ROOT, "no-such.csv"), format: "openface", graph: "emotion" });
    expect(e1.message).toMatch(/no-such\.csv, field --data: not found/);
    const e2 = await auditError({ data: OPENFACE_SUBSET, format: "openface", graph: "no-such-graph.json" });
    expect(e2.message).toMatch(/no-such-graph\.json, field --graph/);
    const e3 = await auditError({ data: OPENFACE_SUBSET, format: "unbc", graph: "pspi" });
    expect(e3.message).toMatch(/subset\.csv: UNBC-McMaster root folder is not a folder/);
    // a graph whose AUs the file lacks entirely
    const g = path.join(tempDir("audit-graph"), "g.json");
    fs.writeFileSync(g, JSON.stringify({ aus: ["AU43"], classes: ["no_pain", "pain"], polarity: [[-1, 1]], groups: {}, provenance: { kind: "custom", source: "test" } }));
    const e4 = await auditError({ data: OPENFACE_SUBSET, format: "openface", graph: g });
    expect(e4.field).toBe("aus");
    expect(e4.message).toMatch(/has none of G's AUs \(AU43\)/);
  });
});
