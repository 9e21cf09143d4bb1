import { grammarFor } from "./grammar-automaton";
import { Vocabulary } from "./vocabulary";

/**
 * The paraphrase grammar of the verbalizer (spec §8), its word-level vocabulary,
 * a tokenizer (text ↔ tokens) and a parser that decides membership and reads
 * off the AUs a rationale mentions.
 *
 * A token sequence is
 *
 *     [class prefix] word … word [AU AU …] word … [<eos>]
 *
 * The class prefix conditions the language model and is not rendered. Every AU
 * is ONE token, rendered by its phrase and short code ("brow lowering (AU4)").
 * A template has one class slot (rendered by the class name) and at most one
 * AU list. The list separators — ", " between items and the conjunction "and"
 * before the last one — are *rendered, not tokens*: inside a list the token
 * after an AU is either another AU or the template's next word, so the choice
 * "mention one more AU or stop" is the choice between an AU token and a word,
 * which is exactly the choice the gated decoder's bias β·(a_k − θ) acts on
 * (spec §8). English lists would otherwise make the decoder commit to "and"
 * before it knows whether an AU can follow. The tokenizer validates the
 * separators of a text ("A", "A and B", "A, B and C") and drops them.
 *
 * Rationales with no AU ("No action unit is cited for pain.") are part of the
 * grammar: they are what the corpus says for classes without positive causal
 * AUs (no_pain, neutral), and what the gated decoder says when the gate leaves
 * no AU open.
 */

export type { TemplateElement, Template } from "./templates";
export { RATIONALE_TEMPLATES, EMPTY_TEMPLATES, TEMPLATES, GRAMMAR_WORDS } from "./templates";
export type { VocabularySpec } from "./vocabulary";
export { SPECIAL_TOKENS, classDisplayName, auDisplayName, Vocabulary } from "./vocabulary";
export type { GrammarState } from "./grammar-automaton";
export { Grammar, grammarFor } from "./grammar-automaton";

/** Punctuation words: rendered without a space before them. */
const PUNCTUATION = new Set([",", ".", ":"]);
/** The list conjunction (rendered, never a token). */
export const LIST_CONJUNCTION = "and";

// ---------------------------------------------------------------- parsing, rendering, tokenizing

export interface Parse {
  /** In the grammar: class prefix, a complete template whose class slot is the prefix class, distinct AUs, <eos> last. */
  accepted: boolean;
  /** Why not, when not accepted. */
  reason?: string;
  /** Class of the prefix token (null when the first token is not a class). */
  className: string | null;
  /** Template id when accepted. */
  template?: string;
  /** AU codes of every AU token in the sequence, in order (also for rejected sequences). */
  aus: string[];
}

/** AU codes of the AU tokens in a sequence, in order. */
export function mentionedAus(tokens: readonly number[], vocab: Vocabulary): string[] {
  return tokens.filter((t) => vocab.isAu(t)).map((t) => vocab.auOf(t));
}

/** Decide whether a token sequence (class prefix … <eos>) is in the grammar, and which AUs it mentions. */
export function parseTokens(tokens: readonly number[], vocab: Vocabulary): Parse {
  const aus = mentionedAus(tokens, vocab);
  const reject = (reason: string, className: string | null): Parse => ({ accepted: false, reason, className, aus });
  if (tokens.length === 0 || !vocab.isClass(tokens[0])) return reject("the first token must be a class prefix", null);
  const className = vocab.classOf(tokens[0]);
  const g = grammarFor(vocab);
  let states = g.start();
  for (let i = 1; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok < 0 || tok >= vocab.size) return reject(`token id ${tok} at position ${i} is outside the vocabulary`, className);
    states = g.advance(states, tok, tokens[0]);
    if (states.length === 0) return reject(`unexpected ${JSON.stringify(vocab.tokens[tok])} at position ${i}`, className);
    if (g.accepted(states) && i !== tokens.length - 1) return reject(`tokens after <eos> at position ${i + 1}`, className);
  }
  if (!g.accepted(states)) return reject("incomplete sentence (no <eos> after a complete template)", className);
  if (new Set(aus).size !== aus.length) return reject("an AU is mentioned twice", className);
  return { accepted: true, className, template: g.templateId(states.find((s) => s.pos === -1)!), aus };
}

/**
 * Text of a token sequence: class prefix dropped, AU runs rendered as lists
 * ("A", "A and B", "A, B and C"), first letter capitalised. Works on any
 * sequence (rejected ones too), stopping at <eos>.
 */
export function renderTokens(tokens: readonly number[], vocab: Vocabulary): string {
  const pieces: string[] = [];
  let i = tokens.length > 0 && vocab.isClass(tokens[0]) ? 1 : 0;
  while (i < tokens.length && tokens[i] !== vocab.eos) {
    if (vocab.isAu(tokens[i])) {
      const run: string[] = [];
      while (i < tokens.length && vocab.isAu(tokens[i])) run.push(vocab.display(tokens[i++]));
      pieces.push(run.length === 1 ? run[0] : `${run.slice(0, -1).join(", ")} ${LIST_CONJUNCTION} ${run[run.length - 1]}`);
      continue;
    }
    pieces.push(vocab.display(tokens[i++]));
  }
  let text = "";
  for (const p of pieces) text += text === "" ? p : PUNCTUATION.has(p) ? p : ` ${p}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Lexeme {
  /** Token id, or -1 for the list conjunction, -2 for an unknown word. */
  id: number;
  text: string;
}

const lexiconCache = new WeakMap<Vocabulary, Map<string, number>>();

function lexicon(vocab: Vocabulary): Map<string, number> {
  let lex = lexiconCache.get(vocab);
  if (!lex) {
    lex = new Map<string, number>();
    for (let id = vocab.classOffset; id < vocab.size; id++) lex.set(splitWords(vocab.display(id)).join(" "), id);
    lex.set(LIST_CONJUNCTION, -1);
    lexiconCache.set(vocab, lex);
  }
  return lex;
}

function splitWords(text: string): string[] {
  return text.toLowerCase().match(/\(au\d+\)|[a-z]+|[,.:]|[^\s]/g) ?? [];
}

/** Lexemes of a text: longest match of multi-word tokens (class names, AU phrases), case-insensitive. */
function lex(text: string, vocab: Vocabulary): Lexeme[] {
  const lexi = lexicon(vocab);
  const ws = splitWords(text);
  const out: Lexeme[] = [];
  const longest = 6;
  for (let i = 0; i < ws.length; ) {
    let found = false;
    for (let len = Math.min(longest, ws.length - i); len >= 1; len--) {
      const key = ws.slice(i, i + len).join(" ");
      const id = lexi.get(key);
      if (id !== undefined) {
        out.push({ id, text: key });
        i += len;
        found = true;
        break;
      }
    }
    if (!found) out.push({ id: -2, text: ws[i++] });
  }
  return out;
}

/**
 * Tokens of a text: [class prefix (the class the sentence names), …, <eos>].
 * List separators are checked ("A", "A and B", "A, B and C") and dropped.
 * Returns the reason when the text cannot be tokenized.
 */
export function tokenizeText(text: string, vocab: Vocabulary): { tokens: number[] } | { error: string } {
  const lx = lex(text, vocab);
  const comma = vocab.wordToken(",");
  const out: number[] = [];
  for (let i = 0; i < lx.length; i++) {
    const l = lx[i];
    if (l.id === -2) return { error: `unknown word "${l.text}"` };
    if (l.id === -1) return { error: `"${LIST_CONJUNCTION}" outside an AU list` };
    if (!vocab.isAu(l.id)) {
      out.push(l.id);
      continue;
    }
    // an AU list: AU (sep AU)*
    const seps: number[] = [];
    out.push(l.id);
    while (i + 2 < lx.length && (lx[i + 1].id === comma || lx[i + 1].id === -1) && vocab.isAu(lx[i + 2].id)) {
      seps.push(lx[i + 1].id);
      out.push(lx[i + 2].id);
      i += 2;
    }
    const n = seps.length + 1;
    const ok = n === 1 || (seps[seps.length - 1] === -1 && seps.slice(0, -1).every((s) => s === comma));
    if (!ok) return { error: `AU list of ${n} items must read "A", "A and B" or "A, B and C" (commas, then "and" before the last)` };
  }
  const cls = out.find((t) => vocab.isClass(t));
  if (cls === undefined) return { error: "the sentence names no class" };
  return { tokens: [cls, ...out, vocab.eos] };
}

/** Decide whether a text is a rationale of the grammar and which AUs it mentions. */
export function parseText(text: string, vocab: Vocabulary): Parse & { tokens?: number[] } {
  const t = tokenizeText(text, vocab);
  if ("error" in t) return { accepted: false, reason: t.error, className: null, aus: [] };
  return { ...parseTokens(t.tokens, vocab), tokens: t.tokens };
}