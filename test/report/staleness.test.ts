import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { relativeImports, RESULT_SOURCES, sourceClosure, staleness } from "../../src/report/staleness";

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "facr-stale-"));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
  return root;
}

const git = (root: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: root, encoding: "utf8" }).trim();

describe("relativeImports", () => {
  it("finds static, re-export, side-effect, require and dynamic imports, and only relative ones", () => {
    const src = [
      'import { a } from "./a";',
      'import type { T } from "../t";',
      'export { b } from "./b";',
      'import "./side";',
      'const c = require("./c");',
      'const d = await import("./d");',
      'import * as fs from "node:fs";',
      'import tf from "@tensorflow/tfjs";',
    ].join("\n");
    expect(relativeImports(src)).toEqual(["./a", "../t", "./b", "./side", "./c", "./d"]);
  });
});

describe("sourceClosure", () => {
  it("follows imports transitively, resolves index files, adds the pool worker, and leaves unreached files out", () => {
    const root = tree({
      "src/experiments/x.ts": 'import { f } from "../lib";\nimport { run } from "../util/pool";',
      "src/lib/index.ts": 'export * from "./f";',
      "src/lib/f.ts": "export const f = 1;",
      "src/util/pool.ts": "export const run = 1;",
      "src/util/pool-worker.ts": 'import { g } from "./g";',
      "src/util/g.ts": "export const g = 1;",
      "src/audit/a.ts": 'import { f } from "../lib";',
    });
    expect(sourceClosure(root, ["src/experiments/x.ts"])).toEqual([
      "src/experiments/x.ts", "src/lib/f.ts", "src/lib/index.ts", "src/util/g.ts", "src/util/pool-worker.ts", "src/util/pool.ts",
    ]);
  });

  it("keeps the audit, the CLI, figures and the report out of every experiment's closure in this repository", () => {
    for (const entry of new Set(Object.values(RESULT_SOURCES))) {
      const c = sourceClosure(process.cwd(), [entry]);
      expect(c).toContain(entry);
      expect(c.filter((f) => /^src\/(audit|figures|report|notebook|data\/loaders)\/|^src\/cli\.ts$/.test(f))).toEqual([]);
    }
  });
});

describe("staleness", () => {
  it("is stale only when a file the experiment reaches changed, and says which", () => {
    const root = tree({
      "src/experiments/pspi.ts": 'import { f } from "../lib/f";',
      "src/lib/f.ts": "export const f = 1;",
      "src/audit/a.ts": "export const a = 1;",
    });
    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "one");
    const commit = git(root, "rev-parse", "HEAD");
    const cwd = process.cwd();
    try {
      process.chdir(root);
      const result = { provenance: { commit, dirty: false } };
      expect(staleness(result, "pspi.json")).toBeUndefined();
      fs.writeFileSync(path.join(root, "src/audit/a.ts"), "export const a = 2;");
      git(root, "commit", "-qam", "audit only");
      expect(staleness(result, "pspi.json")).toBeUndefined();
      fs.writeFileSync(path.join(root, "src/lib/f.ts"), "export const f = 2;");
      git(root, "commit", "-qam", "lib");
      expect(staleness(result, "pspi.json")).toMatch(/code it runs changed since .*src\/lib\/f\.ts/);
      expect(staleness({ provenance: { commit, dirty: true } }, "pspi.json")).toMatch(/uncommitted/);
      expect(staleness({ provenance: { commit: "0".repeat(40), dirty: false } }, "pspi.json")).toMatch(/not in this checkout/);
    } finally {
      process.chdir(cwd);
    }
  });
});
