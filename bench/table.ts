/** Shared by the benchmark scripts: one row per measurement, printed as an aligned table. */
export type Row = Record<string, string | number>;

export function table(title: string, rows: Row[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const fmt = (v: string | number) => (typeof v === "number" ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(fmt(r[c])).length)));
  console.log(`\n${title}`);
  console.log(cols.map((c, j) => c.padEnd(widths[j])).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(cols.map((c, j) => String(fmt(r[c])).padEnd(widths[j])).join("  "));
}
