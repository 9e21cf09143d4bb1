import { describe, expect, it } from "vitest";
import { UNBC_AUS, auMax } from "../../../src/au/registry";
import {
  APPEARANCE_FEATURES,
  APPEARANCE_LOADINGS,
  canonicalShape,
  expectedAppearance,
  neutralIdentity,
  poseToArray,
  renderFrames,
  sampleIdentity,
  samplePose,
  samplePoses,
  type Identity,
  type RenderInput,
} from "../../../src/data/face";
import { Rng } from "../../../src/util/random";
import { NEUTRAL, meanNorm, pt } from "./helpers";

function input(seed: number, n = 40, aus: readonly string[] = UNBC_AUS): RenderInput {
  const rng = new Rng(seed);
  const K = aus.length;
  const intensities = new Float32Array(n * K);
  for (let i = 0; i < n * K; i++) if (rng.bernoulli(0.3)) intensities[i] = auMax(aus[i % K]) === 1 ? 1 : rng.uniform(0, 5);
  const identities = [sampleIdentity(rng), sampleIdentity(rng), sampleIdentity(rng)];
  return {
    aus,
    intensities,
    identities,
    identityOf: Int32Array.from({ length: n }, (_, i) => i % 3),
    poses: samplePoses(rng, n),
    rng: rng.fork("noise"),
  };
}

/** One frame, frontal, 1 pixel per unit at the origin, no noise: landmarks = canonical shape. */
function single(ints: Record<string, number>, identity: Identity = neutralIdentity()) {
  const aus = Object.keys(ints);
  return renderFrames({
    aus,
    intensities: Float32Array.from(aus, (a) => ints[a]),
    identities: [identity],
    identityOf: Int32Array.of(0),
    poses: Float32Array.of(0, 0, 0, 1, 0, 0),
    rng: new Rng(0),
    landmarkNoise: 0,
    appearanceNoise: 0,
  });
}

const feature = (a: Float32Array, name: string) => a[(APPEARANCE_FEATURES as readonly string[]).indexOf(name)];

describe("renderFrames", () => {
  it("returns N × 68 × 2 landmarks and N × F appearance, finite", () => {
    const out = renderFrames(input(1));
    expect(out.landmarks).toHaveLength(40 * 136);
    expect(out.appearance).toHaveLength(40 * APPEARANCE_FEATURES.length);
    expect(out.landmarks.every(Number.isFinite)).toBe(true);
    expect(out.appearance.every((v) => v >= 0)).toBe(true);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = renderFrames(input(2));
    const b = renderFrames(input(2));
    const c = renderFrames({ ...input(2), rng: new Rng("other") });
    expect(Array.from(a.landmarks)).toEqual(Array.from(b.landmarks));
    expect(Array.from(a.appearance)).toEqual(Array.from(b.appearance));
    expect(Array.from(a.landmarks)).not.toEqual(Array.from(c.landmarks));
  });

  it("throws on an unknown AU, naming it, and on inconsistent sizes", () => {
    const base = input(3, 4, ["AU04", "AU06"]);
    expect(() => renderFrames({ ...base, aus: ["AU04", "AU99"] })).toThrow(/AU99/);
    expect(() => renderFrames({ ...base, aus: ["AU04", "AU04"] })).toThrow(/twice/);
    expect(() => renderFrames({ ...base, intensities: new Float32Array(7) })).toThrow(/intensities/);
    expect(() => renderFrames({ ...base, poses: new Float32Array(6) })).toThrow(/poses/);
    expect(() => renderFrames({ ...base, identityOf: Int32Array.of(0, 1, 2, 3) })).toThrow(/identityOf\[3\]/);
    const nan = base.intensities.slice();
    nan[3] = NaN;
    expect(() => renderFrames({ ...base, intensities: nan })).toThrow(/AU06 in frame 1/);
    expect(() => renderFrames({ ...base, landmarkNoise: -1 })).toThrow(/landmarkNoise/);
    const badPose = base.poses.slice();
    badPose[6 + 3] = 0;
    expect(() => renderFrames({ ...base, poses: badPose })).toThrow(/scale of frame 1/);
  });

  it("without pose and noise, gives the canonical shape (neutral + identity + AUs)", () => {
    const id = sampleIdentity(new Rng(5));
    const out = single({ AU12: 3, AU26: 2 }, id);
    const expected = canonicalShape({ AU12: 3, AU26: 2 }, id);
    for (let j = 0; j < 136; j++) expect(out.landmarks[j]).toBeCloseTo(expected[j], 5);
    const neutral = single({ AU04: 0 });
    for (let j = 0; j < 136; j++) expect(neutral.landmarks[j]).toBeCloseTo(NEUTRAL[j], 6);
  });

  it("applies head pose: scale and translation, roll, yaw turns the nose tip", () => {
    const shape = canonicalShape({});
    const posed = (pose: number[]) =>
      renderFrames({
        aus: [],
        intensities: new Float32Array(0),
        identities: [neutralIdentity()],
        identityOf: Int32Array.of(0),
        poses: Float32Array.from(pose),
        rng: new Rng(0),
        landmarkNoise: 0,
        appearanceNoise: 0,
      }).landmarks;
    const a = posed([0, 0, 0, 80, 160, 110]);
    for (const i of [0, 8, 36, 45, 57]) {
      expect(pt(a, i)[0]).toBeCloseTo(160 + 80 * pt(shape, i)[0], 3);
      expect(pt(a, i)[1]).toBeCloseTo(110 + 80 * pt(shape, i)[1], 3);
    }
    const r = posed([Math.PI / 2, 0, 0, 1, 0, 0]); // clockwise quarter turn on screen: (x, y) → (−y, x)
    expect(pt(r, 8)[0]).toBeCloseTo(-pt(shape, 8)[1], 5);
    expect(pt(r, 8)[1]).toBeCloseTo(pt(shape, 8)[0], 5);
    const yawed = posed([0, 0.3, 0, 1, 0, 0]);
    expect(pt(yawed, 30)[0] - pt(yawed, 8)[0]).toBeGreaterThan(0.05); // the nose stands out more than the chin
    const pitched = posed([0, 0, 0.3, 1, 0, 0]);
    expect(pt(pitched, 30)[1] - pt(pitched, 27)[1]).toBeGreaterThan(pt(shape, 30)[1] - pt(shape, 27)[1] - 0.05);
  });

  it("adds landmark noise of about the requested size in pixels", () => {
    const inp = input(6, 300);
    const clean = renderFrames({ ...inp, rng: new Rng(1), landmarkNoise: 0 }).landmarks;
    const noisy = renderFrames({ ...inp, rng: new Rng(1), landmarkNoise: 2 }).landmarks;
    let ss = 0;
    for (let j = 0; j < clean.length; j++) ss += (noisy[j] - clean[j]) ** 2;
    expect(Math.sqrt(ss / clean.length)).toBeCloseTo(2, 1);
  });
});

describe("identities", () => {
  it("vary the face, less than a full jaw drop does, and stay plausible", () => {
    const rng = new Rng("ids");
    const jaw = meanNorm(NEUTRAL, canonicalShape({ AU26: 5 }));
    let sum = 0;
    for (let t = 0; t < 100; t++) {
      const id = sampleIdentity(rng);
      const n = meanNorm(new Float32Array(136), id.shape);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(jaw);
      sum += n;
      const face = canonicalShape({}, id);
      expect(pt(face, 8)[1]).toBeGreaterThan(1.1); // chin still below the mouth, face not inverted
      expect(pt(face, 45)[0] - pt(face, 36)[0]).toBeGreaterThan(0.9);
      expect(pt(face, 45)[0] - pt(face, 36)[0]).toBeLessThan(1.1);
    }
    expect(sum / 100).toBeGreaterThan(0.005);
    expect(sum / 100).toBeLessThan(jaw / 1.5);
    expect(Array.from(sampleIdentity(new Rng(1)).shape)).toEqual(Array.from(sampleIdentity(new Rng(1)).shape));
    expect(sampleIdentity(new Rng(1), { shapeScale: 0 }).shape.every((v) => v === 0)).toBe(true);
    expect(() => sampleIdentity(rng, { shapScale: 1 } as never)).toThrow(/shapScale/);
  });

  it("give different people different resting appearance", () => {
    const rng = new Rng("app");
    const offsets = Array.from({ length: 50 }, () => sampleIdentity(rng).appearance);
    const nasolabial = offsets.map((o) => feature(o, "nasolabial_furrow"));
    expect(Math.max(...nasolabial) - Math.min(...nasolabial)).toBeGreaterThan(0.1);
  });
});

describe("appearance features", () => {
  it("respond to their AUs with the documented sign", () => {
    for (const name of APPEARANCE_FEATURES) {
      for (const [au, loading] of Object.entries(APPEARANCE_LOADINGS[name])) {
        const lo = feature(single({ [au]: 0 }).appearance, name);
        const hi = feature(single({ [au]: auMax(au) }).appearance, name);
        expect(Math.sign(hi - lo), `${name} × ${au}`).toBe(Math.sign(loading));
      }
    }
  });

  it("encode the key facts: AU4 furrows the glabella, eye aperture ↑AU5 ↓AU7 ↓↓AU43, mouth interior AU25 < AU26 < AU27", () => {
    const at = (ints: Record<string, number>, name: string) => feature(expectedAppearance(ints), name);
    expect(at({ AU04: 5 }, "glabella_furrows")).toBeGreaterThan(at({}, "glabella_furrows") + 0.5);
    expect(at({ AU09: 5 }, "nasal_root_wrinkles")).toBeGreaterThan(at({}, "nasal_root_wrinkles") + 0.5);
    expect(at({ AU06: 5 }, "crows_feet")).toBeGreaterThan(at({ AU12: 5 }, "crows_feet"));
    expect(at({ AU05: 5 }, "eye_aperture")).toBeGreaterThan(at({}, "eye_aperture"));
    expect(at({ AU07: 5 }, "eye_aperture")).toBeLessThan(at({}, "eye_aperture"));
    expect(at({ AU43: 1 }, "eye_aperture")).toBeLessThan(at({ AU07: 5 }, "eye_aperture"));
    expect(at({ AU45: 1 }, "eye_aperture")).toBeLessThan(at({ AU06: 5 }, "eye_aperture"));
    expect(at({ AU25: 5 }, "mouth_interior")).toBeLessThan(at({ AU26: 5 }, "mouth_interior"));
    expect(at({ AU26: 5 }, "mouth_interior")).toBeLessThan(at({ AU27: 5 }, "mouth_interior"));
    for (const au of ["AU09", "AU10", "AU12"]) expect(at({ [au]: 5 }, "nasolabial_furrow")).toBeGreaterThan(at({}, "nasolabial_furrow"));
    expect(at({ AU01: 5 }, "forehead_wrinkles")).toBeGreaterThan(at({}, "forehead_wrinkles"));
    expect(at({ AU17: 5 }, "chin_boss")).toBeGreaterThan(at({}, "chin_boss"));
    // rendered, with noise, the average over frames still shows the effect
    const n = 400;
    const rng = new Rng("noisy");
    const out = renderFrames({
      aus: ["AU04"],
      intensities: Float32Array.from({ length: n }, (_, i) => (i % 2) * 5),
      identities: [sampleIdentity(rng)],
      identityOf: new Int32Array(n),
      poses: samplePoses(rng, n),
      rng,
    });
    const F = APPEARANCE_FEATURES.length;
    let on = 0;
    let off = 0;
    for (let i = 0; i < n; i++) (i % 2 ? (v: number) => (on += v) : (v: number) => (off += v))(out.appearance[i * F]);
    expect((on - off) / (n / 2)).toBeGreaterThan(0.7);
  });
});

describe("poses", () => {
  it("samples within the options' ranges, deterministically", () => {
    const rng = new Rng("pose");
    for (let t = 0; t < 200; t++) {
      const p = samplePose(rng, { yaw: [0.2, 0.1], scale: [50, 60], center: [100, 80], centerJitter: 5 });
      expect(Math.abs(p.yaw - 0.2)).toBeLessThanOrEqual(0.3 + 1e-9);
      expect(p.scale).toBeGreaterThanOrEqual(50);
      expect(p.scale).toBeLessThanOrEqual(60);
      expect(Math.abs(p.tx - 100)).toBeLessThanOrEqual(5);
      expect(Math.abs(p.ty - 80)).toBeLessThanOrEqual(5);
    }
    expect(Array.from(samplePoses(new Rng(3), 5))).toEqual(Array.from(samplePoses(new Rng(3), 5)));
    const p = samplePose(new Rng(4));
    expect(Array.from(poseToArray(p))).toEqual(Array.from(Float32Array.of(p.roll, p.yaw, p.pitch, p.scale, p.tx, p.ty)));
    expect(() => samplePose(rng, { scale: [10, 5] })).toThrow(/scale/);
    expect(() => samplePose(rng, { jaw: 1 } as never)).toThrow(/jaw/);
  });
});
