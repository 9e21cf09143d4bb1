import { FacrInputError } from "../../util/errors";

/** Option checks shared by the loaders (the numeric ones live in util/options). */

/** An enumerated option: `undefined` → `choices[0]` (the default); a value outside `choices` is an error naming the option. */
export function choice<T extends string>(value: T | undefined, choices: readonly T[], field: string): T {
  if (value === undefined) return choices[0];
  if (!choices.includes(value)) {
    throw new FacrInputError(`must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

/** A boolean option: `undefined` → `fallback`; anything but true/false is an error naming the option. */
export function flag(value: boolean | undefined, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new FacrInputError(`must be true or false, got ${JSON.stringify(value)}`, { field });
  return value;
}
