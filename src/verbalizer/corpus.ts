import { CausalGraph } from "../graph/graph";
import { FacrInputError } from "../util/errors";
import { Rng, Seed } from "../util/random";
import { EMPTY_TEMPLATES, RATIONALE_TEMPLATES, Template, Vocabulary, grammarFor } from "./grammar";

/**
 * The verbalizer's training corpus (spec §8): for each sample, a rationale
 * drawn from the paraphrase grammar (uniform template, uniform order of the
 * AUs) that mentions the sample's *active causal AUs*: the AUs G marks +1 for
 * the sample's class that are active in it. A class with no such AU (no_pain,
 * neutral: their edges are −1) gets an empty rationale ("No action unit is
 * cited for no pain.").
 */
export interface RationaleSpec {
  className: string;
  /** AU codes to mention (order irrelevant: the writer draws one). */
  aus: readonly string[];
}

/** AUs with G[k][c] = +1 whose value exceeds `threshold` (values in `graph.aus` order). */
export function activeCausalAus(graph: CausalGraph, classIndex: number, values: ArrayLike<number>, threshold = 0): string[] {
  if (values.length !== graph.aus.length) throw new FacrInputError(`expected ${graph.aus.length} AU values, got ${values.length}`, { field: "values" });
  if (classIndex < 0 || classIndex >= graph.classes.length) throw new FacrInputError(`class index ${classIndex} outside [0, ${graph.classes.length})`, { field: "classIndex" });
  const out: string[] = [];
  for (let k = 0; k < graph.aus.length; k++) if (graph.polarity[k][classIndex] === 1 && values[k] > threshold) out.push(graph.aus[k]);
  return out;
}

/**
 * Specs of rows of a dataset: class = label, AUs = active causal AUs from
 * `values` (N × K in `graph.aus` order, e.g. ground-truth intensities; active =
 * value > threshold).
 */
export function rationaleSpecs(graph: CausalGraph, y: ArrayLike<number>, values: ArrayLike<number>, rows: ArrayLike<number>, threshold = 0): RationaleSpec[] {
  const K = graph.aus.length;
  const out: RationaleSpec[] = [];
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const row = Array.from({ length: K }, (_, k) => values[i * K + k]);
    out.push({ className: graph.classes[y[i]], aus: activeCausalAus(graph, y[i], row, threshold) });
  }
  return out;
}

/** Tokens (class prefix … <eos>) of one rationale for `spec`: a uniform template, the AUs in uniform random order. */
export function writeRationale(vocab: Vocabulary, spec: RationaleSpec, rng: Rng, templates?: readonly Template[]): number[] {
  if (new Set(spec.aus).size !== spec.aus.length) throw new FacrInputError(`AUs to mention must be distinct, got [${spec.aus.join(", ")}]`, { field: "aus" });
  const pool = templates ?? (spec.aus.length ? RATIONALE_TEMPLATES : EMPTY_TEMPLATES);
  const tpl = pool[rng.int(pool.length)];
  const hasList = tpl.elements.some((e) => e.kind === "list");
  if (hasList !== spec.aus.length > 0) throw new FacrInputError(`template ${tpl.id} ${hasList ? "needs" : "takes no"} AUs, got ${spec.aus.length}`, { field: "templates" });
  const cls = vocab.classToken(spec.className);
  const aus = rng.shuffle(spec.aus.map((a) => vocab.auToken(a)));
  const out = [cls];
  for (const e of tpl.elements) {
    if (e.kind === "word") out.push(vocab.wordToken(e.word));
    else if (e.kind === "class") out.push(cls);
    else if (e.kind === "list") out.push(...aus);
    else out.push(vocab.wordToken(aus.length === 1 ? e.singular : e.plural));
  }
  out.push(vocab.eos);
  return out;
}

/** A seeded corpus: `paraphrases` rationales per spec, each checked against the grammar. */
export function generateCorpus(vocab: Vocabulary, specs: readonly RationaleSpec[], seed: Seed, opts: { paraphrases?: number } = {}): number[][] {
  const paraphrases = opts.paraphrases ?? 1;
  if (!Number.isInteger(paraphrases) || paraphrases < 1) throw new FacrInputError(`must be a positive integer, got ${paraphrases}`, { field: "paraphrases" });
  const rng = new Rng(seed).fork("corpus");
  const g = grammarFor(vocab);
  const out: number[][] = [];
  for (const spec of specs) {
    for (let p = 0; p < paraphrases; p++) {
      const seq = writeRationale(vocab, spec, rng);
      // the writer and the parser are two descriptions of one grammar: keep them honest
      let st = g.start();
      for (let i = 1; i < seq.length; i++) st = g.advance(st, seq[i], seq[0]);
      if (!g.accepted(st)) throw new Error(`generateCorpus: the grammar rejects its own rationale [${seq.map((t) => vocab.tokens[t]).join(" ")}]`);
      out.push(seq);
    }
  }
  return out;
}

/**
 * Up to `perClass` rows per class (without replacement, in random order), for
 * corpora and audits that should not be dominated by a frequent class (SynPain
 * is 5/6 no_pain). Rows are returned ascending.
 */
export function sampleRowsPerClass(labels: ArrayLike<number>, classes: number, perClass: number, seed: Seed, among?: ArrayLike<number>): Int32Array {
  const rng = new Rng(seed).fork("sampleRowsPerClass");
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  const rows = among ?? Int32Array.from({ length: labels.length }, (_, i) => i);
  for (let r = 0; r < rows.length; r++) {
    const c = labels[rows[r]];
    if (c >= 0 && c < classes) byClass[c].push(rows[r]);
  }
  const out: number[] = [];
  for (const list of byClass) out.push(...rng.sample(list, Math.min(perClass, list.length)));
  return Int32Array.from(out.sort((a, b) => a - b));
}
