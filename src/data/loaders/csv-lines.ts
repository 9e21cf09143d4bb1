import * as fs from "node:fs";
import { FacrInputError } from "../../util/errors";
import { requirePath } from "./text-files";

/**
 * Fast, strict reading of large numeric CSV files (OpenFace writes ~3 KB per
 * frame). The file is streamed in chunks of bytes, so its size is not bounded by
 * the maximum string length, and each line's numbers are parsed straight from the
 * bytes in one pass: no decoding, no splitting, no intermediate strings. Lines are
 * decoded to text only when needed (the header, error messages).
 */

/** One line of a file: bytes [start, end) of `bytes`, line ending and byte-order mark removed. */
export interface ByteLine {
  bytes: Buffer;
  start: number;
  end: number;
  /** 1-based. */
  number: number;
}

/** The line as text (UTF-8). */
export function lineText(line: ByteLine): string {
  return line.bytes.toString("utf8", line.start, line.end);
}

/**
 * Call `onLine` for every line of `file` ("\n" or "\r\n" endings; a UTF-8
 * byte-order mark is removed). The `ByteLine` passed is reused: copy what you
 * keep. Returns the number of lines.
 */
export function forEachLine(file: string, what: string, onLine: (line: ByteLine) => void, chunkBytes = 1 << 22): number {
  requirePath(file, "file", what);
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    throw new FacrInputError(`cannot read ${what}: ${(err as Error).message}`, { file });
  }
  let buf = Buffer.allocUnsafe(chunkBytes);
  let filled = 0;
  let pos = 0;
  let eof = false;
  const line: ByteLine = { bytes: buf, start: 0, end: 0, number: 0 };
  const emit = (start: number, end: number) => {
    if (end > start && buf[end - 1] === 13) end--;
    if (line.number === 0) {
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
      checkHeaderEncoding(buf, start, end, file, what);
    }
    line.bytes = buf;
    line.start = start;
    line.end = end;
    line.number++;
    onLine(line);
  };
  try {
    for (;;) {
      if (!eof) {
        if (pos > 0) {
          buf.copy(buf, 0, pos, filled);
          filled -= pos;
          pos = 0;
        }
        if (filled === buf.length) {
          const grown = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
          buf.copy(grown, 0, 0, filled);
          buf = grown;
        }
        const n = fs.readSync(fd, buf, filled, buf.length - filled, null);
        if (n === 0) eof = true;
        else filled += n;
      }
      for (;;) {
        const nl = buf.indexOf(10, pos);
        if (nl === -1 || nl >= filled) break;
        emit(pos, nl);
        pos = nl + 1;
      }
      if (eof) {
        if (pos < filled) emit(pos, filled);
        break;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return line.number;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The first line must be UTF-8 text: a UTF-16 file (byte-order mark FF FE or
 * FE FF, or NUL bytes) or a byte sequence that is not UTF-8 is an error naming
 * the byte, rather than header names that silently fail to match.
 */
export function checkHeaderEncoding(buf: Buffer, start: number, end: number, file: string, what: string): void {
  const b0 = buf[start];
  const b1 = buf[start + 1];
  if (end - start >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) {
    throw new FacrInputError(`${what} is UTF-16 (byte-order mark ${b0 === 0xff ? "FF FE" : "FE FF"}); expected UTF-8 text: save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)`, { file, line: 1 });
  }
  const nul = buf.indexOf(0, start);
  if (nul !== -1 && nul < end) {
    throw new FacrInputError(`${what} has a NUL byte at byte ${nul - start + 1} of its header: expected UTF-8 text (a UTF-16 file without a byte-order mark?)`, { file, line: 1 });
  }
  try {
    UTF8.decode(buf.subarray(start, end));
  } catch {
    let i = start;
    // find the first byte that does not start a valid sequence, for the message
    while (i < end) {
      const n = buf[i] < 0x80 ? 1 : buf[i] >= 0xc2 && buf[i] < 0xe0 ? 2 : buf[i] >= 0xe0 && buf[i] < 0xf0 ? 3 : buf[i] >= 0xf0 && buf[i] < 0xf5 ? 4 : 0;
      let ok = n > 0 && i + n <= end;
      for (let j = 1; ok && j < n; j++) ok = (buf[i + j] & 0xc0) === 0x80;
      if (ok && n > 1) {
        try {
          UTF8.decode(buf.subarray(i, i + n));
        } catch {
          ok = false;
        }
      }
      if (!ok) break;
      i += n;
    }
    const shown = buf.toString("latin1", Math.max(start, i - 20), i).replace(/[^\x20-\x7e]/g, "?");
    throw new FacrInputError(`byte ${i - start + 1} of the header (0x${buf[i].toString(16).toUpperCase().padStart(2, "0")}, after "${shown}") is not UTF-8: expected UTF-8 text (save the file as UTF-8)`, { file, line: 1, field: "header" });
  }
}

const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(Number(`1e${i}`));

/** Result code of `parseNumberFields` when the line holds more fields than `out` has room for. */
export const TOO_MANY_FIELDS = -1_000_000_000;

/**
 * Parse the comma-separated plain decimal numbers of a line into `out`; spaces
 * around values are allowed. Returns the number of fields on success (compare it
 * with the expected count); `-(j + 1)` when field j is not a plain decimal number
 * (empty, "abc", "NaN", "1;5"…); TOO_MANY_FIELDS when there are more than
 * `out.length` fields. Doubles are correctly rounded in the common case
 * (≤ 15 significant digits, exponent within ±22); otherwise `Number` decides.
 */
export function parseNumberFields(line: ByteLine, out: Float64Array): number {
  const b = line.bytes;
  const end = line.end;
  let i = line.start;
  let field = 0;
  for (;;) {
    if (field >= out.length) return TOO_MANY_FIELDS;
    let c = i < end ? b[i] : -1;
    while (c === 32) c = ++i < end ? b[i] : -1;
    const start = i;
    let neg = false;
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = ++i < end ? b[i] : -1;
    }
    let mant = 0;
    let digits = 0;
    let sig = 0;
    let scale = 0;
    while (c >= 48 && c <= 57) {
      if (sig > 0 || c !== 48) sig++;
      mant = mant * 10 + (c - 48);
      digits++;
      c = ++i < end ? b[i] : -1;
    }
    if (c === 46) {
      c = ++i < end ? b[i] : -1;
      while (c >= 48 && c <= 57) {
        if (sig > 0 || c !== 48) sig++;
        mant = mant * 10 + (c - 48);
        digits++;
        scale--;
        c = ++i < end ? b[i] : -1;
      }
    }
    if (digits === 0) return -(field + 1);
    if (c === 101 || c === 69) {
      c = ++i < end ? b[i] : -1;
      let eneg = false;
      if (c === 45 || c === 43) {
        eneg = c === 45;
        c = ++i < end ? b[i] : -1;
      }
      let e = 0;
      let edigits = 0;
      while (c >= 48 && c <= 57) {
        if (e < 100000) e = e * 10 + (c - 48);
        edigits++;
        c = ++i < end ? b[i] : -1;
      }
      if (edigits === 0) return -(field + 1);
      scale += eneg ? -e : e;
    }
    const numberEnd = i;
    while (c === 32) c = ++i < end ? b[i] : -1;
    if (c !== 44 && c !== -1) return -(field + 1);
    let v: number;
    if (sig <= 15 && scale >= -22 && scale <= 22) v = scale >= 0 ? mant * POW10[scale] : mant / POW10[-scale];
    else {
      v = Math.abs(Number(b.toString("latin1", start, numberEnd)));
      if (!Number.isFinite(v)) return -(field + 1);
    }
    out[field++] = neg ? -v : v;
    if (c === -1) return field;
    i++; // the comma
  }
}

/** The comma-separated fields of a line of text, trimmed (headers, error messages). */
export function splitFields(text: string): string[] {
  return text.split(",").map((s) => s.trim());
}
