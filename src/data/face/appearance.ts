/**
 * The appearance vector: a few regional texture energies, the part of a face that
 * landmarks miss (furrows, wrinkles, how much eye or mouth interior shows). Each
 * feature is, in arbitrary energy units (≈ 0 for a smooth region, ≈ 1 for the
 * strongest expression-driven change):
 *
 *   value = baseline + identity offset + Σ_k loading[feature][k] · intensity_k / max_k + noise,
 *
 * clipped at 0 (an energy cannot be negative). Loadings are at full intensity (5,
 * or 1 for AU43/AU45) and come from where FACS says each AU changes the skin's
 * appearance.
 */

import { auMax } from "../../au/registry";

/** The appearance features, in the column order of `appearance` arrays. */
export const APPEARANCE_FEATURES = [
  "glabella_furrows",
  "nasal_root_wrinkles",
  "crows_feet",
  "eye_aperture",
  "nasolabial_furrow",
  "mouth_interior",
  "forehead_wrinkles",
  "chin_boss",
  "dimples",
] as const;

export type AppearanceFeature = (typeof APPEARANCE_FEATURES)[number];

/** Value of each feature on a neutral face of an average identity. */
export const APPEARANCE_BASELINE: Readonly<Record<AppearanceFeature, number>> = Object.freeze({
  glabella_furrows: 0.1,
  nasal_root_wrinkles: 0.1,
  crows_feet: 0.1,
  eye_aperture: 1, // the open eye's visible sclera + iris, relative to a neutral eye
  nasolabial_furrow: 0.3, // everyone has some nasolabial fold at rest
  mouth_interior: 0, // closed lips: no teeth, no dark interior
  forehead_wrinkles: 0.15,
  chin_boss: 0.1,
  dimples: 0.05,
});

/** Loadings (feature × AU) at full intensity; AUs not listed load 0. */
export const APPEARANCE_LOADINGS: Readonly<Record<AppearanceFeature, Readonly<Record<string, number>>>> = Object.freeze({
  // vertical furrows between the brows when they are pulled down and together (AU4);
  // nose wrinkling bunches the same skin a little (AU9)
  glabella_furrows: { AU04: 1, AU09: 0.25 },
  // horizontal wrinkles across the root and sides of the nose (AU9); AU10 and AU4
  // push a few up there too
  nasal_root_wrinkles: { AU09: 1, AU10: 0.2, AU04: 0.15 },
  // crow's feet at the outer eye corners from orbicularis oculi (AU6); a strong
  // smile raises the cheeks too (AU12); lid tightening a little (AU7)
  crows_feet: { AU06: 1, AU12: 0.25, AU07: 0.15 },
  // how much eye shows: up with the upper lid raised (AU5), down with tightened lids
  // (AU7), down to almost nothing when the eyes are closed (AU43) or in a blink
  // (AU45), a little down when the cheeks push the lower lid (AU6)
  eye_aperture: { AU05: 0.4, AU07: -0.35, AU43: -0.9, AU45: -0.9, AU06: -0.15, AU09: -0.1 },
  // the furrow from the nose wings to the mouth corners deepens when the upper lip is
  // raised (AU10), the nose wrinkled (AU9), the corners pulled up (AU12) and the
  // cheeks raised (AU6)
  nasolabial_furrow: { AU10: 0.8, AU12: 0.6, AU09: 0.5, AU06: 0.3 },
  // teeth and dark mouth interior: a little with parted lips (AU25), more with the
  // jaw dropped (AU26), most with the mouth stretched open (AU27); AU10 bares the
  // upper teeth a little
  mouth_interior: { AU25: 0.3, AU26: 0.6, AU27: 1, AU10: 0.1 },
  // horizontal forehead wrinkles when the brows are raised: center (AU1), sides (AU2)
  forehead_wrinkles: { AU01: 0.6, AU02: 0.5 },
  // wrinkled, "orange-peel" chin boss when the chin is pushed up (AU17); the lip
  // corner depressor stretches the chin skin a little (AU15)
  chin_boss: { AU17: 1, AU15: 0.1 },
  // dimples / creases just lateral to the lip corners when the buccinator pulls the
  // corners in (AU14); a broad smile creases the same place a little (AU12)
  dimples: { AU14: 1, AU12: 0.15 },
});

/**
 * Identity offsets' spread per feature (s.d., energy units): people differ at
 * rest (some have deep nasolabial folds or forehead lines, wider eyes). A shared
 * "age" factor adds to the wrinkle features together (see `sampleIdentity`).
 */
export const APPEARANCE_IDENTITY_SD: Readonly<Record<AppearanceFeature, number>> = Object.freeze({
  glabella_furrows: 0.05,
  nasal_root_wrinkles: 0.04,
  crows_feet: 0.05,
  eye_aperture: 0.08,
  nasolabial_furrow: 0.07,
  mouth_interior: 0.02,
  forehead_wrinkles: 0.07,
  chin_boss: 0.04,
  dimples: 0.03,
});

/** How much one s.d. of the identity's age factor adds to each feature. */
export const APPEARANCE_AGE_LOADING: Readonly<Record<AppearanceFeature, number>> = Object.freeze({
  glabella_furrows: 0.03,
  nasal_root_wrinkles: 0.01,
  crows_feet: 0.05,
  eye_aperture: -0.03,
  nasolabial_furrow: 0.07,
  mouth_interior: 0,
  forehead_wrinkles: 0.07,
  chin_boss: 0.01,
  dimples: 0,
});

/** Default s.d. of per-frame appearance noise (energy units). */
export const DEFAULT_APPEARANCE_NOISE = 0.08;

/** Loadings for the AUs `aus` as a flat F × K matrix (row = feature, in APPEARANCE_FEATURES order). */
export function appearanceLoadingMatrix(aus: readonly string[]): Float32Array {
  const F = APPEARANCE_FEATURES.length;
  const m = new Float32Array(F * aus.length);
  APPEARANCE_FEATURES.forEach((feature, r) => {
    const row = APPEARANCE_LOADINGS[feature];
    aus.forEach((au, k) => {
      m[r * aus.length + k] = row[au] ?? 0;
    });
  });
  return m;
}

/** The baselines as an array in APPEARANCE_FEATURES order. */
export function appearanceBaseline(): Float32Array {
  return Float32Array.from(APPEARANCE_FEATURES, (name) => APPEARANCE_BASELINE[name]);
}

/**
 * Noise-free appearance of one face: `intensities` by AU code on the FACS scale
 * (0–5; AU43/AU45 0 or 1), `identityOffsets` one per feature (default none).
 * Returns one value per feature, clipped at 0.
 */
export function expectedAppearance(
  intensities: Readonly<Record<string, number>>,
  identityOffsets?: ArrayLike<number>,
): Float32Array {
  const out = appearanceBaseline();
  APPEARANCE_FEATURES.forEach((feature, r) => {
    let v = out[r] + (identityOffsets ? identityOffsets[r] : 0);
    for (const [au, loading] of Object.entries(APPEARANCE_LOADINGS[feature])) {
      const x = intensities[au];
      if (x) v += (loading * x) / auMax(au);
    }
    out[r] = Math.max(0, v);
  });
  return out;
}
