import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { OPENFACE_AUS, UNBC_AUS } from "../../src/au/registry";
import { compareGraphs } from "../../src/graph/compare";
import { graphToDot } from "../../src/graph/dot";
import { causalAus, makeGraph } from "../../src/graph/graph";
import { graphFromJson, graphToJson, readGraph, writeGraph } from "../../src/graph/io";
import { emotionPrototypeGraph, EMOTION_CLASSES, pspiGraph } from "../../src/graph/known";
import { permuteGraph } from "../../src/graph/permute";

const edges = (g: ReturnType<typeof pspiGraph>, cls: string) => {
  const c = g.classes.indexOf(cls);
  return causalAus(g, c).map((k) => `${g.polarity[k][c] > 0 ? "+" : "-"}${g.aus[k]}`);
};

describe("pspiGraph", () => {
  it("is PSPI over the 11 UNBC AUs", () => {
    const g = pspiGraph();
    expect(g.aus).toEqual(UNBC_AUS);
    expect(g.classes).toEqual(["no_pain", "pain"]);
    expect(edges(g, "pain")).toEqual(["+AU04", "+AU06", "+AU07", "+AU09", "+AU10", "+AU43"]);
    expect(edges(g, "no_pain")).toEqual(["-AU04", "-AU06", "-AU07", "-AU09", "-AU10", "-AU43"]);
    expect(g.groups.pain).toEqual([["AU06", "AU07"], ["AU09", "AU10"]]);
    expect(g.provenance.kind).toBe("known");
  });
});

describe("emotionPrototypeGraph", () => {
  it("encodes the FACS Investigator's Guide prototypes over the OpenFace AUs", () => {
    const g = emotionPrototypeGraph();
    expect(g.aus).toEqual(OPENFACE_AUS);
    expect(g.classes).toEqual([...EMOTION_CLASSES]);
    // worked from the Guide's prototype table by the "required by ≥ half the distinct prototypes" rule
    expect(edges(g, "anger")).toEqual(["+AU04", "+AU05", "+AU07", "+AU23"]);
    expect(edges(g, "disgust")).toEqual(["+AU09", "+AU10"]);
    expect(edges(g, "fear")).toEqual(["+AU01", "+AU02", "+AU04", "+AU05", "+AU20"]);
    expect(edges(g, "happiness")).toEqual(["+AU06", "+AU12"]);
    expect(edges(g, "sadness")).toEqual(["+AU01", "+AU04", "+AU15"]);
    expect(edges(g, "surprise")).toEqual(["+AU01", "+AU02", "+AU05", "+AU26"]);
    expect(edges(g, "neutral")).toEqual(["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU15", "AU20", "AU23", "AU26"].map((a) => "-" + a));
    expect(g.groups).toEqual({ disgust: [["AU09", "AU10"]] });
  });

  it("can include contempt (Matsumoto 2008) on a wider AU set", () => {
    const g = emotionPrototypeGraph({ aus: [...OPENFACE_AUS, "AU11", "AU24"], classes: ["happiness", "sadness", "contempt"] });
    expect(edges(g, "contempt")).toEqual(["+AU12", "+AU14"]);
    expect(edges(g, "sadness")).toEqual(["+AU01", "+AU04", "+AU15"]); // AU11 in 1 of 3 prototypes: no edge
    expect(() => emotionPrototypeGraph({ classes: ["boredom"] })).toThrow(/no FACS prototype for class "boredom"/);
  });
});

describe("graph JSON", () => {
  it("round-trips, also through a file written atomically", () => {
    for (const g of [pspiGraph(), emotionPrototypeGraph(), permuteGraph(emotionPrototypeGraph(), 3)]) {
      expect(graphFromJson(graphToJson(g))).toEqual(g);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-graph-"));
    const file = path.join(dir, "g.json");
    writeGraph(file, pspiGraph());
    expect(readGraph(file)).toEqual(pspiGraph());
    expect(fs.readdirSync(dir)).toEqual(["g.json"]); // no temporary left behind
  });

  it("ships data/graphs/*.json equal to the functions that define them", () => {
    expect(readGraph("data/graphs/pspi.json")).toEqual(pspiGraph());
    expect(readGraph("data/graphs/emotion-prototypes.json")).toEqual(emotionPrototypeGraph());
  });

  const good = () => JSON.parse(graphToJson(pspiGraph()));

  it.each([
    ["an unknown AU", (o: any) => (o.aus[2] = "AU99"), /field aus\[2\]: unknown AU "AU99"/],
    ["a non-canonical AU code", (o: any) => (o.aus[0] = "AU4"), /aus\[0\]: unknown AU "AU4" \(did you mean "AU04"\?\)/],
    ["polarity 2", (o: any) => (o.polarity[3][1] = 2), /field polarity\[3\]\[1\]: polarity of AU09 for "pain" must be -1, 0 or 1, got 2/],
    ["a short polarity row", (o: any) => o.polarity[0].pop(), /field polarity\[0\]: row for AU04 must hold 2 values/],
    ["a group naming an AU not in the graph", (o: any) => (o.groups.pain[0][1] = "AU45"), /field groups.pain\[0\]\[1\]: "AU45" is not one of the graph's aus/],
    ["a group of an unknown class", (o: any) => (o.groups.agony = [["AU06", "AU07"]]), /field groups.agony: "agony" is not one of the classes/],
    ["a group with an irrelevant AU", (o: any) => (o.groups.pain[0][1] = "AU12"), /groups.pain\[0\]\[1\]: AU12 has polarity 0 for "pain"/],
    ["a duplicate class", (o: any) => (o.classes[1] = "no_pain"), /classes\[1\]: duplicate class/],
    ["a missing provenance", (o: any) => delete o.provenance, /field provenance: must be an object/],
    ["a bad provenance kind", (o: any) => (o.provenance.kind = "guess"), /provenance.kind: must be one of known, induced, permuted, custom/],
    ["an unknown top-level field", (o: any) => (o.edges = []), /field edges: unknown field "edges"/],
  ])("rejects %s with a message naming the field", (_name, mutate, message) => {
    const o = good();
    mutate(o);
    expect(() => graphFromJson(JSON.stringify(o), "bad.json")).toThrow(message);
    expect(() => graphFromJson(JSON.stringify(o), "bad.json")).toThrow(/^bad.json, field /);
  });

  it("names the line of a JSON syntax error", () => {
    const text = graphToJson(pspiGraph()).replace('"classes"', '"classes" :: ');
    expect(() => graphFromJson(text, "broken.json")).toThrow(/^broken.json:4: not valid JSON/);
  });
});

describe("permuteGraph", () => {
  it("moves each emotion's causal AUs onto as many irrelevant ones, keeping signs, seeded", () => {
    const g = emotionPrototypeGraph();
    const p = permuteGraph(g, 7);
    expect(p).toEqual(permuteGraph(g, 7));
    expect(p).not.toEqual(permuteGraph(g, 8));
    expect(p.provenance.kind).toBe("permuted");
    g.classes.forEach((_cls, c) => {
      const orig = causalAus(g, c);
      const perm = causalAus(p, c);
      if (orig.length <= g.aus.length - orig.length) {
        expect(perm.length).toBe(orig.length);
        expect(perm.filter((k) => orig.includes(k))).toEqual([]); // drawn from the irrelevant AUs
        const signs = (gr: typeof g, ks: number[]) => ks.map((k) => gr.polarity[k][c]).sort();
        expect(signs(p, perm)).toEqual(signs(g, orig));
      }
    });
    // disgust's substitute group follows its members
    expect(p.groups.disgust?.[0].every((a) => p.polarity[p.aus.indexOf(a)][2] === 1)).toBe(true);
  });

  it("takes the complement where a class has fewer irrelevant AUs than causal ones (pain)", () => {
    const p = permuteGraph(pspiGraph(), 1);
    expect(edges(p, "pain")).toEqual(["+AU12", "+AU20", "+AU25", "+AU26", "+AU27"]);
    expect(edges(p, "no_pain")).toEqual(["-AU12", "-AU20", "-AU25", "-AU26", "-AU27"]);
    expect(p.groups).toEqual({});
  });

  it("neutral (13 causal of 17) also becomes its complement", () => {
    const p = permuteGraph(emotionPrototypeGraph(), 1);
    expect(edges(p, "neutral")).toEqual(["-AU14", "-AU17", "-AU25", "-AU45"]);
  });
});

describe("graphToDot and compareGraphs", () => {
  it("draws one edge per non-zero polarity", () => {
    const dot = graphToDot(pspiGraph());
    expect(dot.startsWith('digraph "G" {')).toBe(true);
    expect((dot.match(/-> "class:pain" \[color="#1b7837"/g) ?? []).length).toBe(6);
    expect((dot.match(/-> "class:no_pain" \[color="#c51b7d"/g) ?? []).length).toBe(6);
    expect(dot).toContain('"AU06" -> "AU07" [dir=none');
  });

  it("scores edge precision, recall and sign agreement", () => {
    const ref = pspiGraph();
    const cand = makeGraph({ ...JSON.parse(graphToJson(ref)), polarity: ref.polarity.map((row, k) => (k === 0 ? [1, -1] : k === 5 ? [0, 1] : k === 10 ? [0, 0] : row)) });
    const r = compareGraphs(cand, ref);
    // candidate: AU04 sign-flipped, AU12 spurious for pain, AU43 missing for both
    expect(r.counts).toEqual({ candidate: 11, reference: 12, shared: 10, sameSign: 8 });
    expect(r.edgePrecision).toBeCloseTo(10 / 11, 12);
    expect(r.edgeRecall).toBeCloseTo(10 / 12, 12);
    expect(r.signAgreement).toBeCloseTo(8 / 10, 12);
    expect(r.perClass.pain.candidate).toContain("-AU04");
  });
});
