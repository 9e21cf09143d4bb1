#!/usr/bin/env node
/**
 * Layer check: every import in src/**\/*.ts must point to the same or a lower
 * layer. Layers, low → high (a top-level folder of src/ each; src/index.ts and
 * src/cli.ts sit above all):
 *
 *   util < au < graph < data < faithfulness < model < train < evaluate <
 *   verbalizer < experiments < audit < figures < report < notebook < top
 *
 * Usage: node scripts/check-layers.mjs [--json]
 * Prints one line per upward arrow ("file:line  from → to") and exits 1 if
 * there is any; --json prints the list as JSON (for test/util/layers.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const LAYERS = ["util", "au", "graph", "data", "faithfulness", "model", "train", "evaluate", "verbalizer", "experiments", "audit", "figures", "report", "notebook", "top"];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src");

/** The layer of a file under src/ ("top" for src/index.ts, src/cli.ts). */
function layerOf(file) {
  const rel = path.relative(src, file).split(path.sep);
  return rel.length === 1 ? "top" : rel[0];
}

function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

const IMPORT = /(?:^|\s)(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/g;

/** Every upward arrow in src/: { file, line, from, to, spec }. */
export function violations() {
  const out = [];
  for (const file of tsFiles(src)) {
    const from = layerOf(file);
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith(".")) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(src + path.sep)) continue;
      const to = layerOf(target.endsWith(".ts") ? target : target + ".ts");
      if (!LAYERS.includes(from) || !LAYERS.includes(to)) {
        out.push({ file: path.relative(root, file), line: lineOf(text, m.index), from, to, spec, unknown: true });
      } else if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
        out.push({ file: path.relative(root, file), line: lineOf(text, m.index), from, to, spec });
      }
    }
  }
  return out;
}

function lineOf(text, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  // the match may start with the whitespace before `import`
  while (/\s/.test(text[index]) && text[index] !== undefined) {
    if (text.charCodeAt(index) === 10) line++;
    index++;
  }
  return line;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = violations();
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(found));
  } else {
    for (const v of found) console.log(`${v.file}:${v.line}  ${v.from} → ${v.to}${v.unknown ? " (unknown layer)" : ""}  (${v.spec})`);
    console.log(found.length ? `${found.length} upward import(s)` : "layers ok");
  }
  process.exit(found.length ? 1 : 0);
}
