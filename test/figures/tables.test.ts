import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { tableRows, toCsv, writeCsv } from "../../src/util/csv";
import { armSummaryTable, armTable, foldTable, rowsToDataFrame } from "../../src/figures/tables";
import { fakePspiResult } from "./fixtures";

const r = fakePspiResult();

describe("result tables", () => {
  it("armTable: one row per arm × measure (× graph) with the interval, NaN where the CI is missing", () => {
    const df = armTable(r);
    expect(df.shape).toEqual([4 * (2 * 8 + 4), 8]);
    expect(df.columns).toEqual(["arm", "label", "family", "graph", "measure", "estimate", "lo", "hi"]);
    const { rows } = tableRows(df);
    const facr = rows.find((row) => row[0] === "facr" && row[3] === "G" && row[4] === "kappa")!;
    expect(facr.slice(5)).toEqual([0.95, 0.9, 0.99]);
    const bottleneck = rows.find((row) => row[0] === "bottleneck" && row[3] === "G" && row[4] === "kappa")!;
    expect(bottleneck[6]).toBeNaN();
    const auc = rows.find((row) => row[0] === "baseline" && row[2] === "detection" && row[4] === "auc")!;
    expect(auc[3]).toBe("");
  });

  it("armSummaryTable: one display row per arm, intervals as text", () => {
    const { columns, rows } = tableRows(armSummaryTable(r));
    expect(columns).toEqual(["arm", "κ with G", "κ with G′", "AUC", "F1"]);
    expect(rows[1]).toEqual(["FACR (G)", "0.950 [0.900, 0.990]", "−0.900 [−0.950, −0.850]", "0.940 [0.920, 0.960]", "0.780 [0.720, 0.830]"]);
    expect(rows[3][1]).toBe("0.010 [–, –]");
  });

  it("foldTable: one row per seed × fold × arm, folds counted from 1", () => {
    const df = foldTable(r);
    expect(df.shape[0]).toBe(r.perFold!.length);
    const { columns, rows } = tableRows(df);
    expect(columns.slice(0, 3)).toEqual(["seed", "fold", "arm"]);
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set([1, 2]));
  });

  it("CSV: quoted where needed, NaN and null empty, written atomically", () => {
    const rows = [
      { name: 'a "quoted", name', value: 1.5, missing: null },
      { name: "plain", value: NaN, missing: null },
    ];
    expect(toCsv(rows)).toBe('name,value,missing\n"a ""quoted"", name",1.5,\nplain,,\n');
    expect(toCsv(rowsToDataFrame(rows))).toBe('name,value,missing\n"a ""quoted"", name",1.5,\nplain,,\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-csv-"));
    try {
      const file = path.join(dir, "sub", "arms.csv");
      writeCsv(armTable(r), file);
      const text = fs.readFileSync(file, "utf8");
      expect(text.split("\n")[0]).toBe("arm,label,family,graph,measure,estimate,lo,hi");
      expect(text.trimEnd().split("\n")).toHaveLength(1 + 80);
      expect(fs.readdirSync(path.dirname(file))).toEqual(["arms.csv"]); // no temporary file left
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
