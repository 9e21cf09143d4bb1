import { Template, TemplateElement, TEMPLATES } from "./templates";
import { Vocabulary } from "./vocabulary";

/** The grammar as a token automaton: the templates compiled over a vocabulary, read one token at a time. */

/** A position in a template: element index `pos`, `n` AUs in its list so far. `pos === elements.length` means the template is complete and expects <eos>; -1 after <eos>. */
export interface GrammarState {
  readonly t: number;
  readonly pos: number;
  readonly n: number;
}

/** Compiled templates over a vocabulary: the incremental parser shared by `parseTokens` and the decoder. */
export class Grammar {
  readonly vocab: Vocabulary;
  readonly templates: readonly Template[];
  private readonly els: { kind: TemplateElement["kind"]; id: number; sg: number; pl: number }[][];
  private readonly listAt: number[];

  constructor(vocab: Vocabulary, templates: readonly Template[] = TEMPLATES) {
    this.vocab = vocab;
    this.templates = templates;
    this.els = templates.map((t) =>
      t.elements.map((e) => {
        if (e.kind === "word") return { kind: e.kind, id: vocab.wordToken(e.word), sg: -1, pl: -1 };
        if (e.kind === "verb") return { kind: e.kind, id: -1, sg: vocab.wordToken(e.singular), pl: vocab.wordToken(e.plural) };
        return { kind: e.kind, id: -1, sg: -1, pl: -1 };
      }),
    );
    this.listAt = templates.map((t) => {
      const lists = t.elements.flatMap((e, i) => (e.kind === "list" ? [i] : []));
      if (lists.length > 1) throw new Error(`template ${t.id} has more than one AU list`);
      return lists.length ? lists[0] : -1;
    });
  }

  /** States before the first sentence token (after the class prefix). */
  start(): GrammarState[] {
    return this.templates.map((_, t) => ({ t, pos: 0, n: 0 }));
  }

  /** States after reading `token` in a sentence conditioned on class token `classToken`. Empty: `token` is not allowed here. */
  advance(states: readonly GrammarState[], token: number, classToken: number): GrammarState[] {
    const out: GrammarState[] = [];
    for (const s of states) this.step(s, token, classToken, out);
    return out;
  }

  private step(s: GrammarState, token: number, classToken: number, out: GrammarState[]): void {
    if (s.pos < 0) return;
    const els = this.els[s.t];
    if (s.pos === els.length) {
      if (token === this.vocab.eos) out.push({ t: s.t, pos: -1, n: s.n });
      return;
    }
    const e = els[s.pos];
    switch (e.kind) {
      case "word":
        if (token === e.id) out.push({ t: s.t, pos: s.pos + 1, n: s.n });
        return;
      case "class":
        if (token === classToken) out.push({ t: s.t, pos: s.pos + 1, n: s.n });
        return;
      case "verb":
        if (token === (s.n === 1 ? e.sg : e.pl)) out.push({ t: s.t, pos: s.pos + 1, n: s.n });
        return;
      case "list":
        if (this.vocab.isAu(token)) out.push({ t: s.t, pos: s.pos, n: s.n + 1 });
        else if (s.n >= 1) this.step({ t: s.t, pos: s.pos + 1, n: s.n }, token, classToken, out);
        return;
    }
  }

  /** True when some state has read a complete sentence and its <eos>. */
  accepted(states: readonly GrammarState[]): boolean {
    return states.some((s) => s.pos === -1);
  }

  /** True when the state is at an AU list that has no item yet (only an AU may come next). */
  atEmptyList(s: GrammarState): boolean {
    return s.pos >= 0 && s.pos === this.listAt[s.t] && s.n === 0;
  }

  /** True when the state cannot finish without at least one more AU token. */
  needsAu(s: GrammarState): boolean {
    const at = this.listAt[s.t];
    return s.pos >= 0 && at >= 0 && (at > s.pos || (at === s.pos && s.n === 0));
  }

  templateId(s: GrammarState): string {
    return this.templates[s.t].id;
  }
}

const grammarCache = new WeakMap<Vocabulary, Grammar>();

/** The grammar over a vocabulary (cached per vocabulary). */
export function grammarFor(vocab: Vocabulary): Grammar {
  let g = grammarCache.get(vocab);
  if (!g) {
    g = new Grammar(vocab);
    grammarCache.set(vocab, g);
  }
  return g;
}
