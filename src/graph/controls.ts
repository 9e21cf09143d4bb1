import { Rng, Seed } from "../util/random";
import { CausalGraph, makeGraph, Polarity } from "./graph";

/**
 * The second protocol's graph controls (spec §11.3, §11.4), beside the
 * complement G′ of `permuteGraph`:
 *
 * - `randomGraph` (G_perm): for each class a seeded random set of causal AUs of
 *   the same size, drawn from *all* of the task's AUs, so it may overlap G.
 * - `wrongGraph` (G_k): k of each class's causal AUs swapped for irrelevant ones.
 *
 * Classes whose causal AU sets are equal in G (PSPI's pain and no_pain, mirror
 * images of each other) share one draw, so a mirrored G stays mirrored. The i-th
 * causal AU's sign goes to the i-th drawn AU, and substitute groups follow the
 * same mapping.
 */

/** Each class's causal AU indices in G, and the classes that share a set. */
function causalSets(g: CausalGraph): { key: string; causal: number[]; classes: number[] }[] {
  const sets = new Map<string, { key: string; causal: number[]; classes: number[] }>();
  g.classes.forEach((_, c) => {
    const causal = g.aus.map((_, k) => k).filter((k) => g.polarity[k][c] !== 0);
    const key = causal.join(",");
    const s = sets.get(key) ?? { key, causal, classes: [] };
    s.classes.push(c);
    sets.set(key, s);
  });
  return [...sets.values()];
}

/** A graph whose class c has the causal AUs `mapping` sends G's causal AUs to (signs and groups carried along). */
function remapped(g: CausalGraph, maps: Map<number, Map<number, number>>, provenance: CausalGraph["provenance"]): CausalGraph {
  const polarity: Polarity[][] = g.aus.map(() => g.classes.map(() => 0 as Polarity));
  const groups: Record<string, string[][]> = {};
  g.classes.forEach((cls, c) => {
    const map = maps.get(c)!;
    for (const [from, to] of map) polarity[to][c] = g.polarity[from][c];
    const byCode = new Map([...map].map(([from, to]) => [g.aus[from], g.aus[to]]));
    const mapped = (g.groups[cls] ?? []).map((grp) => grp.map((a) => byCode.get(a) ?? a));
    if (mapped.length) groups[cls] = mapped;
  });
  return makeGraph({ aus: [...g.aus], classes: [...g.classes], polarity, groups, provenance });
}

/**
 * G_perm: per class (shared between classes with equal causal sets), as many AUs
 * as G has causal ones, drawn without replacement from all K AUs.
 */
export function randomGraph(g: CausalGraph, seed: Seed): CausalGraph {
  const rng = new Rng(seed).fork("randomGraph");
  const K = g.aus.length;
  const all = Array.from({ length: K }, (_, k) => k);
  const maps = new Map<number, Map<number, number>>();
  for (const s of causalSets(g)) {
    const drawn = rng.fork(s.key).sample(all, s.causal.length);
    const map = new Map(s.causal.map((k, i) => [k, drawn[i]]));
    for (const c of s.classes) maps.set(c, map);
  }
  return remapped(g, maps, { kind: "permuted", source: `random same-size causal sets (may overlap) from: ${g.provenance.source}`, seed });
}

/**
 * G_k: per class (shared as above), k causal AUs, drawn, swapped for k drawn
 * irrelevant ones (each takes the sign and group place of the AU it replaces).
 * Needs k ≤ the number of causal and of irrelevant AUs of every class.
 */
export function wrongGraph(g: CausalGraph, swaps: number, seed: Seed): CausalGraph {
  if (!Number.isInteger(swaps) || swaps < 0) throw new Error(`wrongGraph: swaps must be a non-negative integer, got ${swaps}`);
  const rng = new Rng(seed).fork(`wrongGraph${swaps}`);
  const K = g.aus.length;
  const maps = new Map<number, Map<number, number>>();
  for (const s of causalSets(g)) {
    const irrelevant = Array.from({ length: K }, (_, k) => k).filter((k) => !s.causal.includes(k));
    if (swaps > s.causal.length || swaps > irrelevant.length) {
      throw new Error(`wrongGraph: cannot swap ${swaps} AUs for class ${s.classes.map((c) => g.classes[c]).join("/")} (${s.causal.length} causal, ${irrelevant.length} irrelevant)`);
    }
    const r = rng.fork(s.key);
    const out = r.sample(s.causal, swaps);
    const into = r.sample(irrelevant, swaps);
    const map = new Map(s.causal.map((k) => [k, k]));
    out.forEach((k, i) => map.set(k, into[i]));
    for (const c of s.classes) maps.set(c, map);
  }
  return remapped(g, maps, { kind: "custom", source: `${g.provenance.source} with ${swaps} causal AU(s) per class swapped for irrelevant ones (a wrong G)`, seed });
}
