/**
 * The templates of the paraphrase grammar (./grammar.ts describes the token
 * sequences they make) and the grammar words they use.
 */

/** One element of a template. */
export type TemplateElement =
  | { kind: "word"; word: string }
  | { kind: "class" }
  | { kind: "list" }
  /** A verb agreeing in number with the list before it: `singular` after one AU, `plural` after several. */
  | { kind: "verb"; singular: string; plural: string };

export interface Template {
  readonly id: string;
  /** Elements in order; the sentence ends after the last one (then <eos>). */
  readonly elements: readonly TemplateElement[];
}

const w = (word: string): TemplateElement => ({ kind: "word", word });
const C: TemplateElement = { kind: "class" };
const L: TemplateElement = { kind: "list" };
const v = (singular: string, plural: string): TemplateElement => ({ kind: "verb", singular, plural });
const words = (s: string) => s.split(" ").map(w);

/** Templates that cite AUs: several verbs, orders (class first, AUs first) and connectives. */
export const RATIONALE_TEMPLATES: readonly Template[] = [
  { id: "indicated-by", elements: [C, ...words("is indicated by"), L, w(".")] },
  { id: "suggested-by", elements: [C, ...words("is suggested by"), L, w(".")] },
  { id: "face-shows-which", elements: [...words("the face shows"), L, ...words(", which suggests"), C, w(".")] },
  { id: "point-to", elements: [L, v("points", "point"), w("to"), C, w(".")] },
  { id: "signal", elements: [L, v("signals", "signal"), C, w(".")] },
  { id: "because-of", elements: [...words("because of"), L, ...words(", the expression reads as"), C, w(".")] },
  { id: "class-colon", elements: [C, ...words(": the face shows"), L, w(".")] },
  { id: "we-infer", elements: [...words("we infer"), C, w("from"), L, w(".")] },
];

/** Templates that cite no AU. */
export const EMPTY_TEMPLATES: readonly Template[] = [
  { id: "none-cited", elements: [...words("no action unit is cited for"), C, w(".")] },
  { id: "predicted-without", elements: [C, ...words("is predicted without a supporting action unit .")] },
  { id: "prediction-is", elements: [...words("the prediction is"), C, ...words(", with no action unit cited .")] },
];

export const TEMPLATES: readonly Template[] = [...RATIONALE_TEMPLATES, ...EMPTY_TEMPLATES];

/** Grammar words in order of first appearance in TEMPLATES. */
export const GRAMMAR_WORDS: readonly string[] = (() => {
  const out: string[] = [];
  const add = (s: string) => {
    if (!out.includes(s)) out.push(s);
  };
  for (const t of TEMPLATES) {
    for (const e of t.elements) {
      if (e.kind === "word") add(e.word);
      if (e.kind === "verb") {
        add(e.singular);
        add(e.plural);
      }
    }
  }
  return out;
})();
