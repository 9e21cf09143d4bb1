import { CausalGraph } from "./graph";

export interface GraphComparison {
  /** Non-zero edges of `candidate` that are non-zero in `reference`, over candidate's non-zero edges. */
  edgePrecision: number;
  /** Non-zero edges of `reference` found (non-zero) in `candidate`, over reference's non-zero edges. */
  edgeRecall: number;
  /** Among edges non-zero in both, the share with the same sign. */
  signAgreement: number;
  /** Counts behind the ratios. */
  counts: { candidate: number; reference: number; shared: number; sameSign: number };
  /** The same per class present in both graphs. */
  perClass: Record<string, { edgePrecision: number; edgeRecall: number; signAgreement: number; candidate: string[]; reference: string[] }>;
}

/**
 * Compare two graphs edge by edge over the AUs and classes they share (e.g. an
 * induced G against the PSPI composition or the FACS prototypes). Ratios with an
 * empty denominator are NaN. `edges: "positive"` (or "negative") counts only the
 * edges of that sign in each graph — e.g. to score recovered prototypes, which
 * are positive structure, apart from an induced graph's exclusion edges.
 */
export function compareGraphs(candidate: CausalGraph, reference: CausalGraph, opts: { edges?: "all" | "positive" | "negative" } = {}): GraphComparison {
  const keep = (p: number) => (opts.edges === "positive" ? p > 0 : opts.edges === "negative" ? p < 0 : p !== 0);
  const aus = candidate.aus.filter((a) => reference.aus.includes(a));
  const classes = candidate.classes.filter((c) => reference.classes.includes(c));
  const tally = { candidate: 0, reference: 0, shared: 0, sameSign: 0 };
  const perClass: GraphComparison["perClass"] = {};
  for (const cls of classes) {
    const ci = candidate.classes.indexOf(cls);
    const ri = reference.classes.indexOf(cls);
    const t = { candidate: 0, reference: 0, shared: 0, sameSign: 0 };
    const cand: string[] = [];
    const ref: string[] = [];
    for (const a of aus) {
      const p0 = candidate.polarity[candidate.aus.indexOf(a)][ci];
      const r0 = reference.polarity[reference.aus.indexOf(a)][ri];
      const p = keep(p0) ? p0 : 0;
      const r = keep(r0) ? r0 : 0;
      if (p !== 0) { t.candidate++; cand.push(`${p > 0 ? "+" : "-"}${a}`); }
      if (r !== 0) { t.reference++; ref.push(`${r > 0 ? "+" : "-"}${a}`); }
      if (p !== 0 && r !== 0) {
        t.shared++;
        if (p === r) t.sameSign++;
      }
    }
    perClass[cls] = { ...ratios(t), candidate: cand, reference: ref };
    tally.candidate += t.candidate;
    tally.reference += t.reference;
    tally.shared += t.shared;
    tally.sameSign += t.sameSign;
  }
  return { ...ratios(tally), counts: tally, perClass };
}

function ratios(t: { candidate: number; reference: number; shared: number; sameSign: number }) {
  return {
    edgePrecision: t.candidate ? t.shared / t.candidate : NaN,
    edgeRecall: t.reference ? t.shared / t.reference : NaN,
    signAgreement: t.shared ? t.sameSign / t.shared : NaN,
  };
}
