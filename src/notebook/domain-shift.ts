/**
 * The source/target shift of SynEmotion's domains, described once for
 * notebooks 01 (the data) and 04 (why target accuracy is low): how often the
 * AUs of a frame's class prototype are present and how strongly, how often AUs
 * outside the prototype fire (the background), and the class-correlated head
 * yaw the source carries and the target does not (from the generator's ground
 * truth, and from the landmarks when the frames were rendered).
 *
 * "Prototype" means +1 in the graph passed in: notebook 01 passes SynEmotion's
 * generating structure (`synEmotionGraph()`), notebook 04 the FACS-prototype
 * graph the experiment scored against (`result.graphs.prototypes`). AU45 (the
 * blink) is never counted as background.
 *
 * The generator's ground truth (`meta.truth`) is read here and nowhere else in
 * the notebooks (`synEmotionTruth`).
 */
import { actionUnit } from "../au/registry";
import { Dataset, summarizeDataset } from "../data/dataset";
import { generateSynEmotion } from "../data/synemotion";
import type { EmotionTransferResult } from "../experiments/emotion-transfer";
import type { CausalGraph } from "../graph/graph";
import { fx, pct } from "./format";

/** The part of SynEmotion's `meta.truth` the notebooks read. */
export interface SynEmotionTruth {
  /** Per frame: the prototype the frame's AUs were drawn from. */
  prototypeOf: ArrayLike<number>;
  /** Per frame: the head-yaw offset (radians) the class and domain imposed. */
  yawOffset: Float32Array;
}

/** SynEmotion's ground truth of a dataset, or null when it is not SynEmotion data (real data, other generators). */
export function synEmotionTruth(ds: Dataset): SynEmotionTruth | null {
  const t = ds.meta.truth;
  if (ds.meta.generator !== "SynEmotion" || !t || !(t.yawOffset instanceof Float32Array) || t.yawOffset.length !== ds.size) return null;
  return { prototypeOf: (t.prototypeOf ?? []) as ArrayLike<number>, yawOffset: t.yawOffset };
}

/** One class in one domain. */
export interface ClassShift {
  class: string;
  frames: number;
  /** Mean yaw offset of the class's frames, degrees (NaN without frames or without ground truth). */
  meanYawDeg: number;
  /**
   * Mean horizontal offset of the nose tip from the midpoint of the outer eye
   * corners, in inter-ocular distances (iBUG-68 points 30, 36, 45); null when
   * the frames carry no 68-point landmarks.
   */
  meanNoseOffset: number | null;
  /** Each +1 AU of the class in the graph, with the share of the class's frames in which it is present. */
  prototype: { au: string; present: number }[];
}

/** One domain. */
export interface DomainDescription {
  domain: string;
  frames: number;
  /** Share of (frame, +1 AU of its class) pairs with the AU present. */
  protoPresent: number;
  /** Mean intensity (FACS 1–5) of those present. */
  protoIntensity: number;
  /** Share of (frame, other AU) pairs with the AU present, AU45 excluded. */
  background: number;
  /** Largest |per-class mean yaw offset|, degrees (NaN without ground truth). */
  maxYaw: number;
  perClass: ClassShift[];
}

const deg = (r: number) => (r * 180) / Math.PI;

/** iBUG-68: nose tip 30, outer eye corners 36 and 45; offset in inter-ocular distances. */
function noseOffset(L: Float32Array, i: number): number {
  const o = i * 68 * 2;
  const lx = L[o + 36 * 2], rx = L[o + 45 * 2], ly = L[o + 36 * 2 + 1], ry = L[o + 45 * 2 + 1];
  const iod = Math.hypot(rx - lx, ry - ly);
  return (L[o + 30 * 2] - (lx + rx) / 2) / iod;
}

/** Describe one labelled domain against `graph`'s +1 edges (see the module comment). */
export function describeDomain(domain: string, ds: Dataset, graph: CausalGraph): DomainDescription {
  if (!ds.labels) throw new Error(`${ds.name} has no labels: the domain shift is described per class`);
  const { y, classes } = ds.labels;
  const K = ds.aus.length;
  const graphClass = classes.map((c) => graph.classes.indexOf(c));
  const graphAu = ds.aus.map((a) => graph.aus.indexOf(a));
  const isProto = (k: number, c: number) => graphAu[k] >= 0 && graphClass[c] >= 0 && graph.polarity[graphAu[k]][graphClass[c]] === 1;
  const yaw = synEmotionTruth(ds)?.yawOffset ?? null;
  const L = ds.landmarks && ds.landmarks.points === 68 ? ds.landmarks.data : null;
  let np = 0, on = 0, sumI = 0, nb = 0, bon = 0;
  const n = classes.map(() => 0), yawSum = classes.map(() => 0), noseSum = classes.map(() => 0);
  const present = classes.map(() => new Array<number>(K).fill(0));
  for (let i = 0; i < ds.size; i++) {
    const c = y[i];
    if (c < 0) continue;
    n[c]++;
    if (yaw) yawSum[c] += deg(yaw[i]);
    if (L) noseSum[c] += noseOffset(L, i);
    for (let k = 0; k < K; k++) {
      const v = ds.intensities[i * K + k];
      if (v > 0) present[c][k]++;
      if (isProto(k, c)) {
        np++;
        if (v > 0) (on++, (sumI += v));
      } else if (ds.aus[k] !== "AU45") {
        nb++;
        if (v > 0) bon++;
      }
    }
  }
  const perClass: ClassShift[] = classes.map((cls, c) => ({
    class: cls,
    frames: n[c],
    meanYawDeg: yaw && n[c] ? yawSum[c] / n[c] : NaN,
    meanNoseOffset: L ? (n[c] ? noseSum[c] / n[c] : NaN) : null,
    prototype: graph.aus.flatMap((a) => {
      const k = ds.aus.indexOf(a);
      return k >= 0 && isProto(k, c) ? [{ au: a, present: n[c] ? present[c][k] / n[c] : NaN }] : [];
    }),
  }));
  const yaws = perClass.map((p) => Math.abs(p.meanYawDeg)).filter(Number.isFinite);
  return { domain, frames: ds.size, protoPresent: on / np, protoIntensity: sumI / on, background: bon / nb, maxYaw: yaws.length ? Math.max(...yaws) : NaN, perClass };
}

/** Describe every domain (in the record's order). */
export function describeDomains(domains: Readonly<Record<string, Dataset>>, graph: CausalGraph): DomainDescription[] {
  return Object.entries(domains).map(([name, ds]) => describeDomain(name, ds, graph));
}

/**
 * The domains of an emotion-transfer result regenerated from its seed, profile
 * and data config (AUs and labels only, no rendering), with whether their AU
 * summaries equal the result's; null when the result's data are not SynEmotion.
 */
export function regenerateSynEmotion(result: Pick<EmotionTransferResult, "data" | "config" | "profile">): { domains: Record<"source" | "target" | "graphSource", Dataset>; matches: boolean } | null {
  if (!result.data.source.synthetic || !result.data.source.name.startsWith("SynEmotion")) return null;
  const { source, target, graphSource } = generateSynEmotion({ seed: result.config.data.seed, profile: result.profile, config: result.config.data.config, observations: false });
  const domains = { source, target, graphSource };
  const matches = (["source", "target", "graphSource"] as const).every((d) => JSON.stringify(summarizeDataset(domains[d]).auActiveShare) === JSON.stringify(result.data[d].summary.auActiveShare));
  return { domains, matches };
}

/** One row per domain: prototype presence and intensity, background, the largest per-class yaw (notebook 04). */
export function domainShiftRows(shift: readonly DomainDescription[]): Record<string, string>[] {
  return shift.map((s) => ({
    domain: s.domain,
    "prototype AUs present": pct(s.protoPresent),
    "mean intensity when present (FACS 1–5)": fx(s.protoIntensity, 2),
    "non-prototype AUs firing": pct(s.background, 1),
    "largest per-class mean yaw offset": Number.isFinite(s.maxYaw) ? `${fx(s.maxYaw, 1)}°` : "n/a",
  }));
}

/** P(AU present | class) per domain for each prototype AU, then the background row (notebook 01). */
export function prototypeRateRows(shift: readonly DomainDescription[]): Record<string, string>[] {
  if (!shift.length) return [];
  const perDomain = (f: (d: DomainDescription) => number, digits: number) => Object.fromEntries(shift.map((d) => [d.domain, pct(f(d), digits)]));
  const rows = shift[0].perClass.flatMap((pc, c) =>
    pc.prototype.map((p, j) => ({ class: pc.class, "prototype AU": `${p.au} ${actionUnit(p.au).name}`, ...perDomain((d) => d.perClass[c].prototype[j]?.present ?? NaN, 0) })),
  );
  return [...rows, { class: "(any)", "prototype AU": "AUs outside the class's prototype", ...perDomain((d) => d.background, 1) }];
}

/** Per class: mean yaw offset (°) and nose offset (inter-ocular distances) in each domain (notebook 01). */
export function yawRows(shift: readonly DomainDescription[]): Record<string, string | number>[] {
  if (!shift.length) return [];
  return shift[0].perClass.map((pc, c) => ({
    class: pc.class,
    ...Object.fromEntries(shift.map((d) => [`${d.domain}: yaw offset °`, d.perClass[c].meanYawDeg])),
    ...Object.fromEntries(shift.map((d) => [`${d.domain}: nose offset / IOD`, d.perClass[c].meanNoseOffset ?? NaN])),
  }));
}

/** The shift in one sentence, target against source (notebook 04's reading). */
export function domainShiftSentence(source: DomainDescription, target: DomainDescription): string {
  return (
    `The target is built to be hard: a prototype AU of the frame's class is present in ${pct(target.protoPresent)} of target cases against ${pct(source.protoPresent)} in the source, ` +
    `at mean intensity ${fx(target.protoIntensity, 2)} against ${fx(source.protoIntensity, 2)}, and AUs outside the prototype fire in ${pct(target.background, 1)} against ${pct(source.background, 1)}; ` +
    `the source's head yaw is class-correlated (per-class mean offsets up to ${fx(source.maxYaw, 1)}°), a shortcut a source-trained reasoner can use and that is gone on the target (${fx(target.maxYaw, 1)}°).`
  );
}
