import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCkPlus, loadOpenFace, loadUnbc } from "../../../src/data/loaders";
import { openFace20Columns, writeAllFixtures } from "../../../src/data/loaders/fixtures";
import { FIXTURES, removeTemp, tempDir } from "./helpers";

afterAll(removeTemp);

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The reference OpenFace 2.0 output the fixtures were designed against (outside the project; optional). */
const REFERENCE = path.resolve(__dirname, "../../../../shared/reference/openface-2.0-sample.csv");

describe("committed fixtures", () => {
  it("equal what src/data/loaders/fixtures.ts writes, byte for byte", () => {
    const dir = tempDir("fixtures");
    writeAllFixtures(dir);
    const committed = files(FIXTURES).filter((f) => f !== ".gitattributes");
    expect(files(dir)).toEqual(committed);
    for (const f of committed) expect(fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(FIXTURES, f))), f).toBe(true);
  });

  it("stay small (well under 300 KB)", () => {
    const total = files(FIXTURES).reduce((s, f) => s + fs.statSync(path.join(FIXTURES, f)).size, 0);
    expect(total).toBeLessThan(200_000);
  });

  it("full.csv carries the full OpenFace 2.0 header: 431 columns, ', ' separators", () => {
    const header = fs.readFileSync(path.join(FIXTURES, "openface", "full.csv"), "utf8").split("\r\n")[0];
    expect(header).toBe(openFace20Columns().join(", "));
    expect(openFace20Columns()).toHaveLength(431);
    expect(openFace20Columns().filter((c) => c.endsWith("_r"))).toHaveLength(17);
    expect(openFace20Columns().filter((c) => /^AU\d+_c$/.test(c))).toHaveLength(18);
  });

  it.skipIf(!fs.existsSync(REFERENCE))("the header equals the real OpenFace 2.0 sample's, which loads too", () => {
    const real = fs.readFileSync(REFERENCE, "utf8").split(/\r?\n/)[0];
    expect(real.split(",").map((s) => s.trim())).toEqual(openFace20Columns());
    const ds = loadOpenFace(REFERENCE);
    expect(ds.size).toBeGreaterThan(90);
    expect(ds.aus).toContain("AU45");
    expect(ds.aus).not.toContain("AU43");
    expect(ds.landmarks!.points).toBe(68);
  });

  it("the loaders read a freshly written copy like the committed one", () => {
    const dir = tempDir("fixtures-load");
    writeAllFixtures(dir);
    expect(loadUnbc(path.join(dir, "unbc")).size).toBe(16);
    expect(loadCkPlus(path.join(dir, "ckplus")).size).toBe(5);
    expect(loadOpenFace(path.join(dir, "openface", "full.csv")).size).toBe(10);
  });
});
