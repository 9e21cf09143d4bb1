#!/usr/bin/env node
// The `facr` command (package.json "bin"): runs src/cli.ts through tsx, forwarding
// the arguments, stdio and exit code, e.g. `npx facr audit --data run.csv --format openface --graph emotion`.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
let tsxCli;
try {
  tsxCli = require.resolve("tsx/cli", { paths: [root] });
} catch {
  console.error("facr: tsx is not installed (run `npm ci` in " + root + ")");
  process.exit(1);
}
const res = spawnSync(process.execPath, [tsxCli, path.join(root, "src", "cli.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
if (res.error) {
  console.error(`facr: ${res.error.message}`);
  process.exit(1);
}
if (res.signal) process.kill(process.pid, res.signal);
process.exit(res.status ?? 1);
