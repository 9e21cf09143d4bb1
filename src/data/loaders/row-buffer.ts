/**
 * A growable row-major Float32 matrix of fixed width, for loaders that do not
 * know the number of rows in advance. Capacity doubles as rows arrive.
 */
export class RowBuffer {
  readonly width: number;
  private data: Float32Array;
  private n = 0;

  constructor(width: number, initialRows = 256) {
    this.width = width;
    this.data = new Float32Array(Math.max(1, width * initialRows));
  }

  /** Number of rows pushed so far. */
  get rows(): number {
    return this.n;
  }

  /** Append a row and return its first slot; the caller then writes `width` values into `array` from there. */
  push(): number {
    const need = (this.n + 1) * this.width;
    if (need > this.data.length) {
      const grown = new Float32Array(Math.max(need, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    return this.n++ * this.width;
  }

  /** The backing store (valid until the next `push`). */
  get array(): Float32Array {
    return this.data;
  }

  /** Columns [from, from + count) of every row, as a new rows × count matrix. */
  columns(from: number, count: number): Float32Array {
    const out = new Float32Array(this.n * count);
    const w = this.width;
    const d = this.data;
    for (let r = 0, o = 0; r < this.n; r++) for (let j = r * w + from, end = j + count; j < end; j++) out[o++] = d[j];
    return out;
  }

  /** Columns [from, from + count) of every row as `count` separate vectors (one pass over the rows). */
  splitColumns(from: number, count: number): Float32Array[] {
    const cols = Array.from({ length: count }, () => new Float32Array(this.n));
    const w = this.width;
    const d = this.data;
    for (let r = 0; r < this.n; r++) {
      const o = r * w + from;
      for (let j = 0; j < count; j++) cols[j][r] = d[o + j];
    }
    return cols;
  }
}

/** A growable Int32 vector. */
export class IntBuffer {
  private data = new Int32Array(256);
  private n = 0;

  push(v: number): void {
    if (this.n === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.n++] = v;
  }

  get length(): number {
    return this.n;
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.n);
  }
}
