import { Rng } from "../util/random";
import { Appearance, Landmarks } from "./dataset";
import { APPEARANCE_FEATURES, renderFrames, sampleIdentity, to66 } from "./face";

/**
 * The observation step shared by the generators: AU intensities → landmarks and
 * appearance through the face geometry of src/data/face, with one identity per
 * subject and a smooth head pose per sequence.
 */
export interface ObservationConfig {
  /** Landmark noise, pixels (sd). */
  landmarkNoise: number;
  /** Appearance noise (sd, in the features' units). */
  appearanceNoise: number;
  pose: {
    /** Stationary sd of roll, yaw and pitch within a sequence, radians. */
    rollSd: number;
    yawSd: number;
    pitchSd: number;
    /** AR(1) coefficient of the pose walk per frame (0 = independent frames). */
    rho: number;
    /** Pixels per canonical unit (inter-ocular distance), drawn per subject in [min, max]. */
    scale: [number, number];
    /** Image center of the face, pixels (UNBC frames are 320 × 240). */
    center: [number, number];
    /** Stationary sd of the translation walk, pixels. */
    translationSd: number;
  };
}

export const DEFAULT_OBSERVATION: ObservationConfig = {
  landmarkNoise: 1.0,
  appearanceNoise: 0.05,
  pose: { rollSd: 0.08, yawSd: 0.2, pitchSd: 0.1, rho: 0.97, scale: [55, 75], center: [160, 120], translationSd: 8 },
};

export interface ObserveInput {
  aus: readonly string[];
  /** N × aus.length, FACS 0–5. */
  intensities: Float32Array;
  /** Number of subjects (identities to draw). */
  subjects: number;
  /** Subject index per frame. */
  identityOf: Int32Array;
  /** First frame of each sequence, ascending; the pose walk restarts there. */
  sequenceStarts: readonly number[];
  rng: Rng;
  /** 68 (iBUG) or 66 (UNBC's AAM layout). */
  points: 66 | 68;
  config: ObservationConfig;
  /** Optional per-frame pose offsets N × 3 (roll, yaw, pitch), e.g. a class-correlated nuisance. */
  poseOffset?: Float32Array;
}

export function observeFrames(input: ObserveInput): { landmarks: Landmarks; appearance: Appearance; poses: Float32Array } {
  const { config, rng } = input;
  const N = input.identityOf.length;
  const idRng = rng.fork("identities");
  const identities = Array.from({ length: input.subjects }, () => sampleIdentity(idRng));
  const scaleOf = Array.from({ length: input.subjects }, () => idRng.uniform(config.pose.scale[0], config.pose.scale[1]));

  const poses = new Float32Array(N * 6);
  const pr = rng.fork("poses");
  const { rho } = config.pose;
  const innov = Math.sqrt(1 - rho * rho);
  const starts = new Set(input.sequenceStarts);
  let roll = 0, yaw = 0, pitch = 0, dx = 0, dy = 0;
  for (let i = 0; i < N; i++) {
    if (starts.has(i) || i === 0) {
      roll = pr.normal(0, config.pose.rollSd);
      yaw = pr.normal(0, config.pose.yawSd);
      pitch = pr.normal(0, config.pose.pitchSd);
      dx = pr.normal(0, config.pose.translationSd);
      dy = pr.normal(0, config.pose.translationSd);
    } else {
      roll = rho * roll + innov * pr.normal(0, config.pose.rollSd);
      yaw = rho * yaw + innov * pr.normal(0, config.pose.yawSd);
      pitch = rho * pitch + innov * pr.normal(0, config.pose.pitchSd);
      dx = rho * dx + innov * pr.normal(0, config.pose.translationSd);
      dy = rho * dy + innov * pr.normal(0, config.pose.translationSd);
    }
    const off = input.poseOffset;
    poses[i * 6] = roll + (off ? off[i * 3] : 0);
    poses[i * 6 + 1] = yaw + (off ? off[i * 3 + 1] : 0);
    poses[i * 6 + 2] = pitch + (off ? off[i * 3 + 2] : 0);
    poses[i * 6 + 3] = scaleOf[input.identityOf[i]];
    poses[i * 6 + 4] = config.pose.center[0] + dx;
    poses[i * 6 + 5] = config.pose.center[1] + dy;
  }

  const out = renderFrames({
    aus: input.aus,
    intensities: input.intensities,
    identities,
    identityOf: input.identityOf,
    poses,
    rng: rng.fork("render"),
    landmarkNoise: config.landmarkNoise,
    appearanceNoise: config.appearanceNoise,
  });
  const landmarks: Landmarks =
    input.points === 68 ? { points: 68, data: out.landmarks } : { points: 66, data: to66(out.landmarks) };
  return { landmarks, appearance: { names: [...APPEARANCE_FEATURES], data: out.appearance }, poses };
}
