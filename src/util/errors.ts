/**
 * Errors about input a user supplied (a file, a JSON graph, an option). They carry
 * where the problem is — file, line, field — so a message can say it plainly and
 * the command line can exit with code 2 instead of printing a stack trace.
 */
export interface InputLocation {
  /** Path of the file, or a label such as "graph" for in-memory input. */
  file?: string;
  /** 1-based line number in the file. */
  line?: number;
  /** Field, column or JSON path, e.g. `polarity[3][1]` or `AU04_r`. */
  field?: string;
}

export class FacrInputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  /** The problem alone, without the location prefix. */
  readonly problem: string;

  constructor(problem: string, where: InputLocation = {}) {
    super(formatLocation(where) + problem);
    this.name = "FacrInputError";
    this.problem = problem;
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

function formatLocation(where: InputLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.field !== undefined) parts.push(`field ${where.field}`);
  return parts.length ? parts.join(", ") + ": " : "";
}
