import * as tf from "@tensorflow/tfjs";
import { CausalGraph } from "../graph/graph";
import { DecodedRationale, decodeRationales, DecodeOptions, NextTokenLogits } from "../verbalizer/decode";
import { Grammar, TEMPLATES, Vocabulary } from "../verbalizer/grammar";

/**
 * The default verbalizer of `facr audit`: the project's gated decoder
 * (`decodeRationales`, mode "gated", greedy) driven by a *grammar language
 * model* instead of a trained GRU. Nothing is trained, cached or downloaded,
 * and the output is deterministic.
 *
 * The grammar LM is what a language model trained on the verbalizer's corpus
 * (spec §8) approximates, written down: after a prefix it gives logit 0 to
 * every token the grammar allows next, −∞ to the rest, and it knows the
 * corpus's class → AU association — a rationale for class c cites only AUs
 * that G marks +1 for c (logit 0 in an AU list, −10⁴ elsewhere), never others
 * (−∞). Its support is two
 * templates of the grammar: "<Class> is indicated by <AUs>." and, when no AU
 * is left open, "<Class> is predicted without a supporting action unit.".
 *
 * The gate (spec §8) then decides which AUs are cited: the decoder adds
 * β·(a_k − θ) to AU k's logit and closes it (−∞) when a_k < θ_gate. With the
 * template's next word at logit 0, greedy decoding cites the open AU with the
 * highest activation, then every further open AU with a_k > θ, strongest
 * first. Ablating an AU (a_k := 0) removes it from the text.
 *
 * The activations a: `gate: "invoked"` (default) a_k = z_k when the AU's
 * do-intervention raises the predicted class's log-odds by at least τ
 * (Δ[i,k,ĉ] ≥ τ), else 0 — the rationale cites only AUs that are present, that
 * G marks as evidence for the prediction, *and* that drive the reasoner toward
 * it; `gate: "z"` a_k = z_k, the spec's latent activation alone.
 */
export type GateSource = "invoked" | "z";
export const GATE_SOURCES: readonly GateSource[] = ["invoked", "z"];

/** Gate parameters: the verbalizer experiment's defaults (θ_gate = half of FACS's lowest intensity on z's scale). */
export const AUDIT_DECODE: Pick<DecodeOptions, "mode" | "strategy" | "beta" | "theta" | "thetaGate" | "maxTokens" | "batchSize"> = {
  mode: "gated",
  strategy: "greedy",
  beta: 5,
  theta: 0.3,
  thetaGate: 0.1,
  maxTokens: 32,
  batchSize: 512,
};

/** Logit of a class's AU token where the grammar has no AU slot (see grammarLm). */
const UNLIKELY = -1e4;

/** Template ids the grammar LM speaks. */
export const LM_TEMPLATE_IDS = ["indicated-by", "predicted-without"] as const;

/**
 * Vocabulary class names for G's classes: the Vocabulary accepts lower-case
 * letters and underscores, so other names are spelled that way (distinct).
 */
export function vocabularyClassNames(classes: readonly string[]): string[] {
  const out: string[] = [];
  classes.forEach((c, j) => {
    let n = c.toLowerCase().replace(/[^a-z_]+/g, "_").replace(/^_+|_+$/g, "");
    if (!/^[a-z]/.test(n)) n = `class_${n}`.replace(/_+$/, "");
    while (out.includes(n)) n = `${n}_${String.fromCharCode(97 + (j % 26))}`;
    out.push(n);
  });
  return out;
}

/** The grammar LM over `vocab` for G (see the module comment); memoises prefixes. */
export function grammarLm(vocab: Vocabulary, G: CausalGraph, vocabClasses: readonly string[]): NextTokenLogits {
  const grammar = new Grammar(
    vocab,
    LM_TEMPLATE_IDS.map((id) => TEMPLATES.find((t) => t.id === id)!),
  );
  const V = vocab.size;
  // AU token → allowed for class token?
  const positive = new Map<number, Set<number>>();
  vocabClasses.forEach((name, c) => {
    const set = new Set<number>();
    G.aus.forEach((au, k) => {
      if (G.polarity[k][c] === 1) set.add(vocab.auToken(au));
    });
    positive.set(vocab.classToken(name), set);
  });
  const cache = new Map<string, Float32Array>();
  const row = (tokens: Int32Array): Float32Array => {
    const key = tokens.join(",");
    const hit = cache.get(key);
    if (hit) return hit;
    const out = new Float32Array(V).fill(-Infinity);
    const cls = tokens[0];
    let states = grammar.start();
    for (let j = 1; j < tokens.length && states.length; j++) states = grammar.advance(states, tokens[j], cls);
    if (states.length === 0) out[vocab.eos] = 0;
    else {
      const ok = positive.get(cls) ?? new Set<number>();
      for (let v = 0; v < V; v++) {
        if (vocab.isAu(v) && !ok.has(v)) continue;
        if (grammar.advance(states, v, cls).length > 0) out[v] = 0;
        // A class's AU stays possible (finite, very unlikely) where the grammar has no list slot, as under a
        // neural LM: the decoder reads "some AU token is still open" from finite AU logits when it decides
        // whether the sentence may still take a form that needs an AU.
        else if (vocab.isAu(v)) out[v] = UNLIKELY;
      }
    }
    cache.set(key, out);
    return out;
  };
  return (prefix) => {
    const [B, t] = prefix.shape;
    const data = prefix.dataSync() as Int32Array;
    const logits = new Float32Array(B * V);
    for (let b = 0; b < B; b++) logits.set(row(data.subarray(b * t, (b + 1) * t)), b * V);
    return tf.tensor2d(logits, [B, V]);
  };
}

/** A vocabulary and grammar LM for G, built once per graph. */
export interface RationaleVerbalizer {
  vocab: Vocabulary;
  /** Vocabulary class name of each G class (index-aligned). */
  classNames: string[];
  lm: NextTokenLogits;
}

export function rationaleVerbalizer(G: CausalGraph): RationaleVerbalizer {
  const classNames = vocabularyClassNames(G.classes);
  const vocab = new Vocabulary({ classes: classNames, aus: [...G.aus] });
  return { vocab, classNames, lm: grammarLm(vocab, G, classNames) };
}

/**
 * Gated rationales: row i for predicted class index `predicted[i]` with
 * activations `activations` (N × K in G.aus order).
 *
 * Rows are decoded once per distinct *decision key*: under greedy decoding
 * with this LM the output depends only on the class and, among the class's AUs
 * whose gate is open (a_k ≥ θ_gate), on their order by bias β·(a_k − θ) (ties:
 * G's AU order, as token ids) and on whether each bias is ≥ 0 (it then beats
 * the template's next word, logit 0). Identical keys give identical token
 * sequences, so a long file costs as many decodes as it has distinct keys
 * (`decodeKey`; a test checks it against decoding every row).
 */
export function verbalize(v: RationaleVerbalizer, G: CausalGraph, predicted: Int32Array, activations: Float32Array): DecodedRationale[] {
  const N = predicted.length;
  const K = G.aus.length;
  const keys = Array.from(predicted, (c, i) => decodeKey(G, c, activations.subarray(i * K, (i + 1) * K)));
  const first = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!first.has(k)) first.set(k, i);
  });
  const reps = [...first.values()];
  const decoded = decodeAll(v, G, Int32Array.from(reps, (i) => predicted[i]), Float32Array.from(reps.flatMap((i) => Array.from(activations.subarray(i * K, (i + 1) * K)))));
  const byKey = new Map<string, DecodedRationale>(reps.map((i, j) => [keys[i], decoded[j]]));
  return Array.from({ length: N }, (_, i) => {
    const d = byKey.get(keys[i])!;
    return { ...d, tokens: [...d.tokens], aus: [...d.aus] };
  });
}

/** Decode every row (no deduplication). */
export function decodeAll(v: RationaleVerbalizer, G: CausalGraph, predicted: Int32Array, activations: Float32Array): DecodedRationale[] {
  return decodeRationales(
    v.lm,
    v.vocab,
    { classes: Array.from(predicted, (c) => v.classNames[c]), aus: [...G.aus], activations, seeds: Array.from(predicted, (_, i) => i) },
    AUDIT_DECODE,
  );
}

/** The decision key of one row (see `verbalize`). */
export function decodeKey(G: CausalGraph, c: number, a: ArrayLike<number>): string {
  const open: { k: number; bias: number }[] = [];
  for (let k = 0; k < G.aus.length; k++) {
    if (G.polarity[k][c] !== 1 || !(a[k] >= AUDIT_DECODE.thetaGate)) continue;
    open.push({ k, bias: AUDIT_DECODE.beta * (a[k] - AUDIT_DECODE.theta) });
  }
  open.sort((x, y) => y.bias - x.bias || x.k - y.k);
  return `${c}:${open.map((o) => `${o.k}${o.bias >= 0 ? "+" : "-"}`).join(",")}`;
}

/** The gate's activations: z, or z masked to AUs with Δ[i,k,ĉ] ≥ τ (effects N × K × C). */
export function gateActivations(z: Float32Array, effects: Float32Array, predicted: Int32Array, K: number, C: number, tau: number, source: GateSource): Float32Array {
  if (source === "z") return z;
  const a = new Float32Array(z.length);
  for (let i = 0; i < predicted.length; i++) {
    for (let k = 0; k < K; k++) if (effects[(i * K + k) * C + predicted[i]] >= tau) a[i * K + k] = z[i * K + k];
  }
  return a;
}
