/**
 * Tables as plain rows and as CSV, without loading danfojs: anything with
 * `columns` and `values` (a danfojs DataFrame) or an array of row objects.
 */
import { writeFileAtomic } from "./atomic";

/** A table row: column → value (null for missing). */
export type TableRow = Record<string, string | number | boolean | null>;

/** Rows of a DataFrame (or rows given as such). */
export function tableRows(table: TableLike): { columns: string[]; rows: (string | number | boolean | null)[][] } {
  if (Array.isArray(table)) {
    const rows = table as readonly TableRow[];
    const columns = rows.length ? Object.keys(rows[0]) : [];
    return { columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) };
  }
  const df = table as FrameLike;
  const values = df.values as unknown[];
  return { columns: [...df.columns], rows: values.map((r) => (Array.isArray(r) ? r : [r]) as (string | number | boolean | null)[]) };
}

/** What a danfojs DataFrame offers that we read. */
export interface FrameLike {
  readonly columns: readonly string[];
  readonly values: unknown;
}

export type TableLike = FrameLike | readonly TableRow[];

function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (header row, "\n" line ends, NaN and null as empty cells). */
export function toCsv(table: TableLike): string {
  const { columns, rows } = tableRows(table);
  return [columns.map(csvCell).join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n";
}

/** Write a table as CSV, atomically. */
export function writeCsv(table: TableLike, file: string): void {
  writeFileAtomic(file, toCsv(table));
}
