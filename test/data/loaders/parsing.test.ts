import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ByteLine, forEachLine, parseNumberFields, TOO_MANY_FIELDS } from "../../../src/data/loaders/csv-lines";
import { sci } from "../../../src/data/loaders/fixture-face";
import { naturalCompare, parseDecimal } from "../../../src/data/loaders/text-files";
import { Rng } from "../../../src/util/random";
import { removeTemp, tempDir } from "./helpers";

afterAll(removeTemp);

const asLine = (text: string): ByteLine => {
  const bytes = Buffer.from(text, "utf8");
  return { bytes, start: 0, end: bytes.length, number: 1 };
};

describe("parseNumberFields", () => {
  it("parses plain decimals exactly as Number does", () => {
    const rng = new Rng(7);
    const values: string[] = ["0", "-0", "1", "+2", "-3.25", ".5", "5.", "1e3", "4.0000000e+00", "-1.234567E-05", "0.000000000000000000000001", "123456789012345678", "1e-30", "2.5e+22"];
    for (let i = 0; i < 500; i++) values.push(String(rng.normal(0, 10 ** rng.int(12) / 1000)), rng.normal(0, 300).toPrecision(1 + rng.int(9)));
    const out = new Float64Array(values.length);
    expect(parseNumberFields(asLine(values.join(",")), out)).toBe(values.length);
    values.forEach((v, j) => expect(out[j], v).toBe(Number(v)));
  });

  it("allows spaces around values and reports the first bad field", () => {
    const out = new Float64Array(4);
    expect(parseNumberFields(asLine(" 1 , 2,3 ,4 "), out)).toBe(4);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    for (const [text, code] of [
      ["1,abc,3", -2],
      ["1,,3", -2],
      ["1,2,", -3],
      ["NaN,1", -1],
      ["1,inf", -2],
      ["1,2e", -2],
      ["1,0x10", -2],
      ["1,2 3", -2],
      ["1;2;3", -1],
      ["1,2,3,4,5", TOO_MANY_FIELDS],
      ["1,1e400", -2],
    ] as const) {
      expect(parseNumberFields(asLine(text), out), text).toBe(code);
    }
  });
});

describe("forEachLine", () => {
  it("streams LF and CRLF lines across chunk boundaries, with or without a final newline", () => {
    const dir = tempDir("lines");
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ` + "x".repeat(i % 37));
    for (const [name, text] of [
      ["lf.txt", "\ufeff" + lines.join("\n") + "\n"],
      ["crlf.txt", lines.join("\r\n")],
    ]) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      const seen: string[] = [];
      const n = forEachLine(file, "test file", (l) => seen.push(l.bytes.toString("utf8", l.start, l.end)), 64);
      expect(n).toBe(300);
      expect(seen).toEqual(lines);
    }
  });
});

describe("text helpers", () => {
  it("naturalCompare sorts digit runs as numbers, deterministically", () => {
    const names = ["S10", "S2", "S005", "frame10", "frame9", "a", "S2b", "S2a"];
    expect([...names].sort(naturalCompare)).toEqual(["S2", "S2a", "S2b", "S005", "S10", "a", "frame9", "frame10"]); // code-unit order outside digit runs
    expect(naturalCompare("007", "7")).not.toBe(0);
  });

  it("parseDecimal rejects NaN, hex, empty and names the place", () => {
    const where = { file: "f.txt", line: 3, field: "x" };
    expect(parseDecimal(" 4.0000000e+00 ", where)).toBe(4);
    expect(() => parseDecimal("0x10", where)).toThrow('f.txt:3, field x: expected a number, got "0x10"');
    expect(() => parseDecimal("-Inf", where)).toThrow("NaN and infinite values are not allowed");
    expect(() => parseDecimal("", where)).toThrow('expected a number, got ""');
  });

  it("sci writes MATLAB's %16.7e", () => {
    expect(sci(4)).toBe("   4.0000000e+00");
    expect(sci(-0.5)).toBe("  -5.0000000e-01");
    expect(sci(123.456)).toBe("   1.2345600e+02");
  });
});
