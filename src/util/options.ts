import { FacrInputError } from "./errors";

/**
 * Strict option handling: unknown keys and wrongly typed values are errors that
 * name the key, so a typo in a config (`lamda_cf`) fails loudly instead of being
 * ignored.
 */
export function checkKeys(opts: object | undefined, allowed: readonly string[], where: string): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new FacrInputError(`options must be an object`, { field: where });
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new FacrInputError(`unknown option "${key}" (allowed: ${allowed.join(", ")})`, { field: where });
    }
  }
}

/** Throw unless `value` is a finite number (optionally within [min, max]). */
export function checkNumber(value: unknown, name: string, range: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new FacrInputError(`must be a finite number, got ${JSON.stringify(value)}`, { field: name });
  }
  if (range.integer && !Number.isInteger(value)) {
    throw new FacrInputError(`must be an integer, got ${value}`, { field: name });
  }
  if (range.min !== undefined && value < range.min) {
    throw new FacrInputError(`must be ≥ ${range.min}, got ${value}`, { field: name });
  }
  if (range.max !== undefined && value > range.max) {
    throw new FacrInputError(`must be ≤ ${range.max}, got ${value}`, { field: name });
  }
  return value;
}
