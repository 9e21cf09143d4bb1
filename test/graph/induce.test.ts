import { describe, expect, it } from "vitest";
import { makeGraph } from "../../src/graph/graph";
import { formatInductionTable, inducePolarityGraph } from "../../src/graph/induce";
import { pspiGraph } from "../../src/graph/known";
import { fitL1Logistic, l1LogisticObjective, lambdaMax } from "../../src/graph/logistic-l1";
import { Rng } from "../../src/util/random";
import { at, designFromRows, edgeList, logisticToy, prototypeToy, randomDesign, refFista, refGradient, separableToy } from "./induce-helpers";

describe("fitL1Logistic", () => {
  const rng = new Rng(11);
  const d = randomDesign(rng, 300, 5);
  const p = d.columns.length;
  const truth = [1.2, -0.8, 0, 0, 0.4];
  const y = Float64Array.from({ length: d.n }, (_, i) => {
    let eta = -0.3;
    for (let j = 0; j < p; j++) eta += truth[j] * at(d, i, j);
    return rng.bernoulli(1 / (1 + Math.exp(-eta))) ? 1 : 0;
  });
  const weights = Float64Array.from({ length: d.n }, () => rng.int(3)); // bootstrap-like multiplicities 0, 1, 2

  /** |g_b| ≈ 0; g_j = −λ·sign(β_j) for β_j ≠ 0; |g_j| ≤ λ for β_j = 0 (gradient computed independently). */
  const expectKkt = (fit: { intercept: number; beta: Float64Array }, lambda: number, yy: ArrayLike<number>, w?: Float64Array, tol = 1e-5) => {
    const g = refGradient(d, yy, fit.intercept, fit.beta, w);
    expect(Math.abs(g[0])).toBeLessThan(tol);
    fit.beta.forEach((b, j) => {
      if (b !== 0) expect(Math.abs(g[j + 1] + lambda * Math.sign(b))).toBeLessThan(tol);
      else expect(Math.abs(g[j + 1])).toBeLessThanOrEqual(lambda + tol);
    });
  };

  it("matches a slow proximal-gradient reference on the same objective", () => {
    for (const [ratio, w] of [[0.3, undefined], [0.05, undefined], [0.1, weights]] as const) {
      const lambda = ratio * lambdaMax(d, y, w);
      const fit = fitL1Logistic(d, y, { lambda, weights: w, tolerance: 1e-10 });
      const ref = refFista(d, y, lambda, 20000, w);
      expect(fit.converged).toBe(true);
      expect(fit.intercept).toBeCloseTo(ref.intercept, 6);
      fit.beta.forEach((b, j) => expect(b).toBeCloseTo(ref.beta[j], 6));
      // same zero pattern, and never a worse objective
      expect(Array.from(fit.beta, (b) => b === 0)).toEqual(ref.beta.map((b) => b === 0));
      expect(fit.objective).toBeLessThanOrEqual(l1LogisticObjective(d, y, ref.intercept, ref.beta, lambda, w) + 1e-12);
      expect(fit.objective).toBeCloseTo(l1LogisticObjective(d, y, fit.intercept, fit.beta, lambda, w), 12);
      expectKkt(fit, lambda, y, w, 1e-8);
    }
  });

  it("gives exactly zero coefficients and the logit of the mean label for λ ≥ λ_max", () => {
    const lmax = lambdaMax(d, y);
    for (const lambda of [lmax, 2 * lmax]) {
      const fit = fitL1Logistic(d, y, { lambda });
      expect(Array.from(fit.beta)).toEqual(new Array(p).fill(0));
      const ybar = y.reduce((s, v) => s + v, 0) / d.n;
      expect(fit.intercept).toBeCloseTo(Math.log(ybar / (1 - ybar)), 10);
    }
    // just below λ_max one coefficient enters
    const fit = fitL1Logistic(d, y, { lambda: 0.99 * lmax });
    expect(Array.from(fit.beta).filter((b) => b !== 0)).toHaveLength(1);
  });

  it("treats integer weights as repeated rows", () => {
    const rows: number[] = [];
    weights.forEach((w, i) => {
      for (let c = 0; c < w; c++) rows.push(i);
    });
    const repeated = designFromRows(rows.map((i) => d.columns.map((c) => c[i])));
    const lambda = 0.05 * lambdaMax(d, y, weights);
    const a = fitL1Logistic(d, y, { lambda, weights, tolerance: 1e-10 });
    const b = fitL1Logistic(repeated, rows.map((i) => y[i]), { lambda, tolerance: 1e-10 });
    expect(a.intercept).toBeCloseTo(b.intercept, 8);
    a.beta.forEach((v, j) => expect(v).toBeCloseTo(b.beta[j], 8));
  });

  it("stays finite and satisfies the KKT conditions on separable labels", () => {
    const ys = Float64Array.from({ length: d.n }, (_, i) => (at(d, i, 0) + at(d, i, 1) > 0 ? 1 : 0));
    const lmax = lambdaMax(d, ys);
    for (const ratio of [0.1, 0.01, 0.001]) {
      const lambda = ratio * lmax;
      const fit = fitL1Logistic(d, ys, { lambda });
      expect(fit.converged).toBe(true);
      expect(Number.isFinite(fit.intercept) && fit.beta.every(Number.isFinite)).toBe(true);
      expect(fit.beta[0]).toBeGreaterThan(0);
      expect(fit.beta[1]).toBeGreaterThan(0);
      expectKkt(fit, lambda, ys);
      // the L1 norm is bounded by the null objective / λ (F(solution) ≤ F(0) = log 2 at most)
      const l1 = fit.beta.reduce((s, b) => s + Math.abs(b), 0);
      expect(l1).toBeLessThanOrEqual(Math.log(2) / lambda);
    }
  });

  it("rejects bad input, naming it", () => {
    expect(() => fitL1Logistic(d, y, { lambda: -1 })).toThrow(/field lambda/);
    expect(() => fitL1Logistic(d, y, { lambda: 0.1, tol: 1 } as never)).toThrow(/unknown option "tol"/);
    expect(() => fitL1Logistic(d, new Float64Array(d.n).fill(1), { lambda: 0.1 })).toThrow(/every weighted label is 1/);
    expect(() => fitL1Logistic(d, Float64Array.from(y, (v) => v * 2), { lambda: 0.1 })).toThrow(/field y\[\d+\].*0 or 1/);
    expect(() => fitL1Logistic(d, y, { lambda: 0.1, weights: new Float64Array(3) })).toThrow(/field weights/);
    expect(() => fitL1Logistic({ columns: [new Float64Array(3)], n: 4 }, [0, 1, 0, 1], { lambda: 0.1 })).toThrow(/field design.columns\[0\]/);
  });
});

describe("inducePolarityGraph", () => {
  it("recovers causal AUs and their signs, not the nuisance AUs that follow them", () => {
    const toy = logisticToy(1, 30, 200);
    const r = inducePolarityGraph(toy, toy.labels, { seed: 1 });
    expect(edgeList(r.graph, "present")).toEqual(["+AU04", "-AU12", "+AU15"]);
    expect(edgeList(r.graph, "absent")).toEqual(["-AU04", "+AU12", "-AU15"]);
    expect(r.graph.provenance.kind).toBe("induced");
    expect(r.options.baseline).toBeNull();
    expect(r.resampling).toMatchObject({ unit: "subjects", units: 30, frames: 6000, unconverged: 0 });
    for (const row of r.frequencies) for (const f of row) expect(f >= 0 && f <= 1).toBe(true);
    // frequencies are shares of 50 resamples
    for (const row of r.frequencies) for (const f of row) expect(Math.abs(f * 50 - Math.round(f * 50))).toBeLessThan(1e-9);
  });

  it("recovers a separable PSPI-like label (pain = 1[AU04 + max(AU06, AU07) + AU43 > 0]) and carries its group", () => {
    const toy = separableToy(2, 30, 200);
    const r = inducePolarityGraph(toy, toy.labels, { seed: 2, groups: { pain: [["AU06", "AU07"], ["AU12", "AU25"]] } });
    expect(edgeList(r.graph, "pain")).toEqual(["+AU04", "+AU06", "+AU07", "+AU43"]);
    expect(edgeList(r.graph, "no_pain")).toEqual(["-AU04", "-AU06", "-AU07", "-AU43"]);
    expect(r.graph.groups).toEqual({ pain: [["AU06", "AU07"]] });
    expect(r.droppedGroups).toEqual([{ class: "pain", group: ["AU12", "AU25"], reason: "no induced edge for AU12, AU25" }]);
    expect(r.resampling.unconverged).toBe(0);
    for (const row of r.coefficients) for (const c of row) expect(Number.isFinite(c)).toBe(true);
  });

  it("contrasts each class with the rest by default (exclusion edges); class vs neutral recovers the prototypes alone", () => {
    const toy = prototypeToy(3, 30, 200);
    const rest = inducePolarityGraph(toy, toy.labels, { seed: 3 });
    expect(rest.options.baseline).toBe(null);
    const r = inducePolarityGraph(toy, toy.labels, { seed: 3, baseline: "neutral" });
    expect(edgeList(r.graph, "happiness")).toEqual(["+AU06", "+AU12"]);
    expect(edgeList(r.graph, "sadness")).toEqual(["+AU01", "+AU04", "+AU15"]);
    expect(edgeList(r.graph, "anger")).toEqual(["+AU04", "+AU07", "+AU23"]);
    expect(edgeList(r.graph, "neutral")).toEqual(["-AU01", "-AU04", "-AU06", "-AU07", "-AU12", "-AU15", "-AU23"]);
    // one-vs-rest: AUs typical of other classes become negative edges (AU12 signals happiness, so it lowers anger)
    expect(edgeList(rest.graph, "anger")).toContain("-AU15");
    expect(edgeList(rest.graph, "neutral")).toEqual(edgeList(r.graph, "neutral"));
  });

  it("is deterministic per seed, and the seed only moves the resampling", () => {
    const toy = logisticToy(4, 12, 100);
    const a = inducePolarityGraph(toy, toy.labels, { seed: 9, resamples: 20 });
    const b = inducePolarityGraph(toy, toy.labels, { seed: 9, resamples: 20 });
    expect(b).toEqual(a);
    const c = inducePolarityGraph(toy, toy.labels, { seed: 10, resamples: 20 });
    expect(c.coefficients).not.toEqual(a.coefficients);
    expect(c.fullDataCoefficients).toEqual(a.fullDataCoefficients);
    expect(c.lambda).toEqual(a.lambda);
  });

  it("leaves out unlabelled and not-coded frames, counts them, and gives the same result as dropping them", () => {
    const toy = logisticToy(5, 12, 100);
    const K = toy.aus.length;
    const y = toy.labels.y.slice();
    const X = toy.intensities.slice();
    const drop = new Set<number>();
    for (let i = 3; i < y.length; i += 7) {
      y[i] = -1;
      drop.add(i);
    }
    for (let i = 5; i < y.length; i += 31) {
      if (drop.has(i)) continue;
      X[i * K + 2] = NaN;
      drop.add(i);
    }
    const r = inducePolarityGraph({ ...toy, intensities: X }, { ...toy.labels, y }, { seed: 1, resamples: 20 });
    const unlabelled = y.filter((v) => v === -1).length;
    expect(r.excluded).toEqual({ unlabelled, notCoded: drop.size - unlabelled, constantAus: [], uncodedAus: [] });
    expect(r.resampling.frames).toBe(y.length - drop.size);

    const keep = Array.from(y.keys()).filter((i) => !drop.has(i));
    const kept = {
      aus: toy.aus,
      intensities: Float32Array.from(keep.flatMap((i) => Array.from(toy.intensities.subarray(i * K, (i + 1) * K)))),
      subjects: keep.map((i) => toy.subjects[i]),
    };
    const s = inducePolarityGraph(kept, { classes: toy.labels.classes, y: Int32Array.from(keep, (i) => y[i]) }, { seed: 1, resamples: 20 });
    expect(s.frequencies).toEqual(r.frequencies);
    expect(s.coefficients).toEqual(r.coefficients);
  });

  it("reports constant and never-coded AUs with no edge and zero coefficient", () => {
    const toy = logisticToy(6, 10, 100);
    const K = toy.aus.length;
    const X = toy.intensities.slice();
    for (let i = 0; i < toy.labels.y.length; i++) {
      X[i * K + 1] = 2; // AU02 constant
      X[i * K + 3] = NaN; // AU06 never coded
    }
    const r = inducePolarityGraph({ ...toy, intensities: X }, toy.labels, { resamples: 10 });
    expect(r.excluded.constantAus).toEqual(["AU02"]);
    expect(r.excluded.uncodedAus).toEqual(["AU06"]);
    expect(r.excluded.notCoded).toBe(0);
    for (const k of [1, 3]) {
      expect(r.frequencies[k]).toEqual([0, 0]);
      expect(r.coefficients[k]).toEqual([0, 0]);
      expect(r.graph.polarity[k]).toEqual([0, 0]);
    }
  });

  it("resamples frames when no subjects are given, and induces only the classes asked for", () => {
    const toy = logisticToy(7, 10, 100);
    const r = inducePolarityGraph({ aus: toy.aus, intensities: toy.intensities, name: "toy" }, toy.labels, { classes: ["present"], resamples: 10 });
    expect(r.resampling.unit).toBe("frames");
    expect(r.resampling.units).toBe(1000);
    expect(r.graph.classes).toEqual(["present"]);
    expect(r.frequencies[0]).toHaveLength(1);
    expect(r.graph.provenance.source).toBe("induced from toy");
  });

  it("rejects unknown options and bad values, naming them", () => {
    const toy = logisticToy(8, 4, 50);
    const run = (opts: object) => () => inducePolarityGraph(toy, toy.labels, opts);
    expect(run({ resample: 10 })).toThrow(/unknown option "resample"/);
    expect(run({ selectionThreshold: 1.5 })).toThrow(/field selectionThreshold/);
    expect(run({ resamples: 0 })).toThrow(/field resamples/);
    expect(run({ classes: ["pain"] })).toThrow(/field classes\[0\].*"pain" is not one of the label classes/);
    expect(run({ baseline: "neutral" })).toThrow(/field baseline/);
    expect(run({ groups: { present: [["AU04", "AU99"]] } })).toThrow(/field groups.present\[0\]\[1\]/);
    const none = { ...toy.labels, y: new Int32Array(toy.labels.y.length) }; // all "absent"
    expect(() => inducePolarityGraph(toy, none)).toThrow(/cannot induce edges for "absent"/);
    expect(() => inducePolarityGraph(toy, { ...toy.labels, y: toy.labels.y.map(() => 2) })).toThrow(/field labels.y\[0\]/);
  });
});

describe("formatInductionTable", () => {
  it("prints sign, frequency and coefficient per AU and class, and the comparison with a reference", () => {
    const toy = separableToy(2, 10, 100);
    const r = inducePolarityGraph(toy, toy.labels, { seed: 2, resamples: 10 });
    const reference = makeGraph({
      ...pspiGraph(),
      aus: toy.aus,
      polarity: toy.aus.map((a) => (["AU04", "AU06", "AU07", "AU43"].includes(a) ? [-1, 1] : [0, 0])),
      groups: {},
    });
    const text = formatInductionTable(r, reference);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/each class vs rest, 10 subject bootstrap resamples \(10 subjects, 1000 frames\), pi = 0.8, epsilon = 0.15/);
    expect(lines.find((l) => l.startsWith("AU   |"))).toMatch(/no_pain\s+\| pain/);
    const k = toy.aus.indexOf("AU04");
    const au04 = lines.find((l) => l.startsWith("AU04"))!;
    expect(au04).toContain(`+ ${r.frequencies[k][1].toFixed(2)} +${r.coefficients[k][1].toFixed(2)}`);
    expect(text).toMatch(/vs reference \(PSPI \(Prkachin & Solomon, 2008\)\): edge precision \d\.\d\d \(\d+\/\d+\), recall/);
    // a reference edge the induction did not find is flagged "x"
    const wrong = makeGraph({ ...reference, polarity: reference.polarity.map((row, kk) => (toy.aus[kk] === "AU12" ? [-1, 1] : row)) });
    expect(formatInductionTable(r, wrong).split("\n").find((l) => l.startsWith("AU12"))).toMatch(/0 \d\.\d\d [+-]\d\.\d\d x/);
    expect(formatInductionTable(r)).not.toMatch(/vs reference/);
  });
});
