import { isAuCode, normalizeAuCode } from "../au/registry";
import { FacrInputError } from "../util/errors";

/**
 * The structural AU → class graph G of FACR (spec §2).
 *
 * `polarity[k][c]` is +1 when raising AU k must raise class c, −1 when it must
 * lower it, and 0 when it must leave it unchanged. `aus` fixes the column order of
 * the AU activations z everywhere a graph is used. Substitute groups, per class,
 * list AUs the class combines by max (PSPI's {AU6, AU7} and {AU9, AU10}); the
 * do-intervention sets a group's other members to `lo` so a max cannot hide an
 * effect (spec §3).
 */
export type Polarity = -1 | 0 | 1;

export type ProvenanceKind = "known" | "induced" | "permuted" | "custom";

export interface GraphProvenance {
  /** "known": a published structure; "induced": learned from data; "permuted": the control G′; "custom": user-written. */
  readonly kind: ProvenanceKind;
  /** Where it comes from, in words (a citation, a dataset, a parent graph). */
  readonly source: string;
  /** How the source became polarities, or anything else a reader needs. */
  readonly notes?: string;
  /** Seed used, for induced and permuted graphs. */
  readonly seed?: number | string;
}

export interface CausalGraph {
  readonly aus: readonly string[];
  readonly classes: readonly string[];
  /** [K][C] polarities in {+1, −1, 0}. */
  readonly polarity: readonly (readonly Polarity[])[];
  /** Per class name: substitute groups, each a list of ≥ 2 AU codes from `aus`. */
  readonly groups: Readonly<Record<string, readonly (readonly string[])[]>>;
  readonly provenance: GraphProvenance;
}

const PROVENANCE_KINDS: readonly ProvenanceKind[] = ["known", "induced", "permuted", "custom"];

/**
 * Check an untrusted object (parsed JSON, or a literal) and return it as a frozen
 * CausalGraph. Every error names the offending field, e.g. `polarity[3][1]` or
 * `groups.pain[0][1]`; `file` is prefixed when given.
 */
export function makeGraph(input: unknown, file = "graph"): CausalGraph {
  const fail = (field: string, problem: string): never => {
    throw new FacrInputError(problem, { file, field });
  };
  if (input === null || typeof input !== "object" || Array.isArray(input)) fail("(root)", "a graph must be a JSON object");
  const obj = input as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!["format", "aus", "classes", "polarity", "groups", "provenance"].includes(key)) {
      fail(key, `unknown field "${key}" (expected format, aus, classes, polarity, groups, provenance)`);
    }
  }
  if (obj.format !== undefined && obj.format !== GRAPH_FORMAT) fail("format", `expected "${GRAPH_FORMAT}", got ${JSON.stringify(obj.format)}`);

  // aus
  if (!Array.isArray(obj.aus) || obj.aus.length === 0) fail("aus", "must be a non-empty array of AU codes such as \"AU04\"");
  const aus = obj.aus as unknown[];
  aus.forEach((a, k) => {
    if (typeof a !== "string") fail(`aus[${k}]`, `must be a string, got ${JSON.stringify(a)}`);
    if (!isAuCode(a as string)) {
      const canon = normalizeAuCode(a as string);
      const hint = canon && isAuCode(canon) && canon !== a ? ` (did you mean "${canon}"?)` : "";
      fail(`aus[${k}]`, `unknown AU ${JSON.stringify(a)}${hint}`);
    }
    if (aus.indexOf(a) !== k) fail(`aus[${k}]`, `duplicate AU ${JSON.stringify(a)}`);
  });

  // classes
  if (!Array.isArray(obj.classes) || obj.classes.length === 0) fail("classes", "must be a non-empty array of class names");
  const classes = obj.classes as unknown[];
  classes.forEach((c, j) => {
    if (typeof c !== "string" || c.length === 0) fail(`classes[${j}]`, `must be a non-empty string, got ${JSON.stringify(c)}`);
    if (classes.indexOf(c) !== j) fail(`classes[${j}]`, `duplicate class ${JSON.stringify(c)}`);
  });

  // polarity
  const K = aus.length;
  const C = classes.length;
  if (!Array.isArray(obj.polarity) || obj.polarity.length !== K) {
    fail("polarity", `must be an array of ${K} rows (one per AU), each of ${C} values in {-1, 0, 1}`);
  }
  const polarity = (obj.polarity as unknown[]).map((row, k) => {
    if (!Array.isArray(row) || row.length !== C) fail(`polarity[${k}]`, `row for ${aus[k]} must hold ${C} values (one per class)`);
    return (row as unknown[]).map((v, c) => {
      if (v !== -1 && v !== 0 && v !== 1) {
        fail(`polarity[${k}][${c}]`, `polarity of ${aus[k]} for "${classes[c]}" must be -1, 0 or 1, got ${JSON.stringify(v)}`);
      }
      return v as Polarity;
    });
  });

  // groups
  const rawGroups = obj.groups === undefined ? {} : obj.groups;
  if (rawGroups === null || typeof rawGroups !== "object" || Array.isArray(rawGroups)) fail("groups", "must be an object mapping class names to lists of AU groups");
  const groups: Record<string, string[][]> = {};
  for (const [cls, list] of Object.entries(rawGroups as Record<string, unknown>)) {
    const c = classes.indexOf(cls);
    if (c < 0) fail(`groups.${cls}`, `"${cls}" is not one of the classes [${classes.join(", ")}]`);
    if (!Array.isArray(list)) fail(`groups.${cls}`, "must be a list of groups, each a list of AU codes");
    const seen = new Set<string>();
    groups[cls] = (list as unknown[]).map((grp, gi) => {
      if (!Array.isArray(grp) || grp.length < 2) fail(`groups.${cls}[${gi}]`, "a substitute group must list at least 2 AUs");
      let sign: Polarity | undefined;
      return (grp as unknown[]).map((a, ai) => {
        const field = `groups.${cls}[${gi}][${ai}]`;
        if (typeof a !== "string") fail(field, `must be an AU code, got ${JSON.stringify(a)}`);
        const k = aus.indexOf(a);
        if (k < 0) fail(field, `${JSON.stringify(a)} is not one of the graph's aus`);
        if (seen.has(a as string)) fail(field, `${a} appears in more than one group (or twice) for "${cls}"`);
        seen.add(a as string);
        const p = polarity[k][c];
        if (p === 0) fail(field, `${a} has polarity 0 for "${cls}"; a substitute group must hold causal AUs`);
        if (sign !== undefined && p !== sign) fail(field, `members of a substitute group must share one polarity for "${cls}"`);
        sign = p;
        return a as string;
      });
    });
  }

  // provenance
  const prov = obj.provenance;
  if (prov === null || typeof prov !== "object" || Array.isArray(prov)) fail("provenance", "must be an object with kind and source");
  const p = prov as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!["kind", "source", "notes", "seed"].includes(key)) fail(`provenance.${key}`, `unknown field (expected kind, source, notes, seed)`);
  }
  if (!PROVENANCE_KINDS.includes(p.kind as ProvenanceKind)) fail("provenance.kind", `must be one of ${PROVENANCE_KINDS.join(", ")}, got ${JSON.stringify(p.kind)}`);
  if (typeof p.source !== "string" || p.source.length === 0) fail("provenance.source", "must be a non-empty string");
  if (p.notes !== undefined && typeof p.notes !== "string") fail("provenance.notes", "must be a string");
  if (p.seed !== undefined && typeof p.seed !== "number" && typeof p.seed !== "string") fail("provenance.seed", "must be a number or a string");
  const provenance: GraphProvenance = {
    kind: p.kind as ProvenanceKind,
    source: p.source as string,
    ...(p.notes !== undefined ? { notes: p.notes as string } : {}),
    ...(p.seed !== undefined ? { seed: p.seed as number | string } : {}),
  };

  return deepFreeze({ aus: aus as string[], classes: classes as string[], polarity, groups, provenance });
}

export const GRAPH_FORMAT = "facr-graph/1";

/** Index of an AU code in the graph, or an error naming it. */
export function auIndex(g: CausalGraph, code: string): number {
  const k = g.aus.indexOf(code);
  if (k < 0) throw new FacrInputError(`${code} is not one of the graph's AUs [${g.aus.join(", ")}]`);
  return k;
}

/** Index of a class in the graph, or an error naming it. */
export function classIndex(g: CausalGraph, name: string): number {
  const c = g.classes.indexOf(name);
  if (c < 0) throw new FacrInputError(`"${name}" is not one of the graph's classes [${g.classes.join(", ")}]`);
  return c;
}

/** Indices of the AUs G marks causal (±1) for class index c. */
export function causalAus(g: CausalGraph, c: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < g.aus.length; k++) if (g.polarity[k][c] !== 0) out.push(k);
  return out;
}

/** Indices of the other members of AU k's substitute group for class c (empty when k is in none). */
export function groupPartners(g: CausalGraph, k: number, c: number): number[] {
  const code = g.aus[k];
  for (const grp of g.groups[g.classes[c]] ?? []) {
    if (grp.includes(code)) return grp.filter((a) => a !== code).map((a) => g.aus.indexOf(a));
  }
  return [];
}

/** A copy of g with some fields replaced, validated again. */
export function updateGraph(g: CausalGraph, patch: Partial<CausalGraph>): CausalGraph {
  return makeGraph({ ...g, ...patch });
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === "object" && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}
