import { FacrInputError } from "./errors";

/**
 * Strict command-line flags: every subcommand declares its flags, and an
 * unknown flag, a missing value or a value outside the declared choices is an
 * input error (exit code 2) naming the flag and, for a misspelling, the closest
 * known one (`unknown flag --proflie (did you mean --profile?)`).
 */

/** A flag that takes a value (optionally one of `choices`), or a boolean switch. */
export type FlagSpec = { type: "string"; choices?: readonly string[] } | { type: "boolean" };

export interface ParsedFlags {
  /** Values of the given string flags. */
  values: Record<string, string | undefined>;
  /** Boolean switches given. */
  switches: Set<string>;
  /** Arguments that are not flags, in order. */
  positionals: string[];
}

/**
 * Parse `args` against `spec` (keys are full flag names, e.g. "--profile").
 * `maxPositionals` bounds the non-flag arguments (default none).
 */
export function parseFlags(args: readonly string[], spec: Record<string, FlagSpec>, maxPositionals = 0): ParsedFlags {
  const out: ParsedFlags = { values: {}, switches: new Set(), positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("-")) {
      if (out.positionals.length >= maxPositionals) throw new FacrInputError(`unexpected argument ${JSON.stringify(arg)}`);
      out.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const s = spec[name];
    if (!s) {
      const near = closest(name, Object.keys(spec));
      throw new FacrInputError(`unknown flag ${name}${near ? ` (did you mean ${near}?)` : ""}`);
    }
    if (s.type === "boolean") {
      if (inline !== undefined) throw new FacrInputError(`${name} takes no value`);
      out.switches.add(name);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new FacrInputError(`${name} needs a value`);
    if (s.choices && !s.choices.includes(value)) {
      throw new FacrInputError(`${name} must be one of ${s.choices.join(", ")}, got ${JSON.stringify(value)}`);
    }
    out.values[name] = value;
  }
  return out;
}

/** The candidate nearest to `name` by edit distance, when it is close (at most a third of its length, at least 2). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
