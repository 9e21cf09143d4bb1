import { EMOTION_CLASSES } from "../graph/known";
import { FacrInputError } from "../util/errors";
import { Rng, Seed } from "../util/random";
import { checkDataset, Dataset, subjectIds, subsetDataset } from "./dataset";
import { loadCkPlus } from "./loaders";

/**
 * **CK+ protocol** (the emotion experiment on FACR_CKPLUS_DIR). CK+ has no
 * domains, so it cannot play SynEmotion's three domains as they are. We partition its *subjects* (seeded, deterministic)
 * into three disjoint groups that take the three roles: graph-source (G is
 * induced from these subjects' FACS codes only), source (the reasoners are
 * trained on them) and target (fidelity and accuracy are measured on them),
 * about 25% / 50% / 25% of the subjects (redrawn from the seeded stream until
 * the graph-source and source subjects each hold every class: induction and
 * training need them all). This is a subject-independent
 * within-dataset protocol, *not* a cross-dataset transfer: read its numbers
 * as "held-out CK+ subjects", not as C4's posed → in-the-wild transfer. The
 * alternative (CK+ as the target of a SynEmotion-trained reasoner) would score
 * a landmark encoder trained on synthetic faces on real ones, mostly measuring
 * the synthetic-to-real gap. Labels: CK+'s eight codes are mapped by name to
 * facr's seven EMOTION_CLASSES (happy → happiness); contempt, which has no
 * class here, and sequences without an emotion file are left out and counted
 * in `skipped`. Each sequence's first frame is added as a neutral frame (CK+
 * sequences start neutral by protocol; see `loadCkPlus`'s
 * `includeNeutralOnset`), otherwise the neutral class would be empty.
 */

/** Reason under which CK+ contempt frames are counted in `skipped`. */
export const CONTEMPT_SKIP = "contempt (no such class among the 7 emotion classes)";
/** Reason under which CK+ frames without an emotion label are counted in `skipped`. */
export const UNLABELLED_SKIP = "no emotion label";

/**
 * A CK+ dataset (labels in CK+ code order) with its labels remapped by name to
 * `classes` (default EMOTION_CLASSES): "happy"/"happiness" → happiness, and so
 * on. Frames of a class not in `classes` (contempt) are left out and counted
 * in `skipped[CONTEMPT_SKIP]`; unlabelled frames (-1) are kept as -1, or left out
 * and counted in `skipped[UNLABELLED_SKIP]` with `dropUnlabelled`.
 */
export function remapEmotionLabels(ds: Dataset, opts: { classes?: readonly string[]; dropUnlabelled?: boolean } = {}): Dataset {
  const labels = ds.labels;
  if (!labels) throw new FacrInputError("has no labels to remap", { file: ds.name, field: "labels" });
  const classes = [...(opts.classes ?? EMOTION_CLASSES)];
  const alias = (n: string) => (n === "happy" ? "happiness" : n);
  const to = labels.classes.map((n) => classes.indexOf(alias(n)));
  const keep: number[] = [];
  const y: number[] = [];
  const dropped: Record<string, number> = {};
  const bySubject: Record<string, Record<string, number>> = {};
  const drop = (i: number, reason: string) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
    const per = (bySubject[ds.subjects[i]] ??= {});
    per[reason] = (per[reason] ?? 0) + 1;
  };
  for (let i = 0; i < ds.size; i++) {
    const old: number = labels.y[i];
    if (old < 0) {
      if (opts.dropUnlabelled) {
        drop(i, UNLABELLED_SKIP);
        continue;
      }
      keep.push(i);
      y.push(-1);
      continue;
    }
    if (to[old] < 0) {
      drop(i, labels.classes[old] === "contempt" ? CONTEMPT_SKIP : `${labels.classes[old]} (not one of ${classes.join(", ")})`);
      continue;
    }
    keep.push(i);
    y.push(to[old]);
  }
  const sub = subsetDataset(ds, keep);
  const skipped = { ...ds.skipped };
  for (const [k, v] of Object.entries(dropped)) skipped[k] = (skipped[k] ?? 0) + v;
  const notes = [...(ds.meta.notes ?? [])];
  notes.push(`labels remapped by name to [${classes.join(", ")}]; left out and counted in skipped: ${Object.entries(dropped).map(([k, v]) => `${v} × ${k}`).join(", ") || "none"}`);
  return checkDataset({ ...sub, labels: { classes, y: Int32Array.from(y) }, skipped, meta: { ...ds.meta, notes, skippedBySubject: bySubject } });
}

/** A CK+ root as a 7-class emotion dataset (neutral onsets added, contempt and unlabelled frames left out and counted). */
export function loadCkPlusEmotion(dir: string, opts: { dropUnlabelled?: boolean } = {}): Dataset {
  const raw = loadCkPlus(dir, { name: `CK+ (${dir})`, includeNeutralOnset: true });
  return remapEmotionLabels(raw, { dropUnlabelled: opts.dropUnlabelled ?? true });
}

/** Shares of CK+ subjects per role (see the module comment). */
export const CKPLUS_ROLE_SHARES = { graphSource: 0.25, source: 0.5, target: 0.25 } as const;

/**
 * Split one dataset's subjects into three disjoint domains (graph-source,
 * source, target), seeded. Needs ≥ 4 subjects: 2 for the source (its
 * validation split is by subject), 1 for each other role. G is induced per
 * class and the reasoners learn every class, so the graph-source and source
 * subjects must each hold every class present in the data: partitions are
 * drawn from the seeded stream until one does (at most 200 draws; the same
 * seed always gives the same partition), else an input error.
 */
export function subjectDomains(ds: Dataset, seed: Seed): { source: Dataset; target: Dataset; graphSource: Dataset } {
  const ids = subjectIds(ds);
  const S = ids.length;
  if (S < 4) {
    throw new FacrInputError(`holds ${S} subject(s) with usable labels; the subject-partition protocol needs at least 4 (2 source, 1 target, 1 graph-source)`, { file: ds.name, field: "subjects" });
  }
  const nGraph = Math.max(1, Math.round(CKPLUS_ROLE_SHARES.graphSource * S));
  const nTarget = Math.max(1, Math.round(CKPLUS_ROLE_SHARES.target * S));
  const nSource = S - nGraph - nTarget;
  if (nSource < 2) throw new FacrInputError(`too few subjects (${S}) for 2 source subjects`, { file: ds.name, field: "subjects" });
  const y = ds.labels?.y ?? new Int32Array(ds.size).fill(-1);
  const classesOf = new Map<string, Set<number>>(ids.map((s) => [s, new Set<number>()]));
  for (let i = 0; i < ds.size; i++) if (y[i] >= 0) classesOf.get(ds.subjects[i])!.add(y[i]);
  const present = new Set<number>([...classesOf.values()].flatMap((c) => [...c]));
  const covers = (group: string[]) => {
    const got = new Set(group.flatMap((s) => [...classesOf.get(s)!]));
    return [...present].every((c) => got.has(c));
  };
  const rng = new Rng(seed).fork("subjectDomains");
  let roles: { graphSource: string[]; target: string[]; source: string[] } | null = null;
  for (let attempt = 0; attempt < 200 && roles === null; attempt++) {
    const order = rng.shuffle([...ids]);
    const r = { graphSource: order.slice(0, nGraph), target: order.slice(nGraph, nGraph + nTarget), source: order.slice(nGraph + nTarget) };
    if (covers(r.graphSource) && covers(r.source)) roles = r;
  }
  if (roles === null) {
    const names = ds.labels?.classes ?? [];
    throw new FacrInputError(
      `cannot partition its ${S} subjects so that the graph-source and source subjects each hold every class (${[...present].map((c) => names[c]).join(", ")}); ` +
        `200 seeded partitions tried. A class held by very few subjects makes this impossible`,
      { file: ds.name, field: "subjects" },
    );
  }
  const roleOf = new Map<string, string>();
  for (const [role, list] of Object.entries(roles)) for (const s of list) roleOf.set(s, role);
  // frames left out when labels were remapped are counted per role (by subject), not for the whole folder
  const bySubject = ds.meta.skippedBySubject ?? {};
  const remapReasons = new Set(Object.values(bySubject).flatMap((r) => Object.keys(r)));
  const part = (role: "graphSource" | "target" | "source", label: string) => {
    const idx = Array.from({ length: ds.size }, (_, i) => i).filter((i) => roleOf.get(ds.subjects[i]) === role);
    const skipped: Record<string, number> = Object.fromEntries(Object.entries(ds.skipped).filter(([k]) => !remapReasons.has(k)));
    for (const s of roles![role]) for (const [k, v] of Object.entries(bySubject[s] ?? {})) skipped[k] = (skipped[k] ?? 0) + v;
    return checkDataset({ ...subsetDataset(ds, idx, `${ds.name} — ${label} (${roles![role].length} of ${S} subjects, seeded subject partition)`), skipped });
  };
  return { source: part("source", "source subjects"), target: part("target", "target subjects"), graphSource: part("graphSource", "graph-source subjects") };
}

