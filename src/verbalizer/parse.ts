import { grammarFor } from "./grammar-automaton";
import { tokenizeText } from "./text";
import { Vocabulary } from "./vocabulary";

/** Parsing: whether a token sequence or a text is a rationale of the grammar, and which AUs it mentions. */

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

/** Decide whether a text is a rationale of the grammar and which AUs it mentions. */
export function parseText(text: string, vocab: Vocabulary): Parse & { tokens?: number[] } {
  const t = tokenizeText(text, vocab);
  if ("error" in t) return { accepted: false, reason: t.error, className: null, aus: [] };
  return { ...parseTokens(t.tokens, vocab), tokens: t.tokens };
}
