#!/usr/bin/env node
// Compare the numbers of two result directories (or two JSON files), ignoring
// what legitimately changes between runs of the same code: provenance,
// wall times and throughputs (durations, *Seconds, *Ms, *PerSecond), the config hash and timestamps.
// Exit 0 when every other value is identical, 1 with the differing paths otherwise.
//   node scripts/compare-results.mjs results/ build/paper/results/
import * as fs from "node:fs";
import * as path from "node:path";

const IGNORED_KEY = /^(provenance|durations|configHash|startedAt|finishedAt|generatedAt|.*Seconds|.*Ms|.*PerSecond|seconds|wallSeconds)$/;
const [a, b] = process.argv.slice(2);
if (!a || !b) { console.error("usage: compare-results.mjs <dir-or-json A> <dir-or-json B>"); process.exit(2); }
const pairs = fs.statSync(a).isDirectory()
  ? fs.readdirSync(a).filter((f) => f.endsWith(".json")).map((f) => [path.join(a, f), path.join(b, f)])
  : [[a, b]];
let diffs = 0;
function walk(x, y, p, file) {
  if (diffs > 200) return;
  if (typeof x !== typeof y || Array.isArray(x) !== Array.isArray(y) || (x === null) !== (y === null)) { report(file, p, x, y); return; }
  if (x && typeof x === "object") {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) {
      if (IGNORED_KEY.test(k)) continue;
      if (!(k in x) || !(k in y)) { report(file, `${p}.${k}`, x[k], y[k]); continue; }
      walk(x[k], y[k], `${p}.${k}`, file);
    }
    return;
  }
  if (!Object.is(x, y)) report(file, p, x, y);
}
function report(file, p, x, y) {
  diffs++;
  const s = (v) => (v === undefined ? "(missing)" : JSON.stringify(v)?.slice(0, 80));
  console.log(`${file} ${p}: ${s(x)} → ${s(y)}`);
}
for (const [fa, fb] of pairs) {
  if (!fs.existsSync(fb)) { console.log(`${fb}: missing`); diffs++; continue; }
  walk(JSON.parse(fs.readFileSync(fa, "utf8")), JSON.parse(fs.readFileSync(fb, "utf8")), "$", path.basename(fa));
}
console.log(diffs === 0 ? `identical numbers (${pairs.length} file(s); provenance, durations, config hash ignored)` : `${diffs} difference(s)`);
process.exit(diffs === 0 ? 0 : 1);
