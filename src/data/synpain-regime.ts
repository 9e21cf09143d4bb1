/**
 * The regime knobs of SynPain (spec §11.1; semantics in SynPainRegime's doc,
 * synpain-config.ts): visibility of the PSPI AUs in x, shortcut cues, AU
 * annotation noise. Each helper is the identity (returns its input, draws
 * nothing) when its knob is at the clean value, so the clean regime is the
 * generator as it was.
 */
import { auMax } from "../au/registry";
import type { Rng } from "../util/random";
import type { Appearance } from "./dataset";
import type { SynPainConfig } from "./synpain-config";

/** The AUs in PSPI: the label's causes, the ones `auVisibility` dims in x. */
export const PSPI_AUS: readonly string[] = ["AU04", "AU06", "AU07", "AU09", "AU10", "AU43"];

/** The non-PSPI AUs that co-occur with pain: the AU shortcuts `shortcutStrength` strengthens. */
export const SHORTCUT_AUS = ["AU12", "AU20", "AU25", "AU26", "AU27"] as const;

/** The tension cue: name of its appearance column, pain level at which it saturates, AR(1) noise sd and coefficient. */
export const TENSION_FEATURE = "tension";
export const TENSION_SATURATION = 0.3;
export const TENSION_NOISE_SD = 0.3;
export const TENSION_NOISE_RHO = 0.9;

/** painResponse with the shortcut AUs' weight × (1 + 1.5·s) and onset × (1 − s); the same object at s = 0. */
export function shortcutResponse(response: SynPainConfig["painResponse"], s: number): SynPainConfig["painResponse"] {
  if (s === 0) return response;
  const out = { ...response };
  for (const code of SHORTCUT_AUS) {
    const { weight, onset } = response[code];
    out[code] = { weight: weight * (1 + 1.5 * s), onset: onset * (1 - s) };
  }
  return out;
}

/** The intensities the face shows: PSPI AUs × v, the rest as they are; the same array at v = 1. */
export function visibleIntensities(aus: readonly string[], intensities: Float32Array, v: number): Float32Array {
  if (v === 1) return intensities;
  const K = aus.length;
  const dim = aus.map((a) => PSPI_AUS.includes(a));
  const out = Float32Array.from(intensities);
  for (let j = 0; j < out.length; j++) if (dim[j % K]) out[j] *= v;
  return out;
}

/**
 * The tension cue per frame: s · min(1, π / TENSION_SATURATION) + AR(1) noise
 * (stationary sd TENSION_NOISE_SD, a fresh stationary draw at each sequence start).
 */
export function tensionCue(painLatent: Float32Array, sequenceStarts: readonly number[], s: number, rng: Rng): Float32Array {
  const N = painLatent.length;
  const out = new Float32Array(N);
  const starts = new Set(sequenceStarts);
  const innov = TENSION_NOISE_SD * Math.sqrt(1 - TENSION_NOISE_RHO * TENSION_NOISE_RHO);
  let e = 0;
  for (let i = 0; i < N; i++) {
    e = starts.has(i) || i === 0 ? rng.normal(0, TENSION_NOISE_SD) : TENSION_NOISE_RHO * e + rng.normal(0, innov);
    out[i] = s * Math.min(1, painLatent[i] / TENSION_SATURATION) + e;
  }
  return out;
}

/** `appearance` with one more column `name` (values: one per frame) at the end. */
export function withAppearanceColumn(appearance: Appearance, name: string, values: Float32Array): Appearance {
  const F = appearance.names.length;
  const N = values.length;
  const data = new Float32Array(N * (F + 1));
  for (let i = 0; i < N; i++) {
    data.set(appearance.data.subarray(i * F, (i + 1) * F), i * (F + 1));
    data[i * (F + 1) + F] = values[i];
  }
  return { names: [...appearance.names, name], data };
}

/**
 * Noisy AU annotations of the true intensities: 0–5 AUs clamp(round(true +
 * N(0, (2η)²)), 0, 5), binary AUs (max 1, e.g. AU43) flipped with probability
 * η/2. The same array at η = 0.
 */
export function annotate(aus: readonly string[], truth: Float32Array, eta: number, rng: Rng): Float32Array {
  if (eta === 0) return truth;
  const K = aus.length;
  const binary = aus.map((a) => auMax(a) === 1);
  const sd = 2 * eta;
  const out = new Float32Array(truth.length);
  for (let j = 0; j < truth.length; j++) {
    const t = truth[j];
    if (binary[j % K]) out[j] = rng.bernoulli(eta / 2) ? 1 - t : t;
    else out[j] = Math.min(5, Math.max(0, Math.round(t + rng.normal(0, sd))));
  }
  return out;
}
