import { describe, expect, it } from "vitest";
import { subjectIds } from "../../src/data/dataset";
import { Fold, leaveOneSubjectOut, subjectFolds, validationSplit } from "../../src/data/splits";
import { Rng } from "../../src/util/random";

/** 13 subjects with 3–60 frames each, frames of different subjects interleaved. */
function toyFrames(seed = 1): { subjects: string[]; size: number } {
  const rng = new Rng(seed);
  const subjects: string[] = [];
  for (let s = 0; s < 13; s++) {
    const n = 3 + rng.int(58);
    for (let f = 0; f < n; f++) subjects.push(`S${String(s).padStart(2, "0")}`);
  }
  rng.shuffle(subjects);
  return { subjects, size: subjects.length };
}

const ascending = (xs: Int32Array) => xs.every((v, i) => i === 0 || xs[i - 1] < v);
const subjectsOf = (ds: { subjects: string[] }, idx: Int32Array) => new Set(Array.from(idx, (i) => ds.subjects[i]));

/** Invariants every set of folds must satisfy. */
function checkFolds(ds: { subjects: string[]; size: number }, folds: Fold[]) {
  const testedTimes = new Int32Array(ds.size);
  const order = subjectIds(ds);
  folds.forEach((f, n) => {
    expect(f.fold).toBe(n);
    expect(ascending(f.train) && ascending(f.test)).toBe(true);
    // no subject on both sides
    const tr = subjectsOf(ds, f.train);
    const te = subjectsOf(ds, f.test);
    for (const s of te) expect(tr.has(s)).toBe(false);
    // the two sides cover the dataset
    expect(f.train.length + f.test.length).toBe(ds.size);
    // subject lists match the frames, in first-appearance order
    expect(f.testSubjects).toEqual(order.filter((s) => te.has(s)));
    expect(f.trainSubjects).toEqual(order.filter((s) => tr.has(s)));
    for (const i of f.test) testedTimes[i]++;
  });
  expect(Array.from(testedTimes).every((t) => t === 1)).toBe(true);
}

describe("subjectFolds", () => {
  const ds = toyFrames();

  it("never puts a subject on both sides and tests every frame exactly once", () => {
    for (const seed of [0, 1, 2, 99, "fold-seed"]) {
      for (const k of [2, 3, 5, 13]) {
        for (const balance of ["subjects", "frames"] as const) {
          const folds = subjectFolds(ds, k, seed, { balance });
          expect(folds).toHaveLength(k);
          checkFolds(ds, folds);
          const counts = folds.map((f) => f.testSubjects.length);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it("is deterministic in the seed and changes with it", () => {
    expect(subjectFolds(ds, 4, 7)).toEqual(subjectFolds(ds, 4, 7));
    const a = subjectFolds(ds, 4, 7).map((f) => f.testSubjects);
    const b = subjectFolds(ds, 4, 8).map((f) => f.testSubjects);
    expect(a).not.toEqual(b);
  });

  it("balances frame counts better with balance: frames", () => {
    const spread = (folds: Fold[]) => {
      const n = folds.map((f) => f.test.length);
      return Math.max(...n) - Math.min(...n);
    };
    let bySubjects = 0;
    let byFrames = 0;
    for (let seed = 0; seed < 20; seed++) {
      bySubjects += spread(subjectFolds(ds, 4, seed));
      byFrames += spread(subjectFolds(ds, 4, seed, { balance: "frames" }));
    }
    expect(byFrames).toBeLessThan(bySubjects);
  });

  it("rejects bad k, bad options and inconsistent input, naming the problem", () => {
    expect(() => subjectFolds(ds, 1, 0)).toThrow(/k ≥ 2.*got k = 1/);
    expect(() => subjectFolds(ds, 0, 0)).toThrow(/k ≥ 2/);
    expect(() => subjectFolds(ds, 14, 0)).toThrow(/cannot split 13 subjects into k = 14 folds/);
    expect(() => subjectFolds(ds, 2.5, 0)).toThrow(/field k.*integer/);
    expect(() => subjectFolds(ds, 3, 0, { balance: "sequences" as "frames" })).toThrow(/field balance/);
    expect(() => subjectFolds(ds, 3, 0, { shuffle: true } as object)).toThrow(/unknown option "shuffle"/);
    expect(() => subjectFolds({ subjects: ["a", "b"], size: 3 }, 2, 0)).toThrow(/field subjects/);
  });
});

describe("leaveOneSubjectOut", () => {
  it("has one fold per subject, in subject order", () => {
    const ds = toyFrames(3);
    const folds = leaveOneSubjectOut(ds);
    const ids = subjectIds(ds);
    expect(folds).toHaveLength(ids.length);
    folds.forEach((f, n) => expect(f.testSubjects).toEqual([ids[n]]));
    checkFolds(ds, folds);
    expect(() => leaveOneSubjectOut({ subjects: ["a", "a"], size: 2 })).toThrow(/at least 2 subjects/);
  });
});

describe("validationSplit", () => {
  const ds = toyFrames(4);
  const fold = subjectFolds(ds, 3, 0)[0];

  it("groups by subject, keeps every training frame and the fraction of subjects", () => {
    for (const seed of [0, 1, "v"]) {
      const { train, validation } = validationSplit(ds, fold.train, 0.25, seed);
      const tr = subjectsOf(ds, train);
      const va = subjectsOf(ds, validation);
      for (const s of va) expect(tr.has(s)).toBe(false);
      expect(va.size).toBe(Math.round(0.25 * fold.trainSubjects.length));
      expect([...train, ...validation].sort((a, b) => a - b)).toEqual(Array.from(fold.train));
      expect(ascending(train) && ascending(validation)).toBe(true);
      // never a test subject
      for (const s of va) expect(fold.testSubjects).not.toContain(s);
    }
    expect(validationSplit(ds, fold.train, 0.25, 5)).toEqual(validationSplit(ds, fold.train, 0.25, 5));
  });

  it("keeps at least one subject on each side", () => {
    const tiny = validationSplit(ds, fold.train, 0.01, 0);
    expect(subjectsOf(ds, tiny.validation).size).toBe(1);
    const big = validationSplit(ds, fold.train, 0.99, 0);
    expect(subjectsOf(ds, big.train).size).toBe(1);
  });

  it("rejects a bad fraction, out-of-range indices and a single subject", () => {
    expect(() => validationSplit(ds, fold.train, 0, 0)).toThrow(/field fraction/);
    expect(() => validationSplit(ds, fold.train, 1, 0)).toThrow(/strictly between 0 and 1/);
    expect(() => validationSplit(ds, [0, ds.size], 0.5, 0)).toThrow(/trainIndices\[1\].*outside the dataset/);
    const one = Int32Array.from(ds.subjects.flatMap((s, i) => (s === ds.subjects[0] ? [i] : [])));
    expect(() => validationSplit(ds, one, 0.5, 0)).toThrow(/at least 2 training subjects, got 1/);
  });
});
