import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

/** The ```ts block under README's "## Public API" heading, run as the README says: saved in the root, `npx tsx file.ts`. */
describe("README Public API snippet", () => {
  it("runs as written and prints the κ of its hand-made head", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Public API"));
    const m = section.match(/```ts\n([\s\S]*?)```/);
    expect(m).not.toBeNull();
    const file = path.join(ROOT, `.readme-api-${process.pid}.ts`);
    fs.writeFileSync(file, m![1]);
    try {
      const res = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), file], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
      expect(res.stderr).not.toMatch(/Error|at .*:\d+:\d+/);
      expect(res.status).toBe(0);
      // the snippet ends by printing its κ
      expect(res.stdout).toMatch(/κ with PSPI = -?\d\.\d{3}\n/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 150_000);
});
