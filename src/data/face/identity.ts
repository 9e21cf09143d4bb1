/**
 * Identities: how one synthetic person's face differs from the neutral face at
 * rest. The shape offset is built from a few smooth, named traits (face width, jaw
 * length, eye spacing, ...) rather than per-point noise, so every identity is a
 * plausible face; a little asymmetry is added on purpose (real faces have some).
 */
import type { Rng } from "../../util/random";
import { checkKeys, checkNumber } from "../../util/options";
import { APPEARANCE_AGE_LOADING, APPEARANCE_FEATURES, APPEARANCE_IDENTITY_SD } from "./appearance";
import { IBUG_POINTS, REGIONS_68 } from "./layout";
import { NEUTRAL_FACE_68 } from "./neutral";

export interface Identity {
  /** (dx, dy) per iBUG point, canonical units, added to the neutral face (136 numbers). */
  readonly shape: Float32Array;
  /** One offset per APPEARANCE_FEATURES entry, energy units, added to the feature's baseline. */
  readonly appearance: Float32Array;
  /** The sampled traits the offsets were built from (canonical units or relative factors), for reports. */
  readonly traits: Readonly<Record<string, number>>;
}

export interface IdentityOptions {
  /** Multiplies every shape trait's s.d. (default 1; 0 gives the neutral shape). */
  shapeScale?: number;
  /** Multiplies the asymmetry traits' s.d. on top of shapeScale (default 1). */
  asymmetry?: number;
  /** Multiplies the appearance offsets' s.d. (default 1). */
  appearanceScale?: number;
}

/**
 * Trait s.d. at shapeScale 1. Relative factors scale a region about its center;
 * the others are shifts in canonical units (1 = outer-eye-corner distance).
 */
export const IDENTITY_TRAIT_SD = Object.freeze({
  /** relative: jaw contour wider / narrower */
  faceWidth: 0.04,
  /** relative: everything below the nose tip stretched down / up */
  jawLength: 0.05,
  /** relative: chin and lower jaw (points 4–12) wider / narrower */
  chinWidth: 0.05,
  /** canonical units: each eye (and half its brow) moved away from the midline */
  eyeSpacing: 0.015,
  /** relative: eye outline scaled about its center */
  eyeSize: 0.06,
  /** canonical units: both brows up (positive) or down */
  browHeight: 0.025,
  /** canonical units: nose tip and wings further down */
  noseLength: 0.025,
  /** relative: nose wings wider */
  noseWidth: 0.06,
  /** relative: mouth wider */
  mouthWidth: 0.05,
  /** canonical units: mouth lower on the face */
  mouthHeight: 0.02,
  /** canonical units: fuller lips (upper lip margin up, lower margin 1.5× down) */
  lipFullness: 0.01,
  // asymmetry (also scaled by `asymmetry`)
  /** canonical units: subject's right brow lower, left brow higher */
  browAsymmetry: 0.01,
  /** canonical units: subject's right eye lower, left eye higher */
  eyeAsymmetry: 0.006,
  /** canonical units at the mouth corners: mouth line tilted (subject's right corner lower) */
  mouthTilt: 0.008,
  /** canonical units at the chin: chin shifted towards the image right */
  chinShift: 0.012,
});

type Trait = keyof typeof IDENTITY_TRAIT_SD;
const ASYMMETRY_TRAITS: readonly Trait[] = ["browAsymmetry", "eyeAsymmetry", "mouthTilt", "chinShift"];

/** The neutral identity: no shape offset, no appearance offset. */
export function neutralIdentity(): Identity {
  return {
    shape: new Float32Array(IBUG_POINTS * 2),
    appearance: new Float32Array(APPEARANCE_FEATURES.length),
    traits: {},
  };
}

/** Draw one identity. Randomness only from `rng`. */
export function sampleIdentity(rng: Rng, opts: IdentityOptions = {}): Identity {
  checkKeys(opts, ["shapeScale", "asymmetry", "appearanceScale"], "identity options");
  const shapeScale = checkNumber(opts.shapeScale ?? 1, "shapeScale", { min: 0 });
  const asymmetry = checkNumber(opts.asymmetry ?? 1, "asymmetry", { min: 0 });
  const appearanceScale = checkNumber(opts.appearanceScale ?? 1, "appearanceScale", { min: 0 });

  const traits: Record<string, number> = {};
  for (const [name, sd] of Object.entries(IDENTITY_TRAIT_SD) as [Trait, number][]) {
    const scale = shapeScale * (ASYMMETRY_TRAITS.includes(name) ? asymmetry : 1);
    traits[name] = truncatedNormal(rng, sd * scale);
  }
  const age = truncatedNormal(rng, 1);
  traits.age = age;

  const appearance = Float32Array.from(APPEARANCE_FEATURES, (name) => {
    return appearanceScale * (APPEARANCE_AGE_LOADING[name] * age + truncatedNormal(rng, APPEARANCE_IDENTITY_SD[name]));
  });
  return { shape: identityShape(traits as Record<Trait, number>), appearance, traits };
}

/** A normal draw with s.d. `sd`, clipped to ±2.5 s.d. so that no identity is a caricature. */
function truncatedNormal(rng: Rng, sd: number): number {
  const z = rng.normal();
  return sd * Math.max(-2.5, Math.min(2.5, z));
}

/** Build the 136-number shape offset from trait values. */
export function identityShape(t: Readonly<Record<Trait, number>>): Float32Array {
  const d = new Float32Array(IBUG_POINTS * 2);
  const x = (i: number) => NEUTRAL_FACE_68[2 * i];
  const y = (i: number) => NEUTRAL_FACE_68[2 * i + 1];
  const move = (i: number, dx: number, dy: number) => {
    d[2 * i] += dx;
    d[2 * i + 1] += dy;
  };
  const noseTipY = y(30);
  for (const i of REGIONS_68.jaw) {
    move(i, t.faceWidth * x(i), 0);
    // chin region: weight 1 at the chin, fading to 0 at points 3 and 13
    const w = Math.max(0, 1 - Math.abs(i - 8) / 5);
    move(i, t.chinWidth * x(i) * w + t.chinShift * w, 0);
  }
  for (let i = 0; i < IBUG_POINTS; i++) {
    if (y(i) > noseTipY) move(i, 0, t.jawLength * (y(i) - noseTipY));
  }
  const eyes: [readonly number[], readonly number[], number][] = [
    [REGIONS_68.rightEye, REGIONS_68.rightBrow, -1],
    [REGIONS_68.leftEye, REGIONS_68.leftBrow, 1],
  ];
  for (const [eye, brow, side] of eyes) {
    const cx = eye.reduce((s, i) => s + x(i), 0) / eye.length;
    const cy = eye.reduce((s, i) => s + y(i), 0) / eye.length;
    for (const i of eye) {
      move(i, side * t.eyeSpacing + t.eyeSize * (x(i) - cx), t.eyeSize * (y(i) - cy) - side * t.eyeAsymmetry);
    }
    for (const i of brow) move(i, side * 0.5 * t.eyeSpacing, -t.browHeight - side * t.browAsymmetry);
  }
  for (const i of [28, 29, 30]) move(i, 0, (t.noseLength * (y(i) - y(27))) / (noseTipY - y(27)));
  for (const i of REGIONS_68.lowerNose) move(i, t.noseWidth * x(i), t.noseLength);
  for (const i of [...REGIONS_68.outerLips, ...REGIONS_68.innerLips]) {
    move(i, t.mouthWidth * x(i), t.mouthHeight - (t.mouthTilt * x(i)) / 0.3);
  }
  for (const i of [49, 50, 51, 52, 53]) move(i, 0, -t.lipFullness);
  for (const i of [55, 56, 57, 58, 59]) move(i, 0, 1.5 * t.lipFullness);
  return d;
}
