/**
 * Keep the committed notebooks clean: no outputs, no execution counts, no cell
 * metadata, the project-local kernelspec (see scripts/notebook-files.ts).
 *
 *   tsx scripts/clean-notebooks.ts           rewrite notebooks/NN-*.ipynb that are not clean (make clean-notebooks)
 *   tsx scripts/clean-notebooks.ts --check   list what is not clean; exit 1 if anything (test/notebooks/clean.test.ts does the same)
 *
 * Executed copies with outputs live elsewhere (build/<profile>/notebooks/, notebooks/executed/).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cleanNotebook, listNotebooks, notebookProblems, PROJECT_ROOT, readNotebook, serializeNotebook } from "./notebook-files";

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length) {
    console.error(`clean-notebooks: unknown argument(s) ${unknown.join(" ")} (use --check or nothing)`);
    return 2;
  }
  const check = argv.includes("--check");
  let dirty = 0;
  for (const file of listNotebooks()) {
    const rel = path.relative(PROJECT_ROOT, file);
    const text = fs.readFileSync(file, "utf8");
    const nb = readNotebook(file);
    const problems = notebookProblems(nb);
    const canonical = serializeNotebook(cleanNotebook(nb));
    if (!problems.length && text === canonical) continue;
    dirty++;
    if (check) {
      console.log(`${rel}: not clean`);
      for (const p of problems.length ? problems : ["not in Jupyter's layout (sorted keys, one-space indent)"]) console.log(`  ${p}`);
    } else {
      fs.writeFileSync(file, canonical);
      console.log(`${rel}: cleaned${problems.length ? ` (${problems.length} problem(s): ${problems[0]}${problems.length > 1 ? ", …" : ""})` : ""}`);
    }
  }
  if (check && dirty) console.log("run `make clean-notebooks` to strip outputs and execution counts");
  if (!dirty) console.log("clean-notebooks: every notebook is clean");
  return check && dirty ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
