import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  cellSource, cleanNotebook, JUPYTER_DIR, KERNELSPEC, listNotebooks, Notebook, notebookProblems, readNotebook, serializeNotebook,
} from "../../scripts/notebook-files";

/**
 * The committed notebooks stay clean (no outputs, execution counts or cell
 * metadata; the project-local kernelspec), and that kernelspec exists. Executing
 * them is `make test`'s last step (scripts/run-notebooks.ts at the smoke
 * profile), kept out of vitest so the unit suite stays fast.
 */
const notebooks = listNotebooks();

describe("committed notebooks", () => {
  it("exist, numbered 01, 02, … without gaps", () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(3);
    notebooks.forEach((f, i) => expect(path.basename(f).slice(0, 2)).toBe(String(i + 1).padStart(2, "0")));
  });

  it.each(notebooks.map((f) => [path.basename(f), f]))("%s is clean (run `make clean-notebooks`)", (_, file) => {
    const nb = readNotebook(file);
    expect(notebookProblems(nb)).toEqual([]);
    expect(fs.readFileSync(file, "utf8")).toBe(serializeNotebook(cleanNotebook(nb)));
  });

  it.each(notebooks.map((f) => [path.basename(f), f]))("%s says its data are synthetic and reads FACR_PROFILE", (_, file) => {
    const nb = readNotebook(file);
    expect(nb.cells[0].cell_type).toBe("markdown");
    expect(cellSource(nb.cells[0])).toMatch(/SYNTHETIC/);
    const code = nb.cells.filter((c) => c.cell_type === "code").map(cellSource).join("\n");
    expect(code).toMatch(/profileFromEnv\(\)/);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
  });
});

describe("what the notebooks run", () => {
  const code = (prefix: string) => {
    const file = notebooks.find((f) => path.basename(f).startsWith(prefix));
    return file ? readNotebook(file).cells.filter((c) => c.cell_type === "code").map(cellSource).join("\n") : null;
  };

  it.each([
    ["03", "runPspiExperiment", "pspi.json"],
    ["04", "runEmotionTransfer", "emotion-transfer.json"],
    ["05", "runVerbalizerExperiment", "verbalizer.json"],
  ])("%s runs %s and writes %s to the profile's results dir", (prefix, fn, file) => {
    const src = code(prefix);
    expect(src).not.toBeNull();
    expect(src).toContain(`${fn}(`);
    expect(src).toContain(`resultPath("${file}")`);
  });

  it("06 reads the claims table from the results dir and trains nothing", () => {
    const src = code("06");
    expect(src).not.toBeNull();
    expect(src).toContain("claimsTable(");
    expect(src).toMatch(/resultsDir\(\)/);
    expect(src).not.toMatch(/run(Pspi|Verbalizer)Experiment|runEmotionTransfer|trainReasoner|trainLm/);
  });
});

describe("project-local kernelspec", () => {
  it.each(["tslab", "jslab"])("jupyter/kernels/%s/kernel.json starts jupyter/launch-kernel.js", (name) => {
    const dir = path.join(JUPYTER_DIR, "kernels", name);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")) as { argv: string[]; language: string; display_name: string };
    expect(spec.argv[0]).toBe("node");
    const launcher = path.resolve(spec.argv[1].replace("{resource_dir}", dir));
    expect(launcher).toBe(path.join(JUPYTER_DIR, "launch-kernel.js"));
    expect(fs.existsSync(launcher)).toBe(true);
    expect(spec.argv).toContain("{connection_file}");
    expect(spec.language).toBe(name === "tslab" ? "typescript" : "javascript");
    if (name === "tslab") expect(spec.display_name).toBe(KERNELSPEC.display_name);
  });
});

describe("cleanNotebook", () => {
  it("strips outputs, execution counts and cell metadata, and fixes the kernelspec", () => {
    const dirty: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, language_info: { name: "typescript", version: "5.0.4" } },
      cells: [
        { cell_type: "markdown", id: "a", metadata: {}, source: ["# SYNTHETIC"] },
        { cell_type: "code", id: "b", metadata: { execution: { "iopub.status.busy": "x" } }, source: ["1 + 1"], execution_count: 3, outputs: [{ output_type: "stream", name: "stdout", text: "2\n" }] },
        { cell_type: "code", id: "c", metadata: {}, source: [], execution_count: null, outputs: [] },
      ],
    };
    expect(notebookProblems(dirty).length).toBeGreaterThanOrEqual(4);
    const clean = cleanNotebook(dirty);
    expect(notebookProblems(clean)).toEqual([]);
    expect(clean.cells.map((c) => c.id)).toEqual(["a", "b"]);
    expect(clean.cells[1]).toEqual({ cell_type: "code", id: "b", metadata: {}, source: ["1 + 1"], execution_count: null, outputs: [] });
  });
});
