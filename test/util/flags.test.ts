import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { closest, editDistance, parseFlags } from "../../src/util/flags";

describe("parseFlags", () => {
  const spec = { "--profile": { type: "string", choices: ["smoke", "quick", "paper"] }, "--out": { type: "string" }, "--no-png": { type: "boolean" } } as const;

  it("reads values, switches and `--name=value`", () => {
    const f = parseFlags(["--profile", "quick", "--out=x.json", "--no-png"], spec);
    expect(f.values).toEqual({ "--profile": "quick", "--out": "x.json" });
    expect([...f.switches]).toEqual(["--no-png"]);
  });

  it("rejects unknown flags with the closest known one, bad choices, missing values and stray arguments", () => {
    expect(() => parseFlags(["--proflie", "quick"], spec)).toThrow("unknown flag --proflie (did you mean --profile?)");
    expect(() => parseFlags(["--verbose"], spec)).toThrow(/^unknown flag --verbose$/);
    expect(() => parseFlags(["--profile", "fast"], spec)).toThrow(/--profile must be one of smoke, quick, paper/);
    expect(() => parseFlags(["--out"], spec)).toThrow("--out needs a value");
    expect(() => parseFlags(["extra"], spec)).toThrow(/unexpected argument/);
  });

  it("edit distance", () => {
    expect(editDistance("--proflie", "--profile")).toBe(2);
    expect(closest("--dri", ["--dir", "--out"])).toBe("--dir");
  });
});

/** Every subcommand parses strictly: a misspelt flag exits 2 before any work. */
describe("facr CLI flags", () => {
  const root = path.resolve(__dirname, "../..");
  const run = (...args: string[]) => spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "src/cli.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, FACR_QUIET: "1" } });
  const cases: [string[], RegExp][] = [
    [["pspi", "--proflie", "quick"], /unknown flag --proflie \(did you mean --profile\?\)/],
    [["emotion", "--proflie", "quick"], /did you mean --profile\?/],
    [["verbalizer", "--otu", "x.json"], /unknown flag --otu \(did you mean --out\?\)/],
    [["dose-response", "--profile", "fast"], /--profile must be one of/],
    [["verify", "--dri", "x"], /did you mean --dir\?/],
    [["figures", "--no-pgn"], /did you mean --no-png\?/],
    [["paper", "--no-pfd"], /did you mean --no-pdf\?/],
  ];
  it.each(cases)("%j → exit 2 with the flag named", (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/\[(pspi|emotion|dose-response|verbalizer)\]/);
  }, 60_000);

  it("`facr pspi --help` prints that command's usage and exits 0 without running it", () => {
    const r = run("pspi", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^facr pspi: run the PSPI experiment/);
    expect(r.stdout).not.toMatch(/\[pspi\]/);
  }, 60_000);
});
