#!/usr/bin/env node
// The `facr` command (package.json "bin"): runs src/cli.ts through tsx, forwarding
// the arguments, stdio, exit code and signals, e.g.
// `npx facr audit --data run.csv --format openface --graph emotion`.
// A signal sent to this wrapper (Ctrl-C, `kill`, a job scheduler's SIGTERM) is
// passed on to the command, so killing the wrapper stops the work: nothing is
// left running to write a report later.
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
let tsxCli;
try {
  tsxCli = require.resolve("tsx/cli", { paths: [root] });
} catch {
  console.error("facr: tsx is not installed (run `npm ci` in " + root + ")");
  process.exit(1);
}
const child = spawn(process.execPath, [tsxCli, path.join(root, "src", "cli.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
for (const sig of FORWARDED) {
  process.on(sig, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  });
}
child.on("error", (err) => {
  console.error(`facr: ${err.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // die of the same signal, so a caller sees what happened (exit status 128 + n)
    for (const sig of FORWARDED) process.removeAllListeners(sig);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
