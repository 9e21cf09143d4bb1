import * as tf from "@tensorflow/tfjs";
import { actionUnit } from "../au/registry";
import { DeepPartial, resolveConfig } from "../util/config";
import { FacrInputError } from "../util/errors";
import { Rng, Seed } from "../util/random";
import { grammarFor, GrammarState, parseTokens, renderTokens, Vocabulary } from "./grammar";

/**
 * Decoding rationales from any backbone (spec §8). The decoder only sees a
 * function from token prefixes to next-token logits, so the same code — and
 * the same gate — drives the GRU and the Transformer.
 *
 * free   the unfaithful baseline: the language model alone picks the AU tokens,
 *        from what it learned to associate with the class; the activations are
 *        never read.
 * gated  at every step the logit of AU token k becomes
 *            logit_k + β·(a_k − θ)      when a_k ≥ θ_gate,
 *            −∞                         when a_k < θ_gate,
 *        so an AU whose activation is ablated to 0 cannot be mentioned, and the
 *        choice "one more AU or stop" (an AU token against the template's next
 *        word, see grammar.ts) leans toward AUs with high activation.
 *
 * Constraints applied in both modes (they are about well-formed output, not
 * about which AU the model prefers):
 *   - the sentence's class slot can only be the conditioning class;
 *   - an AU already mentioned cannot be mentioned again;
 *   - AUs outside the task's AU set cannot be mentioned (a shared vocabulary
 *     serves several tasks);
 *   - <pad> and <unk> are never emitted.
 * While the model still has an AU to choose, the decoder is *not*
 * grammar-constrained — grammar acceptance measures what the model learned —
 * with two exceptions, both there so that removing AU tokens (the gate, or
 * mentions already made) never forces an unfinishable sentence:
 *   - at the start of an AU list only AU tokens are allowed (a list has ≥ 1 item);
 *   - once no AU token is left open (every open AU mentioned, or the gate closed
 *     them all), the rest of the sentence is completed within the grammar: only
 *     tokens the grammar allows next are kept, minus those that would lead into
 *     a sentence form needing another AU. When the gate closes every AU this
 *     writes one of the grammar's empty rationales ("No action unit is cited
 *     for pain."), which says, faithfully, that no AU supports the prediction —
 *     even for a class whose training rationales always cited AUs (the price
 *     shows in the perplexity under the unbiased model).
 * A sentence the model has already taken outside the grammar is left alone;
 * if every token is masked, <eos> is emitted and the sentence is rejected.
 *
 * Sampling uses common random numbers: each row draws its uniforms for every
 * step up front from its own seed, so a row decoded twice with the same seed —
 * e.g. before and after an ablation — differs only where its logits differ.
 */
export type DecodeMode = "free" | "gated";
export const DECODE_MODES: readonly DecodeMode[] = ["free", "gated"];

export interface DecodeOptions {
  mode: DecodeMode;
  /** Bias slope β (nats per unit activation). */
  beta: number;
  /** Bias center θ: AUs above it are pushed up, below it down. */
  theta: number;
  /** Gate θ_gate: AUs with a_k < θ_gate get −∞. */
  thetaGate: number;
  strategy: "greedy" | "sample";
  /** Softmax temperature for sampling. */
  temperature: number;
  /** Most tokens after the class prefix (including <eos>); an unfinished sentence is rejected. */
  maxTokens: number;
  /** Rows per model call. */
  batchSize: number;
}

export const DECODE_DEFAULTS: DecodeOptions = {
  mode: "gated",
  beta: 5,
  theta: 0.3,
  thetaGate: 0.1,
  strategy: "sample",
  temperature: 1,
  maxTokens: 32,
  batchSize: 512,
};

/** Next-token logits for B prefixes of equal length t: tokens [B, t] int32 → logits [B, V] (the caller disposes). */
export type NextTokenLogits = (prefix: tf.Tensor2D) => tf.Tensor2D;

export interface DecodeRequest {
  /** Conditioning class per row. */
  classes: readonly string[];
  /** AU codes of the task: the columns of `activations` and the AUs rows may mention. */
  aus: readonly string[];
  /** rows × aus.length activations a in [0, 1] (read in gated mode only; may be null in free mode). */
  activations: Float32Array | null;
  /** Sampling seed per row. */
  seeds: readonly Seed[];
}

export interface DecodedRationale {
  /** Class prefix, sentence tokens, <eos> when finished. */
  tokens: number[];
  /** AU codes mentioned (every AU token in the sequence), in order. */
  aus: string[];
  text: string;
  /** In the grammar (see parseTokens). */
  accepted: boolean;
  /** Ended with <eos> within maxTokens. */
  finished: boolean;
}

/**
 * Additive logit offsets of one row over the vocabulary: −∞ for tokens that may
 * never be emitted (specials, other classes, AUs outside the task, and in
 * gated mode AUs with a_k < θ_gate), β·(a_k − θ) on open AU tokens in gated
 * mode, 0 elsewhere. A NaN activation counts as below the gate.
 */
export function staticLogitOffsets(vocab: Vocabulary, className: string, taskAus: readonly string[], activations: ArrayLike<number> | null, opts: Pick<DecodeOptions, "mode" | "beta" | "theta" | "thetaGate">): Float64Array {
  const V = vocab.size;
  const off = new Float64Array(V);
  off[vocab.pad] = -Infinity;
  off[vocab.unk] = -Infinity;
  const cls = vocab.classToken(className);
  for (let id = vocab.classOffset; id < vocab.auOffset; id++) if (id !== cls) off[id] = -Infinity;
  for (let id = vocab.auOffset; id < vocab.wordOffset; id++) off[id] = -Infinity;
  taskAus.forEach((code, k) => {
    const id = vocab.auToken(code);
    if (opts.mode === "free") {
      off[id] = 0;
      return;
    }
    const a = activations![k];
    // a missing activation (NaN) is treated as inactive
    off[id] = a >= opts.thetaGate ? opts.beta * (a - opts.theta) : -Infinity;
  });
  return off;
}

/** Decode one rationale per row, rows in batches (one model call per step and batch). */
export function decodeRationales(next: NextTokenLogits, vocab: Vocabulary, req: DecodeRequest, overrides: DeepPartial<DecodeOptions> = {}): DecodedRationale[] {
  const opts = resolveConfig(DECODE_DEFAULTS, overrides, "decode");
  checkOptions(opts);
  const N = req.classes.length;
  const K = req.aus.length;
  if (req.seeds.length !== N) throw new FacrInputError(`needs one seed per row (${N}), got ${req.seeds.length}`, { field: "seeds" });
  if (opts.mode === "gated") {
    if (!req.activations || req.activations.length !== N * K) throw new FacrInputError(`gated decoding needs ${N} × ${K} activations, got ${req.activations?.length ?? "none"}`, { field: "activations" });
  }
  for (const a of req.aus) if (!vocab.aus.includes(actionUnit(a).code)) throw new FacrInputError(`${a} is not in the vocabulary`, { field: "aus" });
  const out: DecodedRationale[] = new Array(N);
  for (let start = 0; start < N; start += opts.batchSize) {
    const rows = Array.from({ length: Math.min(opts.batchSize, N - start) }, (_, j) => start + j);
    decodeBatch(next, vocab, req, rows, opts).forEach((d, j) => (out[rows[j]] = d));
  }
  return out;
}

interface RowState {
  tokens: number[];
  cls: number;
  offsets: Float64Array;
  uniforms: Float64Array;
  states: GrammarState[];
  done: boolean;
}

function decodeBatch(next: NextTokenLogits, vocab: Vocabulary, req: DecodeRequest, rows: number[], opts: DecodeOptions): DecodedRationale[] {
  const K = req.aus.length;
  const V = vocab.size;
  const g = grammarFor(vocab);
  const st: RowState[] = rows.map((i) => {
    const rng = new Rng(req.seeds[i]).fork("decode");
    const cls = vocab.classToken(req.classes[i]);
    return {
      tokens: [cls],
      cls,
      offsets: staticLogitOffsets(vocab, req.classes[i], req.aus, req.activations ? req.activations.subarray(i * K, (i + 1) * K) : null, opts),
      uniforms: Float64Array.from({ length: opts.maxTokens }, () => rng.next()),
      states: g.start(),
      done: false,
    };
  });
  const work = new Float64Array(V);
  for (let step = 0; step < opts.maxTokens; step++) {
    const active = st.filter((s) => !s.done);
    if (active.length === 0) break;
    const t = step + 1;
    const prefix = new Int32Array(active.length * t);
    active.forEach((s, r) => prefix.set(s.tokens, r * t));
    // the tensor leaves tidy and is read after it (a typed array returned from tidy is walked element by element)
    const logitsT = tf.tidy(() => {
      const input = tf.tensor2d(prefix, [active.length, t], "int32");
      const l = next(input);
      if (l.shape[0] !== active.length || l.shape[1] !== V) throw new Error(`next-token logits must be [${active.length}, ${V}], got [${l.shape}]`);
      return l;
    });
    const logits = logitsT.dataSync() as Float32Array;
    logitsT.dispose();
    active.forEach((s, r) => {
      for (let v = 0; v < V; v++) work[v] = logits[r * V + v] + s.offsets[v];
      for (let j = 1; j < s.tokens.length; j++) if (vocab.isAu(s.tokens[j])) work[s.tokens[j]] = -Infinity;
      structuralMask(work, s, vocab, g);
      const tok = choose(work, opts, s.uniforms[step], vocab.eos);
      s.tokens.push(tok);
      s.states = s.states.length ? g.advance(s.states, tok, s.cls) : s.states;
      if (tok === vocab.eos) s.done = true;
    });
  }
  return st.map((s) => {
    const parse = parseTokens(s.tokens, vocab);
    return { tokens: s.tokens, aus: parse.aus, text: renderTokens(s.tokens, vocab), accepted: parse.accepted, finished: s.tokens[s.tokens.length - 1] === vocab.eos };
  });
}

/** The two gate-safety rules (see the module comment). Needs live grammar states; off-grammar rows are left alone. */
function structuralMask(work: Float64Array, s: RowState, vocab: Vocabulary, g: ReturnType<typeof grammarFor>): void {
  if (s.states.length === 0) return;
  if (s.states.every((q) => g.atEmptyList(q))) {
    for (let v = 0; v < work.length; v++) if (!vocab.isAu(v)) work[v] = -Infinity;
    return;
  }
  let open = 0;
  for (let v = vocab.auOffset; v < vocab.wordOffset; v++) if (work[v] > -Infinity) open++;
  if (open > 0) return;
  for (let v = 0; v < work.length; v++) {
    if (work[v] === -Infinity || vocab.isAu(v)) continue;
    const adv = g.advance(s.states, v, s.cls);
    if (adv.length === 0 || adv.every((q) => g.needsAu(q))) work[v] = -Infinity;
  }
}

function choose(work: Float64Array, opts: DecodeOptions, u: number, fallback: number): number {
  let best = -1;
  let max = -Infinity;
  for (let v = 0; v < work.length; v++) {
    if (work[v] > max) {
      max = work[v];
      best = v;
    }
  }
  if (best < 0) return fallback;
  if (opts.strategy === "greedy") return best;
  let z = 0;
  for (let v = 0; v < work.length; v++) z += work[v] === -Infinity ? 0 : Math.exp((work[v] - max) / opts.temperature);
  let acc = 0;
  const target = u * z;
  let last = best;
  for (let v = 0; v < work.length; v++) {
    if (work[v] === -Infinity) continue;
    acc += Math.exp((work[v] - max) / opts.temperature);
    last = v;
    if (acc > target) return v;
  }
  return last;
}

function checkOptions(o: DecodeOptions): void {
  if (!["free", "gated"].includes(o.mode)) throw new FacrInputError(`must be "free" or "gated", got ${JSON.stringify(o.mode)}`, { field: "decode.mode" });
  if (!["greedy", "sample"].includes(o.strategy)) throw new FacrInputError(`must be "greedy" or "sample", got ${JSON.stringify(o.strategy)}`, { field: "decode.strategy" });
  if (!(o.temperature > 0)) throw new FacrInputError(`must be > 0, got ${o.temperature}`, { field: "decode.temperature" });
  if (!(o.beta >= 0)) throw new FacrInputError(`must be ≥ 0, got ${o.beta}`, { field: "decode.beta" });
  if (!(o.thetaGate > 0 && o.thetaGate <= 1)) throw new FacrInputError(`must be in (0, 1] so that an ablated AU (a = 0) is gated off, got ${o.thetaGate}`, { field: "decode.thetaGate" });
  if (!Number.isInteger(o.maxTokens) || o.maxTokens < 1) throw new FacrInputError(`must be a positive integer, got ${o.maxTokens}`, { field: "decode.maxTokens" });
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new FacrInputError(`must be a positive integer, got ${o.batchSize}`, { field: "decode.batchSize" });
}
