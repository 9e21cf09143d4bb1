import { FacrInputError } from "./errors";

/**
 * Typed configs with a strict resolver (nanoGPT's configurator, Observable Plot's
 * option types): every config is an interface with defaults; overrides are
 * merged key by key, and an unknown key or a value of the wrong type is an error
 * naming the key path (`train.lamda_cf`). The resolved config is saved beside
 * every result.
 */

/** Named profiles: `smoke` (seconds; tests and CI), `quick` (a couple of minutes), `paper` (the full protocol). */
export type Profile = "smoke" | "quick" | "paper";
export const PROFILES: readonly Profile[] = ["smoke", "quick", "paper"];

export function checkProfile(p: unknown, field = "profile"): Profile {
  if (!PROFILES.includes(p as Profile)) throw new FacrInputError(`must be one of ${PROFILES.join(", ")}, got ${JSON.stringify(p)}`, { field });
  return p as Profile;
}

/** Overrides of a config: any subset of its keys, recursively. */
export type DeepPartial<T> = T extends readonly (infer _U)[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * Merge `overrides` into `defaults`, checking every key and type against the
 * defaults. Arrays and `null`-defaulted values are replaced whole (arrays must
 * keep the element type of the default's first element when it has one).
 */
export function resolveConfig<T extends object>(defaults: T, overrides: unknown, path = "config"): T {
  if (overrides === undefined) return structuredClone(defaults);
  if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
    throw new FacrInputError(`must be an object of overrides`, { field: path });
  }
  const out: Record<string, unknown> = structuredClone(defaults) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    const field = `${path}.${key}`;
    if (!(key in out)) {
      throw new FacrInputError(`unknown key (known: ${Object.keys(out).join(", ")})`, { field });
    }
    const def = out[key];
    if (value === undefined) continue;
    if (def === null) {
      out[key] = value;
    } else if (Array.isArray(def)) {
      if (!Array.isArray(value)) throw new FacrInputError(`must be an array, got ${JSON.stringify(value)}`, { field });
      if (def.length > 0) value.forEach((v, i) => checkSameType(def[0], v, `${field}[${i}]`));
      out[key] = structuredClone(value);
    } else if (typeof def === "object") {
      out[key] = resolveConfig(def as object, value, field);
    } else {
      checkSameType(def, value, field);
      out[key] = value;
    }
  }
  return out as T;
}

function checkSameType(def: unknown, value: unknown, field: string): void {
  const t = typeof def;
  if (typeof value !== t || (t === "number" && !Number.isFinite(value as number))) {
    throw new FacrInputError(`must be a ${t === "number" ? "finite number" : t}, got ${JSON.stringify(value)}`, { field });
  }
}

/** A short stable hash of a resolved config (FNV-1a over canonical JSON), for staleness checks. */
export function configHash(config: unknown): string {
  const text = canonicalJson(config);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(",")}]`;
  if (x && typeof x === "object") {
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((x as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(x) ?? "null";
}
