/**
 * SynPain: a structural causal model shaped like the UNBC-McMaster Shoulder Pain
 * Archive (Lucey et al., 2011): subjects → sequences → frames.
 *
 * Latent processes per sequence (time in frames, ~30 fps):
 *   π(t) pain: smooth episodes (onset, apex, offset) whose amplitude follows the
 *        sequence's painfulness v (a VAS-like 0–10 value);
 *   s(t) social smiles, independent of pain;
 *   τ(t) talking bouts (rhythmic mouth opening), independent of pain;
 *   b(t) blinks;
 *   pain-free frowns (AU4) and nose wrinkles (AU9/AU10).
 * AUs are functions of these latents, subject traits and smooth AR(1) noise:
 *   PSPI AUs (4, 6, 7, 9, 10, 43) rise with pain, each subject favoring AU6 or
 *   AU7 and AU9 or AU10 (substitute preferences); AU6 also rises in Duchenne
 *   smiles and AU43 in blinks;
 *   AU12, 20, 25, 26, 27 co-occur with pain (pain smile, grimace, mouth opening)
 *   but also occur without it (smiles, talking): the tempting shortcuts.
 * Intensities are integers 0–5 (AU43 0/1); PSPI = AU4 + max(AU6, AU7) +
 * max(AU9, AU10) + AU43; the label is pain = 1[PSPI > painThreshold].
 * So the label is, by construction, a function of the PSPI AUs alone: G_pain is
 * the true structure of label given AUs.
 *
 * The observation x is not the AUs: 66 AAM-style landmarks and an appearance
 * vector rendered from the AUs by `observeFrames` (src/data/face).
 */
import { UNBC_AUS } from "../au/registry";
import { pspiOf } from "../au/pspi";
import { PAIN_CLASSES } from "../graph/known";
import { DeepPartial, Profile, resolveConfig } from "../util/config";
import { beta, poisson } from "../util/distributions";
import { Rng, Seed } from "../util/random";
import { checkDataset, Dataset } from "./dataset";
import { observeFrames } from "./observe";
import { checkRegime, SynPainConfig, SYNPAIN_DEFAULTS, SYNPAIN_PROFILES } from "./synpain-config";
import { annotate, shortcutResponse, tensionCue, TENSION_FEATURE, visibleIntensities, withAppearanceColumn } from "./synpain-regime";

export { SYNPAIN_DEFAULTS, SYNPAIN_PROFILES } from "./synpain-config";
export type { SynPainConfig, SynPainRegime } from "./synpain-config";

export interface SynPainOptions {
  seed?: Seed;
  profile?: Profile;
  /** Overrides on top of the profile (strict: unknown keys are errors). */
  config?: DeepPartial<SynPainConfig>;
  /** Prefix of subject ids (use distinct prefixes for disjoint populations, e.g. a graph-source cohort). */
  subjectPrefix?: string;
  /** Render landmarks and appearance (default true). AU-only data is enough for graph induction and is faster. */
  observations?: boolean;
}

/** Generate SynPain. Same seed and options → byte-identical dataset. */
export function generateSynPain(opts: SynPainOptions = {}): Dataset {
  const profile = opts.profile ?? "paper";
  const seed = opts.seed ?? 0;
  const cfg = resolveConfig(resolveConfig(SYNPAIN_DEFAULTS, SYNPAIN_PROFILES[profile], "profile"), opts.config, "config");
  const { auVisibility, shortcutStrength, auLabelNoise } = checkRegime(cfg.regime);
  const painResponse = shortcutResponse(cfg.painResponse, shortcutStrength);
  const rng = new Rng(seed);
  const prefix = opts.subjectPrefix ?? "S";
  const K = UNBC_AUS.length;
  const col = (code: string) => UNBC_AUS.indexOf(code);
  const A = { 4: col("AU04"), 6: col("AU06"), 7: col("AU07"), 9: col("AU09"), 10: col("AU10"), 12: col("AU12"), 20: col("AU20"), 25: col("AU25"), 26: col("AU26"), 27: col("AU27"), 43: col("AU43") };

  // --- subjects and their traits
  const traitRng = rng.fork("traits");
  const subjects = Array.from({ length: cfg.subjects }, (_, s) => ({
    id: `${prefix}${String(s + 1).padStart(2, "0")}`,
    expressiveness: Math.exp(traitRng.normal(0, cfg.expressivenessSd)),
    prefer6over7: beta(traitRng, 2, 2),
    prefer9over10: beta(traitRng, 2, 2),
    browProneness: beta(traitRng, 2, 3),
    noseProneness: beta(traitRng, 1.5, 4),
    painSmile: beta(traitRng, 1.5, 3),
    duchenne: beta(traitRng, 4, 2),
    smileRateFactor: Math.exp(traitRng.normal(0, 0.5)),
    mouthBreather: traitRng.bernoulli(0.08),
  }));

  // --- sequences: every subject gets one, the rest by subject weights (UNBC subjects contribute unevenly)
  const seqRng = rng.fork("sequences");
  const weights = subjects.map(() => -Math.log(1 - seqRng.next()));
  const owner: number[] = subjects.map((_, s) => s);
  const wsum = weights.reduce((a, b) => a + b, 0);
  while (owner.length < cfg.sequences) {
    let u = seqRng.next() * wsum;
    let s = 0;
    while (u > weights[s] && s < weights.length - 1) u -= weights[s++];
    owner.push(s);
  }
  owner.sort((a, b) => a - b);
  const lengths = owner.map(() => {
    const sd = 0.45;
    const mu = Math.log(cfg.meanSequenceLength) - (sd * sd) / 2;
    return Math.round(Math.min(cfg.maxSequenceLength, Math.max(cfg.minSequenceLength, Math.exp(seqRng.normal(mu, sd)))));
  });
  const N = lengths.reduce((a, b) => a + b, 0);

  const intensities = new Float32Array(N * K);
  const painLatent = new Float32Array(N);
  const subjectOf: string[] = new Array(N);
  const sequenceOf: string[] = new Array(N);
  const frames = new Int32Array(N);
  const identityOf = new Int32Array(N);
  const sequenceLabels: Record<string, Record<string, number>> = {};
  const perSubjectSeq = new Map<number, number>();
  const drive = new Float64Array(K);
  const noise = new Float64Array(K);

  let row = 0;
  owner.forEach((s, q) => {
    const subj = subjects[s];
    const n = (perSubjectSeq.get(s) ?? 0) + 1;
    perSubjectSeq.set(s, n);
    const seqId = `${subj.id}-seq${String(n).padStart(2, "0")}`;
    const r = rng.fork(`seq${q}`);
    const L = lengths[q];

    // painfulness and pain episodes
    const painful = !r.bernoulli(cfg.pain.painFreeShare);
    const v = painful ? 10 * beta(r, cfg.pain.painfulnessBeta[0], cfg.pain.painfulnessBeta[1]) : 0;
    const pain = new Float64Array(L);
    if (painful) {
      const episodes = 1 + poisson(r, v * cfg.pain.extraEpisodesPerUnitV);
      for (let e = 0; e < episodes; e++) {
        const amp = Math.min(1, (v / 10) * r.uniform(0.7, 1.3) + 0.1);
        addEpisode(pain, r.int(L), r.uniform(...cfg.pain.riseFrames), r.uniform(...cfg.pain.apexFrames), r.uniform(...cfg.pain.decayFrames), amp);
      }
    }
    const smile = new Float64Array(L);
    addEvents(smile, r, cfg.behavior.smileRate * subj.smileRateFactor, cfg.behavior.smileFrames, () => r.uniform(0.3, 1));
    const talk = new Float64Array(L);
    addEvents(talk, r, cfg.behavior.talkRate, cfg.behavior.talkFrames, () => 1);
    const blink = new Float64Array(L);
    addEvents(blink, r, cfg.behavior.blinkRate, cfg.behavior.blinkFrames, () => 1, false);
    const frown = new Float64Array(L);
    addEvents(frown, r, cfg.behavior.frownRate, cfg.behavior.frownFrames, () => r.uniform(0.2, 0.6));
    // a nose wrinkle is AU9 or AU10, each event drawn by the subject's preference
    const sneer9 = new Float64Array(L);
    const sneer10 = new Float64Array(L);
    addEvents(sneer9, r, cfg.behavior.sneerRate * subj.prefer9over10, cfg.behavior.sneerFrames, () => r.uniform(0.2, 0.5));
    addEvents(sneer10, r, cfg.behavior.sneerRate * (1 - subj.prefer9over10), cfg.behavior.sneerFrames, () => r.uniform(0.2, 0.5));
    const talkPeriod = r.uniform(8, 14);
    const talkPhase = r.uniform(0, 2 * Math.PI);

    noise.fill(0);
    const e = subj.expressiveness;
    const innov = cfg.auNoiseSd * Math.sqrt(1 - cfg.auNoiseRho * cfg.auNoiseRho);
    for (let t = 0; t < L; t++) {
      const p = pain[t];
      const mouth = talk[t] > 0 ? 0.5 + 0.5 * Math.sin((2 * Math.PI * t) / talkPeriod + talkPhase) : 0;
      const resp = (code: keyof SynPainConfig["painResponse"]) => {
        const { weight, onset } = painResponse[code];
        return weight * Math.max(0, p - onset) / (1 - onset);
      };
      drive.fill(0);
      drive[A[4]] = e * subj.browProneness * resp("AU04") + frown[t];
      drive[A[6]] = e * (0.25 + 0.9 * subj.prefer6over7) * resp("AU06") + subj.duchenne * 0.8 * smile[t];
      drive[A[7]] = e * (0.25 + 0.9 * (1 - subj.prefer6over7)) * resp("AU07");
      drive[A[9]] = e * subj.noseProneness * (0.4 + 1.2 * subj.prefer9over10) * resp("AU09") + sneer9[t];
      drive[A[10]] = e * subj.noseProneness * (0.4 + 1.2 * (1 - subj.prefer9over10)) * resp("AU10") + sneer10[t];
      drive[A[43]] = blink[t] > 0 ? 1 : e * resp("AU43");
      drive[A[12]] = 0.9 * smile[t] + subj.painSmile * resp("AU12");
      drive[A[20]] = e * resp("AU20");
      drive[A[25]] = (talk[t] > 0 ? 0.3 + 0.4 * mouth : 0) + e * resp("AU25") + (subj.mouthBreather ? 0.13 : 0);
      drive[A[26]] = (talk[t] > 0 ? 0.5 * mouth : 0) + e * resp("AU26");
      drive[A[27]] = e * resp("AU27");
      const o = row + t;
      for (let k = 0; k < K; k++) {
        noise[k] = cfg.auNoiseRho * noise[k] + r.normal(0, innov);
        const level = drive[k] + noise[k];
        intensities[o * K + k] = k === A[43] ? (level >= 0.5 ? 1 : 0) : Math.max(0, Math.min(5, Math.floor(5 * level + 0.3)));
      }
      painLatent[o] = p;
      subjectOf[o] = subj.id;
      sequenceOf[o] = seqId;
      frames[o] = t;
      identityOf[o] = s;
    }
    // sequence-level self-report and observer ratings (UNBC: VAS 0–10, OPR 0–5, AFF and SEN 0–15)
    sequenceLabels[seqId] = {
      VAS: clampRound(v + r.normal(0, 1), 0, 10),
      OPR: clampRound(v / 2 + r.normal(0, 0.7), 0, 5),
      AFF: clampRound(1.5 * v + r.normal(0, 1.5), 0, 15),
      SEN: clampRound(1.5 * v + r.normal(0, 1.5), 0, 15),
    };
    row += L;
  });

  // PSPI and the label are of the true intensities, whatever the annotations say
  const pspiFn = pspiOf(UNBC_AUS);
  const pspi = new Float32Array(N);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    pspi[i] = pspiFn(intensities, i * K);
    y[i] = pspi[i] > cfg.painThreshold ? 1 : 0;
  }

  // the face shows the true intensities, PSPI AUs dimmed by auVisibility
  const starts = sequenceStarts(lengths);
  const obs = opts.observations === false ? undefined : observeFrames({
    aus: UNBC_AUS,
    intensities: visibleIntensities(UNBC_AUS, intensities, auVisibility),
    subjects: subjects.length,
    identityOf,
    sequenceStarts: starts,
    rng: rng.fork("observation"),
    points: 66,
    config: cfg.observation,
  });
  const appearance = obs && shortcutStrength > 0
    ? withAppearanceColumn(obs.appearance, TENSION_FEATURE, tensionCue(painLatent, starts, shortcutStrength, rng.fork("cue")))
    : obs?.appearance;
  const annotated = annotate(UNBC_AUS, intensities, auLabelNoise, rng.fork("annotation"));

  return checkDataset({
    name: `SynPain (profile ${profile}, seed ${String(seed)})`,
    source: "synthetic",
    size: N,
    aus: UNBC_AUS,
    intensities: annotated,
    subjects: subjectOf,
    sequences: sequenceOf,
    frames,
    landmarks: obs?.landmarks,
    appearance,
    labels: { classes: [...PAIN_CLASSES], y },
    pspi,
    sequenceLabels,
    skipped: {},
    meta: {
      generator: "SynPain",
      profile,
      seed,
      config: cfg,
      truth: { intensities, painLatent, subjectTraits: subjects.map(({ id, ...t }) => ({ id, ...t })) },
      notes: ["Synthetic data with a known structure: the label is a function of the PSPI AUs alone.", ...regimeNotes(cfg.regime)],
    },
  });
}

/** What a report should say about a regime other than the clean one (nothing for the clean one). */
function regimeNotes({ auVisibility, shortcutStrength, auLabelNoise }: SynPainConfig["regime"]): string[] {
  const notes: string[] = [];
  if (auVisibility < 1) notes.push(`Regime: the PSPI AUs show in landmarks and appearance at ${auVisibility} of their intensity (auVisibility).`);
  if (shortcutStrength > 0) notes.push(`Regime: shortcut cues co-occur with pain at strength ${shortcutStrength} (stronger, earlier AU12/20/25/26/27; an appearance column "${TENSION_FEATURE}" that tracks the latent pain).`);
  if (auLabelNoise > 0) notes.push(`Regime: AU intensities are noisy annotations (auLabelNoise ${auLabelNoise}); the true intensities, of which PSPI and the label are computed, are meta.truth.intensities.`);
  return notes;
}

/** A smooth pain episode: smoothstep rise, plateau, smoothstep decay; max-combined with what is there. */
function addEpisode(out: Float64Array, start: number, rise: number, apex: number, decay: number, amp: number): void {
  const end = Math.min(out.length, Math.ceil(start + rise + apex + decay));
  for (let t = start; t < end; t++) {
    const dt = t - start;
    let env: number;
    if (dt < rise) env = smoothstep(dt / rise);
    else if (dt < rise + apex) env = 1;
    else env = 1 - smoothstep((dt - rise - apex) / decay);
    out[t] = Math.max(out[t], amp * env);
  }
}

/** Poisson-timed events of random duration; `smooth` gives them soft edges (a few frames). */
function addEvents(out: Float64Array, r: Rng, rate: number, dur: [number, number], amp: () => number, smooth = true): void {
  let t = -Math.log(1 - r.next()) / rate;
  while (t < out.length) {
    const start = Math.floor(t);
    const d = Math.round(r.uniform(dur[0], dur[1]));
    const a = amp();
    const edge = smooth ? Math.min(6, d / 3) : 0;
    for (let u = start; u < Math.min(out.length, start + d); u++) {
      const inRamp = u - start;
      const outRamp = start + d - 1 - u;
      const env = edge > 0 ? Math.min(1, smoothstep(Math.min(inRamp, outRamp) / edge)) : 1;
      out[u] = Math.max(out[u], a * env);
    }
    t += d + -Math.log(1 - r.next()) / rate;
  }
}

/** First frame of each sequence given the sequence lengths. */
function sequenceStarts(lengths: readonly number[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const L of lengths) {
    starts.push(at);
    at += L;
  }
  return starts;
}

function smoothstep(x: number): number {
  const c = Math.max(0, Math.min(1, x));
  return c * c * (3 - 2 * c);
}

function clampRound(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(x)));
}
