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

// Its parts: templates.ts (the templates), vocabulary.ts, grammar-automaton.ts (the
// incremental parser), text.ts (rendering, tokenizing) and parse.ts (membership).
export type { TemplateElement, Template } from "./templates";
export { RATIONALE_TEMPLATES, EMPTY_TEMPLATES, TEMPLATES, GRAMMAR_WORDS } from "./templates";
export type { VocabularySpec } from "./vocabulary";
export { SPECIAL_TOKENS, classDisplayName, auDisplayName, Vocabulary } from "./vocabulary";
export type { GrammarState } from "./grammar-automaton";
export { Grammar, grammarFor } from "./grammar-automaton";
export { LIST_CONJUNCTION, renderTokens, tokenizeText } from "./text";
export type { Parse } from "./parse";
export { mentionedAus, parseTokens, parseText } from "./parse";
