import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

/** A user's script that imports the library, selects the wasm backend, then has its own bug. */
function runUserScript(body: string): { status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-user-"));
  const file = path.join(dir, "script.ts");
  fs.writeFileSync(file, `import { initBackend } from ${JSON.stringify(path.join(ROOT, "src"))};\n${body}\n`);
  try {
    const res = spawnSync(process.execPath, [TSX, file], { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, FACR_BACKEND: "wasm" } });
    return { status: res.status, stderr: res.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("a user's uncaught error after initBackend (wasm)", () => {
  it("is reported by Node as usual: exit 1, its own message, no emscripten glue", () => {
    for (const body of [
      'async function main() { await initBackend(); throw new Error("my own bug"); }\nmain();', // unhandled rejection
      'initBackend().then(() => setTimeout(() => { throw new Error("my own bug"); }, 0));', // uncaught exception
    ]) {
      const { status, stderr } = runUserScript(body);
      expect(status).toBe(1);
      expect(stderr).toContain("Error: my own bug");
      expect(stderr).not.toMatch(/WasmBackendModule|Emscripten/);
      expect(stderr.length).toBeLessThan(2000);
    }
  }, 120_000);
});
