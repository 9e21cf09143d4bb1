import { describe, expect, it } from "vitest";
import { pspiGraph } from "../../src/graph/known";
import { activeCausalAus, generateCorpus, rationaleSpecs, sampleRowsPerClass, writeRationale } from "../../src/verbalizer/corpus";
import { EMPTY_TEMPLATES, parseText, parseTokens, RATIONALE_TEMPLATES, renderTokens, tokenizeText, Vocabulary } from "../../src/verbalizer/grammar";
import { Rng } from "../../src/util/random";
import { painSpecs, sharedVocabulary } from "./fixtures";

const vocab = sharedVocabulary();
const W = (w: string) => vocab.wordToken(w);
const A = (a: string) => vocab.auToken(a);
const Cl = (c: string) => vocab.classToken(c);
const seq = (cls: string, ...rest: (number | string)[]) => [Cl(cls), ...rest.map((x) => (typeof x === "number" ? x : W(x))), vocab.eos];

describe("vocabulary", () => {
  it("lays out specials, classes, AUs and grammar words, and renders AUs by phrase and short code", () => {
    expect(vocab.tokens.slice(0, 3)).toEqual(["<pad>", "<eos>", "<unk>"]);
    expect(vocab.classes).toEqual(["no_pain", "pain", "neutral", "anger", "disgust", "fear", "happiness", "sadness", "surprise"]);
    expect(vocab.aus).toHaveLength(19); // 11 UNBC ∪ 17 OpenFace AUs
    expect(vocab.tokens[vocab.classToken("pain")]).toBe("class:pain");
    expect(vocab.display(A("AU04"))).toBe("brow lowering (AU4)");
    expect(vocab.display(A("AU43"))).toBe("closed eyes (AU43)");
    expect(vocab.display(Cl("no_pain"))).toBe("no pain");
    expect(vocab.isAu(A("AU12")) && !vocab.isAu(W("by")) && vocab.isClass(Cl("fear"))).toBe(true);
    expect(vocab.auOf(vocab.auToken("AU4"))).toBe("AU04"); // any spelling of a code
    expect(() => vocab.auToken("AU11")).toThrow(/AU11 is not an AU of the vocabulary/);
    expect(() => vocab.classToken("joy")).toThrow(/"joy" is not a class/);
    expect(() => new Vocabulary({ classes: ["a", "a"], aus: ["AU04"] })).toThrow(/distinct/);
  });

  it("round-trips through JSON and refuses a saved token list this grammar does not produce", () => {
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)));
    expect(back.tokens).toEqual(vocab.tokens);
    const bad = { ...vocab.toJSON(), tokens: [...vocab.tokens.slice(0, -1), "banana"] };
    expect(() => Vocabulary.fromJSON(bad, "lm.json")).toThrow(/lm.json.*templates changed/);
  });
});

describe("rendering and parsing, hand-worked", () => {
  it("renders lists with commas and a final 'and', drops the class prefix, capitalises", () => {
    expect(renderTokens(seq("pain", Cl("pain"), "is", "indicated", "by", A("AU04"), A("AU07"), "."), vocab)).toBe("Pain is indicated by brow lowering (AU4) and lid tightening (AU7).");
    expect(renderTokens(seq("happiness", "the", "face", "shows", A("AU06"), A("AU12"), A("AU25"), ",", "which", "suggests", Cl("happiness"), "."), vocab)).toBe(
      "The face shows cheek raising (AU6), lip corner pulling (AU12) and parted lips (AU25), which suggests happiness.",
    );
    expect(renderTokens(seq("fear", A("AU20"), "points", "to", Cl("fear"), "."), vocab)).toBe("Lip stretching (AU20) points to fear.");
    expect(renderTokens(seq("no_pain", "no", "action", "unit", "is", "cited", "for", Cl("no_pain"), "."), vocab)).toBe("No action unit is cited for no pain.");
  });

  it("accepts grammatical rationales and reads off exactly the AUs they mention", () => {
    const cases: [string, string, string[], string][] = [
      ["Pain is indicated by brow lowering (AU4) and lid tightening (AU7).", "pain", ["AU04", "AU07"], "indicated-by"],
      ["Brow lowering (AU4), cheek raising (AU6) and closed eyes (AU43) point to pain.", "pain", ["AU04", "AU06", "AU43"], "point-to"],
      ["Nose wrinkling (AU9) signals disgust.", "disgust", ["AU09"], "signal"],
      ["Because of inner brow raising (AU1), the expression reads as sadness.", "sadness", ["AU01"], "because-of"],
      ["happiness: the face shows cheek raising (AU6) and lip corner pulling (AU12).", "happiness", ["AU06", "AU12"], "class-colon"],
      ["We infer surprise from jaw dropping (AU26).", "surprise", ["AU26"], "we-infer"],
      ["No pain is predicted without a supporting action unit.", "no_pain", [], "predicted-without"],
      ["The prediction is neutral, with no action unit cited.", "neutral", [], "prediction-is"],
    ];
    for (const [text, cls, aus, template] of cases) {
      const p = parseText(text, vocab);
      expect(p, text).toMatchObject({ accepted: true, className: cls, aus, template });
      expect(renderTokens(p.tokens!, vocab).toLowerCase()).toBe(text.toLowerCase());
    }
  });

  it("rejects ungrammatical text and token sequences, saying why", () => {
    const no = (text: string, why: RegExp) => {
      const p = parseText(text, vocab);
      expect(p.accepted, text).toBe(false);
      expect(p.reason, text).toMatch(why);
    };
    no("Pain is indicated by brow lowering (AU4) and lid tightening (AU7) and closed eyes (AU43).", /AU list of 3 items/);
    no("Pain is indicated by brow lowering (AU4), lid tightening (AU7).", /AU list of 2 items/);
    no("Brow lowering (AU4) point to pain.", /unexpected "point"/); // agreement: one AU → "points"
    no("Brow lowering (AU4) and lid tightening (AU7) points to pain.", /unexpected "points"/);
    no("Pain is indicated by.", /unexpected "."/); // an AU list has at least one item
    no("Pain is indicated by brow lowering (AU4) and brow lowering (AU4).", /mentioned twice/);
    no("Pain is obviously indicated by brow lowering (AU4).", /unknown word "obviously"/);
    no("Pain is indicated by brow lowering (AU4)", /unexpected "<eos>"/); // no full stop
    // the class slot must be the conditioning class
    const mismatch = parseTokens(seq("pain", "we", "infer", Cl("fear"), "from", A("AU04"), "."), vocab);
    expect(mismatch).toMatchObject({ accepted: false, className: "pain", aus: ["AU04"] });
    expect(parseTokens([...seq("pain", "we", "infer", Cl("pain"), "from", A("AU04"), "."), W(".")], vocab).reason).toMatch(/after <eos>/);
    expect(parseTokens([W("we")], vocab).reason).toMatch(/class prefix/);
    expect(tokenizeText("Brow lowering (AU4) and", vocab)).toEqual({ error: '"and" outside an AU list' });
  });
});

describe("corpus", () => {
  it("mentions exactly the active causal AUs (hand-worked, PSPI graph)", () => {
    const G = pspiGraph(); // AU04 06 07 09 10 12 20 25 26 27 43
    const values = [3, 0, 2, 0, 0, 4, 0, 1, 0, 0, 1];
    expect(activeCausalAus(G, 1, values)).toEqual(["AU04", "AU07", "AU43"]); // AU12, AU25 active but irrelevant
    expect(activeCausalAus(G, 0, values)).toEqual([]); // no_pain: every edge is −1
    expect(activeCausalAus(G, 1, values, 2)).toEqual(["AU04"]);
    const specs = rationaleSpecs(G, [1, 0], [...values, ...values], [0, 1]);
    expect(specs).toEqual([{ className: "pain", aus: ["AU04", "AU07", "AU43"] }, { className: "no_pain", aus: [] }]);
  });

  it("is seeded, uses every template, and every rationale parses back to its AU set, as tokens and as text", () => {
    const specs = painSpecs(400, 1);
    const corpus = generateCorpus(vocab, specs, 7);
    expect(generateCorpus(vocab, specs, 7)).toEqual(corpus);
    expect(generateCorpus(vocab, specs, 8)).not.toEqual(corpus);
    const templates = new Set<string>();
    corpus.forEach((s, i) => {
      const p = parseTokens(s, vocab);
      expect(p.accepted).toBe(true);
      expect(p.className).toBe(specs[i].className);
      expect([...p.aus].sort()).toEqual([...specs[i].aus].sort());
      templates.add(p.template!);
      const back = parseText(renderTokens(s, vocab), vocab);
      expect(back.tokens).toEqual(s);
    });
    expect(templates.size).toBe(RATIONALE_TEMPLATES.length + EMPTY_TEMPLATES.length);
  });

  it("refuses a template that cannot hold the AUs", () => {
    expect(() => writeRationale(vocab, { className: "pain", aus: ["AU04"] }, new Rng(1), EMPTY_TEMPLATES)).toThrow(/takes no AUs/);
    expect(() => writeRationale(vocab, { className: "pain", aus: ["AU04", "AU04"] }, new Rng(1))).toThrow(/distinct/);
  });

  it("samples rows per class without replacement", () => {
    const y = Int32Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
    const rows = sampleRowsPerClass(y, 2, 20, 3);
    expect(rows.length).toBe(30);
    expect(new Set(rows).size).toBe(30);
    expect(Array.from(rows).filter((i) => y[i] === 1)).toHaveLength(10);
    expect(sampleRowsPerClass(y, 2, 20, 3)).toEqual(rows);
  });
});
