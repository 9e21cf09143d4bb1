import { auCode, OPENFACE_AUS } from "../au/registry";
import { CausalGraph, makeGraph, Polarity } from "../graph/graph";
import { EMOTION_CLASSES } from "../graph/known";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { Rng, Seed } from "../util/random";
import { checkDataset, Dataset } from "./dataset";
import { DEFAULT_OBSERVATION, observeFrames, ObservationConfig } from "./observe";

/**
 * SynEmotion: a structural causal model for the seven-class cross-dataset task
 * (neutral + six basic emotions) over the 17 AUs OpenFace 2 estimates.
 *
 * Class → prototype → AUs: each frame's emotion picks one of its generating
 * prototypes (variants with probabilities, written from the FACS Investigator's
 * Guide prototypes restricted to OpenFace's AUs); each prototype AU is kept with
 * the domain's `keepProbability` and gets an integer intensity; every other AU
 * fires at the domain's background rate (AU45 at its own blink rate).
 *
 * Three disjoint domains (different subjects) from this one SCM:
 *   source      posed, AffectNet-like: strong, complete prototypes and a
 *               class-correlated nuisance (head pose offsets per class);
 *   target      in-the-wild, Aff-Wild2-like: weaker, partial prototypes, more
 *               background AUs and noise, the nuisance decorrelated;
 *   graphSource AU annotations used only to induce G (never for training or test).
 */
export type EmotionClass = (typeof EMOTION_CLASSES)[number];

/** Generating prototypes: FACS AU numbers with their probability within the class. */
export const GENERATING_PROTOTYPES: Readonly<Record<EmotionClass, readonly { aus: readonly number[]; p: number }[]>> = {
  neutral: [{ aus: [], p: 1 }],
  anger: [
    { aus: [4, 5, 7, 23], p: 0.5 },
    { aus: [4, 5, 7, 17, 23], p: 0.3 },
    { aus: [4, 7, 10, 23], p: 0.2 },
  ],
  disgust: [
    { aus: [9], p: 0.35 },
    { aus: [10], p: 0.25 },
    { aus: [9, 10], p: 0.2 },
    { aus: [9, 17], p: 0.1 },
    { aus: [10, 17], p: 0.1 },
  ],
  fear: [
    { aus: [1, 2, 4, 5, 20], p: 0.5 },
    { aus: [1, 2, 4, 5], p: 0.3 },
    { aus: [1, 2, 5, 20], p: 0.2 },
  ],
  happiness: [
    { aus: [6, 12], p: 0.7 },
    { aus: [12], p: 0.2 },
    { aus: [6, 12, 25], p: 0.1 },
  ],
  sadness: [
    { aus: [1, 4, 15], p: 0.5 },
    { aus: [1, 4, 15, 17], p: 0.3 },
    { aus: [6, 15], p: 0.2 },
  ],
  surprise: [
    { aus: [1, 2, 5, 26], p: 0.6 },
    { aus: [1, 2, 26], p: 0.2 },
    { aus: [1, 2, 5], p: 0.2 },
  ],
};

/**
 * The generating structure as a graph: AU k is +1 for class c when
 * P(k ∈ prototype | c) ≥ 0.5; neutral is −1 for every AU that is +1 for some
 * emotion; disgust's AU9/AU10 (either carries it) is a substitute group.
 */
export function synEmotionGraph(): CausalGraph {
  const aus = [...OPENFACE_AUS];
  const classes = [...EMOTION_CLASSES];
  const polarity: Polarity[][] = aus.map(() => classes.map(() => 0 as Polarity));
  classes.forEach((cls, c) => {
    for (const [k, code] of aus.entries()) {
      const n = Number(code.slice(2));
      const p = GENERATING_PROTOTYPES[cls].reduce((s, proto) => s + (proto.aus.includes(n) ? proto.p : 0), 0);
      if (p >= 0.5) polarity[k][c] = 1;
    }
  });
  const neutral = classes.indexOf("neutral");
  aus.forEach((_, k) => {
    if (polarity[k].some((p, c) => c !== neutral && p === 1)) polarity[k][neutral] = -1;
  });
  return makeGraph({
    aus,
    classes,
    polarity,
    groups: { disgust: [["AU09", "AU10"]] },
    provenance: {
      kind: "known",
      source: "SynEmotion generating prototypes",
      notes: "+1 when P(AU in prototype | class) >= 0.5; neutral -1 for every AU +1 elsewhere",
    },
  });
}

export interface DomainConfig {
  subjects: number;
  framesPerSubject: number;
  /** Class prior in EMOTION_CLASSES order (normalized). */
  classPrior: number[];
  /** Probability each AU of the chosen prototype is present. */
  keepProbability: number;
  /** Intensity of a present prototype AU: uniform integer in [min, max] (scaled by subject expressiveness). */
  intensity: [number, number];
  /** Probability a non-prototype AU fires (intensity 1–2). */
  backgroundRate: number;
  /** Probability of a blink (AU45) in a frame. */
  blinkRate: number;
  /** Class-correlated head-pose nuisance: yaw offset = this × CLASS_YAW[c] radians (0 = decorrelated). */
  nuisanceStrength: number;
  /** Landmark noise, pixels. */
  landmarkNoise: number;
  /** Head pose spread (yaw sd, radians). */
  yawSd: number;
}

/** Per-class yaw direction of the source-domain nuisance (posed sets photograph classes differently). */
const CLASS_YAW = [0, 1, -1, 0.6, -0.6, 0.8, -0.8];

export interface SynEmotionConfig {
  source: DomainConfig;
  target: DomainConfig;
  graphSource: DomainConfig;
  /** Subject expressiveness: log-normal sd. */
  expressivenessSd: number;
  observation: ObservationConfig;
}

const UNIFORM7 = [1, 1, 1, 1, 1, 1, 1];

export const SYNEMOTION_DEFAULTS: SynEmotionConfig = {
  source: {
    subjects: 400,
    framesPerSubject: 25,
    classPrior: UNIFORM7,
    keepProbability: 0.97,
    intensity: [3, 5],
    backgroundRate: 0.03,
    blinkRate: 0.03,
    nuisanceStrength: 0.35,
    landmarkNoise: 0.8,
    yawSd: 0.08,
  },
  target: {
    subjects: 120,
    framesPerSubject: 50,
    // Aff-Wild2's expression set is dominated by neutral and happiness
    classPrior: [0.3, 0.08, 0.05, 0.05, 0.25, 0.15, 0.12],
    keepProbability: 0.65,
    intensity: [1, 3],
    backgroundRate: 0.08,
    blinkRate: 0.12,
    nuisanceStrength: 0,
    landmarkNoise: 1.5,
    yawSd: 0.3,
  },
  graphSource: {
    subjects: 250,
    framesPerSubject: 24,
    classPrior: UNIFORM7,
    keepProbability: 0.85,
    intensity: [2, 5],
    backgroundRate: 0.05,
    blinkRate: 0.08,
    nuisanceStrength: 0,
    landmarkNoise: 1.0,
    yawSd: 0.15,
  },
  expressivenessSd: 0.25,
  observation: { ...DEFAULT_OBSERVATION, pose: { ...DEFAULT_OBSERVATION.pose, rho: 0 } },
};

/** Profiles: `paper` ≈ 10k source, 6k target, 6k graph-source frames; `quick` about a third; `smoke` for tests. */
export const SYNEMOTION_PROFILES: Record<Profile, DeepPartial<SynEmotionConfig>> = {
  smoke: { source: { subjects: 40, framesPerSubject: 10 }, target: { subjects: 20, framesPerSubject: 15 }, graphSource: { subjects: 40, framesPerSubject: 10 } },
  quick: { source: { subjects: 150, framesPerSubject: 20 }, target: { subjects: 60, framesPerSubject: 30 }, graphSource: { subjects: 100, framesPerSubject: 20 } },
  paper: {},
};

export interface SynEmotionOptions {
  seed?: Seed;
  profile?: Profile;
  config?: DeepPartial<SynEmotionConfig>;
  /** Render landmarks and appearance (default true). */
  observations?: boolean;
}

export interface SynEmotion {
  source: Dataset;
  target: Dataset;
  graphSource: Dataset;
  /** The generating structure (see `synEmotionGraph`). */
  graph: CausalGraph;
}

export type EmotionDomain = "source" | "target" | "graphSource";
const DOMAIN_PREFIX: Record<EmotionDomain, string> = { source: "P", target: "W", graphSource: "F" };

/** Generate the three SynEmotion domains (disjoint subjects). Same seed → byte-identical data. */
export function generateSynEmotion(opts: SynEmotionOptions = {}): SynEmotion {
  const profile = opts.profile ?? "paper";
  const seed = opts.seed ?? 0;
  const cfg = resolveConfig(resolveConfig(SYNEMOTION_DEFAULTS, SYNEMOTION_PROFILES[profile], "profile"), opts.config, "config");
  const rng = new Rng(seed);
  const make = (domain: EmotionDomain) =>
    generateDomain(domain, cfg, rng.fork(domain), `SynEmotion ${domain} (profile ${profile}, seed ${String(seed)})`, { profile, seed }, opts.observations !== false);
  return { source: make("source"), target: make("target"), graphSource: make("graphSource"), graph: synEmotionGraph() };
}

function generateDomain(domain: EmotionDomain, cfg: SynEmotionConfig, rng: Rng, name: string, info: { profile: Profile; seed: Seed }, render: boolean): Dataset {
  const d = cfg[domain];
  if (d.classPrior.length !== EMOTION_CLASSES.length) throw new Error(`config.${domain}.classPrior must hold ${EMOTION_CLASSES.length} weights`);
  const K = OPENFACE_AUS.length;
  const N = d.subjects * d.framesPerSubject;
  const i45 = OPENFACE_AUS.indexOf("AU45");
  const prior = normalize(d.classPrior);
  const intensities = new Float32Array(N * K);
  const y = new Int32Array(N);
  const subjects: string[] = new Array(N);
  const identityOf = new Int32Array(N);
  const frames = new Int32Array(N);
  const poseOffset = new Float32Array(N * 3);
  const prototypeOf = new Int32Array(N);
  const present = new Uint8Array(K);
  for (let s = 0; s < d.subjects; s++) {
    const r = rng.fork(`subject${s}`);
    const id = `${DOMAIN_PREFIX[domain]}${String(s + 1).padStart(4, "0")}`;
    const expressiveness = Math.exp(r.normal(0, cfg.expressivenessSd));
    const habit = r.int(K); // one AU this person shows more often at rest
    for (let f = 0; f < d.framesPerSubject; f++) {
      const i = s * d.framesPerSubject + f;
      const c = pick(r, prior);
      const cls = EMOTION_CLASSES[c];
      const protos = GENERATING_PROTOTYPES[cls];
      const p = pick(r, protos.map((q) => q.p));
      present.fill(0);
      for (const n of protos[p].aus) {
        const k = OPENFACE_AUS.indexOf(auCode(n));
        if (k >= 0 && r.bernoulli(d.keepProbability)) {
          present[k] = 1;
          const level = r.uniform(d.intensity[0], d.intensity[1] + 1) * expressiveness;
          intensities[i * K + k] = Math.max(1, Math.min(5, Math.floor(level)));
        }
      }
      for (let k = 0; k < K; k++) {
        if (present[k]) continue;
        if (k === i45) intensities[i * K + k] = r.bernoulli(d.blinkRate) ? 1 : 0;
        else if (r.bernoulli(k === habit ? 3 * d.backgroundRate : d.backgroundRate)) intensities[i * K + k] = 1 + r.int(2);
      }
      y[i] = c;
      prototypeOf[i] = p;
      subjects[i] = id;
      identityOf[i] = s;
      frames[i] = f;
      poseOffset[i * 3 + 1] = d.nuisanceStrength * CLASS_YAW[c];
    }
  }
  const obs = !render ? undefined : observeFrames({
    aus: OPENFACE_AUS,
    intensities,
    subjects: d.subjects,
    identityOf,
    sequenceStarts: Array.from({ length: N }, (_, i) => i), // still images: independent poses
    rng: rng.fork("observation"),
    points: 68,
    config: { ...cfg.observation, landmarkNoise: d.landmarkNoise, pose: { ...cfg.observation.pose, yawSd: d.yawSd } },
    poseOffset,
  });
  return checkDataset({
    name,
    source: "synthetic",
    size: N,
    aus: OPENFACE_AUS,
    intensities,
    subjects,
    sequences: subjects.slice(), // one "video" per subject
    frames,
    landmarks: obs?.landmarks,
    appearance: obs?.appearance,
    labels: { classes: [...EMOTION_CLASSES], y },
    skipped: {},
    meta: {
      generator: "SynEmotion",
      domain,
      ...info,
      config: d,
      truth: { prototypeOf, yawOffset: Float32Array.from({ length: N }, (_, i) => poseOffset[i * 3 + 1]) },
      notes: ["Synthetic data with a known structure (prototype-driven AUs)."],
    },
  });
}

function normalize(w: readonly number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

function pick(r: Rng, probs: readonly number[]): number {
  let u = r.next() * probs.reduce((a, b) => a + b, 0);
  for (let j = 0; j < probs.length; j++) {
    u -= probs[j];
    if (u < 0) return j;
  }
  return probs.length - 1;
}

