/**
 * The committed notebooks: where they are, the kernel they name, and what "clean"
 * means (no outputs, no execution counts, no execution timing), so a diff shows
 * only what a person wrote. Used by scripts/run-notebooks.ts,
 * scripts/clean-notebooks.ts and test/notebooks/clean.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");
/** Project-local kernelspecs, used through JUPYTER_PATH (see jupyter/launch-kernel.js). */
export const JUPYTER_DIR = path.join(PROJECT_ROOT, "jupyter");

/** The kernelspec metadata every notebook carries: the project-local tslab kernel. */
export const KERNELSPEC = { display_name: "TypeScript (facr tslab)", language: "typescript", name: "tslab" } as const;
export const LANGUAGE_INFO = { name: "typescript" } as const;

/** Ordered notebooks: `NN-name.ipynb`. */
export const NOTEBOOK_NAME = /^\d\d-[a-z0-9-]+\.ipynb$/;

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown> & { kernelspec?: Record<string, unknown>; language_info?: Record<string, unknown> };
  cells: Cell[];
}

/** The ordered notebooks under `dir` (absolute paths, by name). */
export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => NOTEBOOK_NAME.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) throw new Error(`${file}: not a notebook (no cells array)`);
  return nb;
}

export function cellSource(cell: Pick<Cell, "source">): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** What keeps a committed notebook from being clean, one line each (empty when clean). */
export function notebookProblems(nb: Notebook): string[] {
  const out: string[] = [];
  if (nb.nbformat !== 4) out.push(`nbformat is ${nb.nbformat}, expected 4`);
  const ks = nb.metadata?.kernelspec;
  if (!ks || ks.name !== KERNELSPEC.name || ks.language !== KERNELSPEC.language || ks.display_name !== KERNELSPEC.display_name) {
    out.push(`metadata.kernelspec must be ${JSON.stringify(KERNELSPEC)}, got ${JSON.stringify(ks ?? null)}`);
  }
  const extra = Object.keys(nb.metadata ?? {}).filter((k) => k !== "kernelspec" && k !== "language_info");
  if (extra.length) out.push(`metadata has keys besides kernelspec and language_info: ${extra.join(", ")}`);
  if (JSON.stringify(nb.metadata?.language_info ?? null) !== JSON.stringify(LANGUAGE_INFO)) {
    out.push(`metadata.language_info must be ${JSON.stringify(LANGUAGE_INFO)}, got ${JSON.stringify(nb.metadata?.language_info ?? null)}`);
  }
  nb.cells.forEach((c, i) => {
    const where = `cell ${i + 1} (${c.cell_type})`;
    if (c.cell_type === "code") {
      if (c.outputs && c.outputs.length) out.push(`${where} has ${c.outputs.length} output(s)`);
      if (c.execution_count !== null && c.execution_count !== undefined) out.push(`${where} has execution_count ${c.execution_count}`);
    }
    const metaKeys = Object.keys(c.metadata ?? {});
    if (metaKeys.length) out.push(`${where} has metadata ${metaKeys.join(", ")}`);
    if (!cellSource(c).trim()) out.push(`${where} is empty`);
  });
  return out;
}

/** A clean copy: outputs, execution counts and cell metadata removed, the canonical kernelspec. */
export function cleanNotebook(nb: Notebook): Notebook {
  return {
    ...nb,
    metadata: { kernelspec: { ...KERNELSPEC }, language_info: { ...LANGUAGE_INFO } },
    cells: nb.cells
      .filter((c) => cellSource(c).trim() !== "")
      .map((c) => {
        const base: Cell = { cell_type: c.cell_type, id: c.id, metadata: {}, source: c.source };
        if (c.id === undefined) delete base.id;
        return c.cell_type === "code" ? { ...base, execution_count: null, outputs: [] } : base;
      }),
  };
}

/** As Jupyter writes notebooks: keys sorted, one-space indent, trailing newline (so saving from JupyterLab makes no noise). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Source split into lines the way Jupyter stores it (each line keeps its "\n" except the last). */
export function sourceLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
}
