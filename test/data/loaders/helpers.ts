import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FacrInputError } from "../../../src/util/errors";

/** The committed fixtures. */
export const FIXTURES = path.resolve(__dirname, "../../../data/fixtures");

const made: string[] = [];

/** A fresh temporary folder (removed by `removeTemp`). */
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `facr-${label}-`));
  made.push(dir);
  return dir;
}

/** A temporary copy of data/fixtures/<name>, to break on purpose. */
export function fixtureCopy(name: "unbc" | "ckplus" | "openface"): string {
  const dir = path.join(tempDir(name), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Remove every temporary folder made so far (call in afterAll). */
export function removeTemp(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The FacrInputError `fn` throws; fails the test when it throws something else or nothing. */
export function inputError(fn: () => unknown): FacrInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FacrInputError) return err;
    throw new Error(`expected a FacrInputError, got ${(err as Error)?.stack ?? String(err)}`);
  }
  throw new Error("expected a FacrInputError, nothing was thrown");
}

/** Replace line `line` (1-based) of a text file. */
export function replaceLine(file: string, line: number, text: string): void {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines[line - 1] = text;
  fs.writeFileSync(file, lines.join("\n"));
}

/** Keep only the first `n` lines of a text file. */
export function keepLines(file: string, n: number): void {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  fs.writeFileSync(file, lines.slice(0, n).join("\n") + "\n");
}
