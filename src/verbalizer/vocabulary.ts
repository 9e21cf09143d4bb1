import { actionUnit } from "../au/registry";
import { FacrInputError } from "../util/errors";
import { GRAMMAR_WORDS } from "./templates";

/** The verbalizer's word-level vocabulary (special tokens, classes, AUs, grammar words) and how classes and AUs are displayed. */

export const SPECIAL_TOKENS = ["<pad>", "<eos>", "<unk>"] as const;

/** Display name of a class inside a sentence: "no_pain" → "no pain". */
export function classDisplayName(name: string): string {
  return name.replace(/_/g, " ");
}

/** Rendering of an AU token: its phrase and short code, e.g. "brow lowering (AU4)". */
export function auDisplayName(code: string): string {
  const au = actionUnit(code);
  return `${au.phrase} (AU${au.number})`;
}

/** What a vocabulary is built from (and saved as). */
export interface VocabularySpec {
  classes: string[];
  aus: string[];
}

/**
 * Word-level vocabulary: special tokens, one token per class, one per AU, the
 * grammar words. Ids: 0 <pad>, 1 <eos>, 2 <unk>, then classes, AUs, words.
 */
export class Vocabulary {
  readonly classes: readonly string[];
  readonly aus: readonly string[];
  /** Token strings by id: "<pad>", "class:pain", "AU04", "indicated", … */
  readonly tokens: readonly string[];
  readonly pad = 0;
  readonly eos = 1;
  readonly unk = 2;
  readonly classOffset: number;
  readonly auOffset: number;
  readonly wordOffset: number;
  private readonly ids: Map<string, number>;

  constructor(spec: VocabularySpec) {
    if (!Array.isArray(spec.classes) || spec.classes.length < 1) throw new FacrInputError("needs at least one class", { field: "vocabulary.classes" });
    if (!Array.isArray(spec.aus) || spec.aus.length < 1) throw new FacrInputError("needs at least one AU", { field: "vocabulary.aus" });
    if (new Set(spec.classes).size !== spec.classes.length) throw new FacrInputError("class names must be distinct", { field: "vocabulary.classes" });
    const aus = spec.aus.map((a) => actionUnit(a).code);
    if (new Set(aus).size !== aus.length) throw new FacrInputError("AU codes must be distinct", { field: "vocabulary.aus" });
    for (const c of spec.classes) {
      if (!/^[a-z][a-z_]*$/.test(c)) throw new FacrInputError(`class name "${c}" must be lower-case letters and underscores`, { field: "vocabulary.classes" });
    }
    this.classes = Object.freeze([...spec.classes]);
    this.aus = Object.freeze(aus);
    this.classOffset = SPECIAL_TOKENS.length;
    this.auOffset = this.classOffset + this.classes.length;
    this.wordOffset = this.auOffset + this.aus.length;
    this.tokens = Object.freeze([...SPECIAL_TOKENS, ...this.classes.map((c) => `class:${c}`), ...this.aus, ...GRAMMAR_WORDS]);
    this.ids = new Map(this.tokens.map((t, i) => [t, i]));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Id of a token string; throws naming it when unknown. */
  id(token: string): number {
    const i = this.ids.get(token);
    if (i === undefined) throw new FacrInputError(`unknown token ${JSON.stringify(token)}`, { field: "vocabulary" });
    return i;
  }

  classToken(name: string): number {
    const c = this.classes.indexOf(name);
    if (c < 0) throw new FacrInputError(`"${name}" is not a class of the vocabulary [${this.classes.join(", ")}]`, { field: "vocabulary.classes" });
    return this.classOffset + c;
  }

  auToken(code: string): number {
    const k = this.aus.indexOf(actionUnit(code).code);
    if (k < 0) throw new FacrInputError(`${code} is not an AU of the vocabulary [${this.aus.join(", ")}]`, { field: "vocabulary.aus" });
    return this.auOffset + k;
  }

  wordToken(word: string): number {
    const j = GRAMMAR_WORDS.indexOf(word);
    if (j < 0) throw new FacrInputError(`"${word}" is not a grammar word`, { field: "vocabulary" });
    return this.wordOffset + j;
  }

  isClass(id: number): boolean {
    return id >= this.classOffset && id < this.auOffset;
  }

  isAu(id: number): boolean {
    return id >= this.auOffset && id < this.wordOffset;
  }

  isWord(id: number): boolean {
    return id >= this.wordOffset && id < this.size;
  }

  /** Class name of a class token. */
  classOf(id: number): string {
    if (!this.isClass(id)) throw new Error(`token ${id} is not a class token`);
    return this.classes[id - this.classOffset];
  }

  /** AU code of an AU token. */
  auOf(id: number): string {
    if (!this.isAu(id)) throw new Error(`token ${id} is not an AU token`);
    return this.aus[id - this.auOffset];
  }

  /** How a token appears in text. */
  display(id: number): string {
    if (this.isClass(id)) return classDisplayName(this.classOf(id));
    if (this.isAu(id)) return auDisplayName(this.auOf(id));
    return this.tokens[id] ?? "<?>";
  }

  toJSON(): VocabularySpec & { tokens: string[] } {
    return { classes: [...this.classes], aus: [...this.aus], tokens: [...this.tokens] };
  }

  /** Rebuild a saved vocabulary; refuses one whose token list differs from this code's (e.g. changed templates). */
  static fromJSON(x: unknown, file = "vocabulary"): Vocabulary {
    const o = x as Partial<VocabularySpec & { tokens: string[] }>;
    if (!o || !Array.isArray(o.classes) || !Array.isArray(o.aus)) throw new FacrInputError("a vocabulary needs classes and aus arrays", { file, field: "vocabulary" });
    const vocab = new Vocabulary({ classes: o.classes, aus: o.aus });
    if (o.tokens && o.tokens.join("\u0000") !== vocab.tokens.join("\u0000")) {
      throw new FacrInputError("saved token list differs from this grammar's (templates changed since the model was saved)", { file, field: "vocabulary.tokens" });
    }
    return vocab;
  }
}
