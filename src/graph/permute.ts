import { Rng, Seed } from "../util/random";
import { CausalGraph, makeGraph, Polarity } from "./graph";

/**
 * The unfaithfulness control G′ (spec §6). For each class, its causal AUs are
 * replaced by the same number of AUs drawn (seeded) from that class's irrelevant
 * AUs; the polarities move with them (the i-th causal AU's sign goes to the i-th
 * drawn AU) and substitute groups follow the same mapping. Where a class has
 * fewer irrelevant AUs than causal ones (pain: 6 PSPI AUs, 5 others), G′ is the
 * complement: the irrelevant AUs become causal with the class's sign (the sign of
 * most of its causal AUs, +1 on a tie) and the causal ones irrelevant; that
 * class's groups are dropped.
 */
export function permuteGraph(g: CausalGraph, seed: Seed): CausalGraph {
  const rng = new Rng(seed).fork("permuteGraph");
  const K = g.aus.length;
  const polarity: Polarity[][] = g.aus.map(() => g.classes.map(() => 0 as Polarity));
  const groups: Record<string, string[][]> = {};
  g.classes.forEach((cls, c) => {
    const causal: number[] = [];
    const irrelevant: number[] = [];
    for (let k = 0; k < K; k++) (g.polarity[k][c] !== 0 ? causal : irrelevant).push(k);
    const crng = rng.fork(cls);
    if (irrelevant.length >= causal.length) {
      const drawn = crng.sample(irrelevant, causal.length);
      const map = new Map<string, string>();
      causal.forEach((k, i) => {
        polarity[drawn[i]][c] = g.polarity[k][c];
        map.set(g.aus[k], g.aus[drawn[i]]);
      });
      const mapped = (g.groups[cls] ?? []).map((grp) => grp.map((a) => map.get(a) as string));
      if (mapped.length) groups[cls] = mapped;
    } else {
      const sum = causal.reduce((s, k) => s + g.polarity[k][c], 0);
      const sign: Polarity = sum < 0 ? -1 : 1;
      for (const k of irrelevant) polarity[k][c] = sign;
    }
  });
  return makeGraph({
    aus: [...g.aus],
    classes: [...g.classes],
    polarity,
    groups,
    provenance: { kind: "permuted", source: `permuted control of: ${g.provenance.source}`, seed },
  });
}
