import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadOpenFace } from "../../../src/data/loaders";
import { FIXTURES, removeTemp, tempDir } from "./helpers";

afterAll(removeTemp);

/** A big OpenFace file: the fixture's successful rows repeated with new frame numbers. */
function bigOpenFace(fixture: string, rows: number, eol: string): string {
  const lines = fs.readFileSync(path.join(FIXTURES, "openface", fixture), "utf8").split(/\r?\n/).filter((l) => l !== "");
  const body = lines.slice(1).filter((l) => l.split(",")[3].trim() === "1");
  const file = path.join(tempDir("throughput"), `big-${fixture}`);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, lines[0] + eol);
  for (let i = 0; i < rows; i += 1000) {
    const chunk: string[] = [];
    for (let r = i; r < Math.min(rows, i + 1000); r++) {
      const row = body[r % body.length];
      chunk.push(String(r + 1) + row.slice(row.indexOf(",")));
    }
    fs.writeSync(fd, chunk.join(eol) + eol);
  }
  fs.closeSync(fd);
  return file;
}

describe("loadOpenFace on large files", () => {
  // Correctness across the chunked reader's buffer boundaries; speed is measured in bench/ (make bench).
  it("reads 10,000 full 431-column rows and 50,000 subset rows, every frame in order", () => {
    for (const [fixture, rows, eol] of [
      ["full.csv", 10_000, "\r\n"],
      ["subset.csv", 50_000, "\n"],
    ] as const) {
      const file = bigOpenFace(fixture, rows, eol);
      const ds = loadOpenFace(file);
      expect(ds.size).toBe(rows);
      expect(ds.frames[rows - 1]).toBe(rows);
      for (let i = 1; i < rows; i++) if (ds.frames[i] !== ds.frames[i - 1] + 1) throw new Error(`frame ${i} out of order`);
    }
  });
});
