import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Is a committed result still what the code at HEAD would produce? A result
 * records the commit it was produced at (and whether src/ was dirty). It is
 * STALE when a file its experiment can execute changed since: the transitive
 * closure of the experiment module's relative imports (static `import`/`export
 * … from`, `require`, dynamic `import()`), plus the worker pool's entry file,
 * which pool.ts loads by path. Code the experiment never reaches — the audit,
 * the data loaders for real corpora, the CLI, figures, the report — can change
 * without re-running it.
 */

/** The module each result file is produced by. */
export const RESULT_SOURCES: Readonly<Record<string, string>> = {
  "pspi.json": "src/experiments/pspi.ts",
  "pspi-clean.json": "src/experiments/pspi.ts",
  "emotion-transfer.json": "src/experiments/emotion-transfer.ts",
  "verbalizer.json": "src/experiments/verbalizer.ts",
  "dose-response.json": "src/experiments/dose-response.ts",
  "sensitivity.json": "src/experiments/sensitivity.ts",
};

/** Files loaded by path rather than by an import: always part of a closure that reaches their loader. */
const LOADED_BY_PATH: Readonly<Record<string, string[]>> = {
  "src/util/pool.ts": ["src/util/pool-worker.ts"],
};

const SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** The relative specifiers of a TypeScript source (comments are not stripped: a commented-out import only widens the closure). */
export function relativeImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) if (m[1].startsWith(".")) out.push(m[1]);
  return out;
}

function resolveModule(root: string, fromFile: string, spec: string): string | null {
  const base = path.join(path.dirname(fromFile), spec);
  for (const cand of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    const abs = path.join(root, cand);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return cand.split(path.sep).join("/");
  }
  return null;
}

/** Repository-relative paths of every source file reachable from `entries` (themselves included), sorted. */
export function sourceClosure(root: string, entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const abs = path.join(root, file);
    if (!fs.existsSync(abs)) continue;
    seen.add(file);
    for (const spec of relativeImports(fs.readFileSync(abs, "utf8"))) {
      const dep = resolveModule(root, file, spec);
      if (dep && !seen.has(dep)) stack.push(dep);
    }
    for (const dep of LOADED_BY_PATH[file] ?? []) stack.push(dep);
  }
  return [...seen].sort();
}

function gitRoot(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/**
 * Why a result is stale (undefined: it is not). `file` is the result's file
 * name, which picks its experiment module (RESULT_SOURCES); an unknown file is
 * compared over all of src/.
 */
export function staleness(r: { provenance: { commit: string; dirty: boolean } }, file: string): string | undefined {
  const at = r.provenance.commit.slice(0, 8);
  if (r.provenance.dirty) return `produced from uncommitted changes on top of ${at}`;
  const root = gitRoot();
  if (!root) return `cannot compare with ${at} (not a git checkout)`;
  const entry = RESULT_SOURCES[file];
  const paths = entry ? sourceClosure(root, [entry]) : ["src"];
  try {
    execFileSync("git", ["cat-file", "-e", `${r.provenance.commit}^{commit}`], { cwd: root, stdio: "ignore" });
  } catch {
    return `cannot compare with ${at} (not in this checkout)`;
  }
  let changed: string[];
  try {
    const out = execFileSync("git", ["diff", "--name-only", r.provenance.commit, "HEAD", "--", ...paths], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 24 });
    changed = out.split("\n").filter(Boolean);
  } catch {
    return `cannot compare with ${at}`;
  }
  if (!changed.length) return undefined;
  const shown = changed.slice(0, 3).join(", ") + (changed.length > 3 ? ` and ${changed.length - 3} more` : "");
  return `code it runs changed since ${at}: ${shown}`;
}
