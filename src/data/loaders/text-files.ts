import * as fs from "node:fs";
import * as path from "node:path";
import { FacrInputError } from "../../util/errors";

/**
 * File-system and number-parsing helpers shared by the real-format loaders. Every
 * failure is a FacrInputError naming the file (and, for content, the 1-based line
 * and the field), never a raw Node error.
 */

/** What kind of thing a path must be. */
type Kind = "file" | "folder";

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** True when `p` exists and is a folder. */
export function isFolder(p: string): boolean {
  return statOrNull(p)?.isDirectory() ?? false;
}

/** True when `p` exists and is a regular file. */
export function isFile(p: string): boolean {
  return statOrNull(p)?.isFile() ?? false;
}

/** Throw unless `p` exists and is of `kind`; `what` describes it ("CK+ FACS folder"). */
export function requirePath(p: string, kind: Kind, what: string): void {
  const st = statOrNull(p);
  if (!st) throw new FacrInputError(`${what} not found (expected a ${kind})`, { file: p });
  if (kind === "folder" && !st.isDirectory()) throw new FacrInputError(`${what} is not a folder`, { file: p });
  if (kind === "file" && !st.isFile()) throw new FacrInputError(`${what} is not a file`, { file: p });
}

/** A whole text file as a string (UTF-8, byte-order mark removed). */
export function readTextFile(file: string, what: string): string {
  requirePath(file, "file", what);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new FacrInputError(`cannot read ${what}: ${(err as Error).message}`, { file });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Names in a folder, of one kind, in natural order ("S2" < "S10"; see
 * `naturalCompare`). Hidden entries (".DS_Store") are left out.
 */
export function listFolder(dir: string, kind: Kind, what: string): string[] {
  requirePath(dir, "folder", what);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new FacrInputError(`cannot list ${what}: ${(err as Error).message}`, { file: dir });
  }
  const wanted = (e: fs.Dirent): boolean => {
    if (e.isSymbolicLink()) {
      const st = statOrNull(path.join(dir, e.name));
      return st !== null && (kind === "folder" ? st.isDirectory() : st.isFile());
    }
    return kind === "folder" ? e.isDirectory() : e.isFile();
  };
  return entries
    .filter((e) => !e.name.startsWith(".") && wanted(e))
    .map((e) => e.name)
    .sort(naturalCompare);
}

/**
 * Deterministic natural order: runs of digits compare as numbers ("frame9" <
 * "frame10"), everything else by UTF-16 code units; ties broken by the raw string.
 */
export function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i];
    const y = rb[i];
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, "");
      const ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (ra.length !== rb.length) return ra.length - rb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A plain decimal number ("4", "-0.5", "4.0000000e+00"). NaN, Infinity, hex,
 * empty strings and anything else are FacrInputErrors at `where`.
 */
export function parseDecimal(token: string, where: { file: string; line: number; field: string }): number {
  const t = token.trim();
  if (!DECIMAL.test(t)) {
    let hint = "";
    if (/^[+-]?(nan|inf(inity)?)$/i.test(t)) hint = " (NaN and infinite values are not allowed)";
    else if (/[,;\t]/.test(t)) hint = ` (values must be separated by spaces, found ${JSON.stringify(t.match(/[,;\t]/)![0])})`;
    throw new FacrInputError(`expected a number, got ${JSON.stringify(t)}${hint}`, where);
  }
  return Number(t);
}

/** One non-blank line of a whitespace-separated numeric file. */
export interface NumericRow {
  /** 1-based line number in the file. */
  line: number;
  values: number[];
}

/**
 * The non-blank lines of a whitespace-separated numeric text file, each parsed
 * into numbers. `fields` names the columns for error messages (["x", "y"]); a
 * line with fewer than `minFields` or more than `maxFields` values is an error
 * naming the first missing (or first extra) field.
 */
export function readNumericRows(
  file: string,
  what: string,
  spec: { fields: readonly string[]; minFields: number; maxFields?: number },
): NumericRow[] {
  const text = readTextFile(file, what);
  const rows: NumericRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "") continue;
    const tokens = raw.split(/[ \t]+/);
    const line = i + 1;
    const fieldName = (j: number) => spec.fields[j] ?? `column ${j + 1}`;
    if (tokens.length === 1 && spec.minFields > 1 && /[,;]/.test(tokens[0])) {
      const sep = tokens[0].match(/[,;]/)![0];
      throw new FacrInputError(`values are separated by ${JSON.stringify(sep)}; this format separates them by spaces`, {
        file,
        line,
        field: fieldName(0),
      });
    }
    const values = tokens.map((t, j) => parseDecimal(t, { file, line, field: fieldName(j) }));
    if (values.length < spec.minFields) {
      throw new FacrInputError(
        `line has ${values.length} value${values.length === 1 ? "" : "s"}, expected ${spec.minFields} (${spec.fields.slice(0, spec.minFields).join(" ")}): truncated line?`,
        { file, line, field: fieldName(values.length) },
      );
    }
    if (spec.maxFields !== undefined && values.length > spec.maxFields) {
      throw new FacrInputError(`line has ${values.length} values, expected at most ${spec.maxFields} (${spec.fields.slice(0, spec.maxFields).join(" ")})`, {
        file,
        line,
        field: fieldName(spec.maxFields),
      });
    }
    rows.push({ line, values });
  }
  return rows;
}

/** The single number a label file holds (PSPI, emotion code, VAS, …); `field` names it in errors. */
export function readSingleNumber(file: string, what: string, field: string): number {
  const rows = readNumericRows(file, what, { fields: [field], minFields: 1, maxFields: 1 });
  if (rows.length === 0) throw new FacrInputError(`empty ${what}, expected one number`, { file, line: 1, field });
  if (rows.length > 1) throw new FacrInputError(`${what} holds more than one value (expected one number)`, { file, line: rows[1].line, field });
  return rows[0].values[0];
}

/**
 * A landmark file of `points` lines "x y" (UNBC AAM: 66, CK+: 68), written into
 * `out` at `offset` as interleaved (x, y). A wrong point count is an error at the
 * line of the first missing or extra point.
 */
export function readLandmarkFile(file: string, what: string, points: number, out: Float32Array, offset: number): void {
  const rows = readNumericRows(file, what, { fields: ["x", "y"], minFields: 2, maxFields: 2 });
  if (rows.length !== points) {
    const line = rows.length < points ? (rows.length ? rows[rows.length - 1].line + 1 : 1) : rows[points].line;
    throw new FacrInputError(`holds ${rows.length} landmark points, expected ${points} lines "x y"`, { file, line, field: "landmarks" });
  }
  for (let p = 0; p < points; p++) {
    out[offset + 2 * p] = rows[p].values[0];
    out[offset + 2 * p + 1] = rows[p].values[1];
  }
}
