import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Upward imports allowed (none today: the last ones — report/provenance read by
 * experiments/ and audit/, model/features.ts reading train/ — were fixed). Add
 * an entry only with a comment saying why and when it goes.
 */
const ALLOWED = new Set<string>([]);

interface Violation { file: string; line: number; from: string; to: string; spec: string }

function check(): Violation[] {
  const script = path.resolve(__dirname, "../../scripts/check-layers.mjs");
  try {
    return JSON.parse(execFileSync(process.execPath, [script, "--json"], { encoding: "utf8" }));
  } catch (e) {
    // exit 1 when there are violations; the JSON is still on stdout
    return JSON.parse((e as { stdout: string }).stdout);
  }
}

describe("scripts/check-layers.mjs", () => {
  it("finds no upward import outside the allow-list", () => {
    const unexpected = check().filter((v) => !ALLOWED.has(`${v.file} → ${v.to}`)).map((v) => `${v.file}:${v.line} ${v.from} → ${v.to} (${v.spec})`);
    expect(unexpected).toEqual([]);
  });
});
