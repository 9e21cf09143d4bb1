import { FacrInputError } from "../util/errors";
import { checkKeys, checkNumber } from "../util/options";
import { Rng, Seed } from "../util/random";
import { Dataset, subjectIds } from "./dataset";

/**
 * Subject-grouped splits (spec §7: evaluation is subject-independent). Frames of
 * one person are strongly correlated, so a subject is always on one side of a
 * split: never in both the training and the test (or validation) frames.
 *
 * Frame indices are positions in the dataset, returned ascending. Subject lists
 * are in order of first appearance in the dataset (as `subjectIds`), whatever the
 * shuffle, so they read the same way in every report.
 */
export interface Fold {
  /** 0-based fold number. */
  fold: number;
  /** Frame indices of the training side, ascending. */
  train: Int32Array;
  /** Frame indices of the test side, ascending. */
  test: Int32Array;
  trainSubjects: string[];
  testSubjects: string[];
}

export interface SubjectFoldOptions {
  /**
   * How shuffled subjects are dealt into folds.
   * - "subjects" (default): round-robin, so fold sizes differ by at most one
   *   subject. The unit of independence is the subject, and this keeps the folds
   *   a plain random partition of subjects (what the CI over folds assumes).
   * - "frames": each subject, in shuffled order, goes to the fold with the fewest
   *   frames so far among folds still short of ⌈S/k⌉ subjects (ties: lowest fold
   *   number). Subject counts stay balanced as above and frame counts are evened
   *   out greedily, which matters when subjects contribute very different numbers
   *   of frames (UNBC: a few hundred to several thousand per subject). The seed
   *   still changes the folds.
   */
  balance?: "subjects" | "frames";
}

type SubjectsOf = Pick<Dataset, "subjects" | "size">;

/**
 * k folds grouped by subject: subjects are shuffled with `seed` and dealt into k
 * test folds; each fold trains on every other subject. Every subject is in exactly
 * one test fold, so every frame is tested exactly once across the folds.
 * Throws when k < 2 or k exceeds the number of subjects.
 */
export function subjectFolds(dataset: SubjectsOf, k: number, seed: Seed, opts: SubjectFoldOptions = {}): Fold[] {
  checkKeys(opts, ["balance"], "subjectFolds options");
  const balance = opts.balance ?? "subjects";
  if (balance !== "subjects" && balance !== "frames") {
    throw new FacrInputError(`must be "subjects" or "frames", got ${JSON.stringify(balance)}`, { field: "balance" });
  }
  const { ids, member, framesPer } = indexSubjects(dataset);
  const S = ids.length;
  checkNumber(k, "k", { integer: true });
  if (k < 2) throw new FacrInputError(`k-fold splitting needs k ≥ 2 folds, got k = ${k}`, { field: "k" });
  if (k > S) throw new FacrInputError(`cannot split ${S} subject${S === 1 ? "" : "s"} into k = ${k} folds: each fold needs at least one test subject`, { field: "k" });

  const order = new Rng(seed).fork("subjectFolds").shuffle(ids.map((_, s) => s));
  const foldOf = new Int32Array(S);
  if (balance === "subjects") {
    order.forEach((s, r) => (foldOf[s] = r % k));
  } else {
    const cap = Math.ceil(S / k);
    const count = new Int32Array(k);
    const frames = new Float64Array(k);
    for (const s of order) {
      let best = -1;
      for (let f = 0; f < k; f++) {
        if (count[f] >= cap) continue;
        if (best < 0 || frames[f] < frames[best]) best = f;
      }
      foldOf[s] = best;
      count[best]++;
      frames[best] += framesPer[s];
    }
  }
  return Array.from({ length: k }, (_, f) => makeFold(f, ids, member, (s) => foldOf[s] === f));
}

/** Leave-one-subject-out: one fold per subject, in order of first appearance; fold f tests subject f. */
export function leaveOneSubjectOut(dataset: SubjectsOf): Fold[] {
  const { ids, member } = indexSubjects(dataset);
  if (ids.length < 2) throw new FacrInputError(`leave-one-subject-out needs at least 2 subjects, got ${ids.length}`, { field: "subjects" });
  return ids.map((_, f) => makeFold(f, ids, member, (s) => s === f));
}

/**
 * Split training frames into train and validation by subject (e.g. for early
 * stopping without leaking a training subject into the validation frames).
 *
 * `fraction` is the share of *subjects* (among those present in
 * `trainIndices`) that go to validation: round(fraction · S), at least 1 and at
 * most S − 1. Both outputs keep the order of `trainIndices` (ascending when it
 * is, as `Fold.train` is).
 */
export function validationSplit(
  dataset: SubjectsOf,
  trainIndices: ArrayLike<number>,
  fraction: number,
  seed: Seed,
): { train: Int32Array; validation: Int32Array } {
  checkSubjectsLength(dataset);
  checkNumber(fraction, "fraction", { min: 0, max: 1 });
  if (fraction <= 0 || fraction >= 1) throw new FacrInputError(`the validation share must be strictly between 0 and 1, got ${fraction}`, { field: "fraction" });
  const present: string[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < trainIndices.length; r++) {
    const i = trainIndices[r];
    if (!Number.isInteger(i) || i < 0 || i >= dataset.size) {
      throw new FacrInputError(`frame index ${i} is outside the dataset (size ${dataset.size})`, { field: `trainIndices[${r}]` });
    }
    const s = dataset.subjects[i];
    if (!seen.has(s)) {
      seen.add(s);
      present.push(s);
    }
  }
  const S = present.length;
  if (S < 2) throw new FacrInputError(`a subject-grouped validation split needs at least 2 training subjects, got ${S}`, { field: "trainIndices" });
  const nVal = Math.min(S - 1, Math.max(1, Math.round(fraction * S)));
  const held = new Set(new Rng(seed).fork("validationSplit").sample(present, nVal));
  const train: number[] = [];
  const validation: number[] = [];
  for (let r = 0; r < trainIndices.length; r++) {
    const i = trainIndices[r];
    (held.has(dataset.subjects[i]) ? validation : train).push(i);
  }
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}

function checkSubjectsLength(dataset: SubjectsOf): void {
  if (dataset.subjects.length !== dataset.size) {
    throw new FacrInputError(`holds ${dataset.subjects.length} ids, expected size = ${dataset.size}`, { field: "subjects" });
  }
}

/** Subject ids (first-appearance order), each frame's subject number, and frames per subject. */
function indexSubjects(dataset: SubjectsOf): { ids: string[]; member: Int32Array; framesPer: Int32Array } {
  checkSubjectsLength(dataset);
  const ids = subjectIds(dataset);
  const num = new Map(ids.map((s, n) => [s, n]));
  const member = Int32Array.from(dataset.subjects, (s) => num.get(s) as number);
  const framesPer = new Int32Array(ids.length);
  for (const s of member) framesPer[s]++;
  return { ids, member, framesPer };
}

function makeFold(fold: number, ids: readonly string[], member: Int32Array, isTest: (subject: number) => boolean): Fold {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < member.length; i++) (isTest(member[i]) ? test : train).push(i);
  return {
    fold,
    train: Int32Array.from(train),
    test: Int32Array.from(test),
    trainSubjects: ids.filter((_, s) => !isTest(s)),
    testSubjects: ids.filter((_, s) => isTest(s)),
  };
}
