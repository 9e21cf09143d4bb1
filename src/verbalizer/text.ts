import { Vocabulary } from "./vocabulary";

/** Tokens ↔ text: rendering a token sequence (AU runs as English lists) and tokenizing a text back (list separators checked and dropped). */

/** Punctuation words: rendered without a space before them. */
const PUNCTUATION = new Set([",", ".", ":"]);
/** The list conjunction (rendered, never a token). */
export const LIST_CONJUNCTION = "and";

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
