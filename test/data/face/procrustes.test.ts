import { describe, expect, it } from "vitest";
import { canonicalShape, neutralIdentity, normalizeLandmarks, procrustesNormalize, renderFrames, sampleIdentity, to66 } from "../../../src/data/face";
import { Rng } from "../../../src/util/random";
import { NEUTRAL } from "./helpers";

/** s·R(θ)·p + t, or with a reflection x → −x first. */
function similarity(p: Float32Array, s: number, theta: number, tx: number, ty: number, reflect = false): Float32Array {
  const out = new Float32Array(p.length);
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  for (let i = 0; i < p.length; i += 2) {
    const x = reflect ? -p[i] : p[i];
    const y = p[i + 1];
    out[i] = tx + s * (c * x - sn * y);
    out[i + 1] = ty + s * (sn * x + c * y);
  }
  return out;
}

/** Signed area of the triangle (a, b, c): its sign is the shape's orientation. */
function orientation(p: ArrayLike<number>, a: number, b: number, c: number): number {
  const [ax, ay, bx, by, cx, cy] = [p[2 * a], p[2 * a + 1], p[2 * b], p[2 * b + 1], p[2 * c], p[2 * c + 1]];
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

describe("Procrustes alignment", () => {
  it("removes a random similarity transform exactly", () => {
    const rng = new Rng("procrustes");
    const shape = canonicalShape({ AU12: 4, AU26: 3 }, sampleIdentity(rng));
    for (let t = 0; t < 50; t++) {
      const s = rng.uniform(20, 200);
      const theta = rng.uniform(-Math.PI, Math.PI);
      const moved = similarity(NEUTRAL, s, theta, rng.uniform(-500, 500), rng.uniform(-500, 500));
      const back = procrustesNormalize(moved, NEUTRAL);
      for (let j = 0; j < 136; j++) expect(Math.abs(back[j] - NEUTRAL[j])).toBeLessThan(1e-4);
      // a non-reference shape comes back to the same place whatever the transform
      const a = procrustesNormalize(similarity(shape, s, theta, 3, -7), NEUTRAL);
      const b = procrustesNormalize(shape, NEUTRAL);
      for (let j = 0; j < 136; j++) expect(Math.abs(a[j] - b[j])).toBeLessThan(1e-4);
    }
  });

  it("never reflects", () => {
    const mirrored = similarity(NEUTRAL, 50, 0.3, 10, 10, true);
    const aligned = procrustesNormalize(mirrored, NEUTRAL);
    // the reference runs 36 → 45 → 8 one way round; a mirrored face keeps the other way
    const ref = orientation(NEUTRAL, 36, 45, 8);
    expect(Math.sign(orientation(aligned, 36, 45, 8))).toBe(-Math.sign(ref));
    expect(Math.sign(orientation(mirrored, 36, 45, 8))).toBe(-Math.sign(ref));
  });

  it("rejects mismatched sizes and returns NaN for degenerate frames", () => {
    expect(() => procrustesNormalize(new Float32Array(10), NEUTRAL)).toThrow(/P × 2/);
    expect(procrustesNormalize(new Float32Array(136).fill(3), NEUTRAL).every(Number.isNaN)).toBe(true);
  });

  it("normalizes rendered frames (66 and 68 points) to the neutral frame, undoing roll, scale and position", () => {
    const shape = canonicalShape({ AU04: 3, AU25: 2 });
    const n = 5;
    const rng = new Rng(11);
    const poses = new Float32Array(n * 6);
    for (let i = 0; i < n; i++) poses.set([rng.uniform(-0.5, 0.5), 0, 0, rng.uniform(40, 120), rng.uniform(0, 300), rng.uniform(0, 300)], i * 6);
    const frames = renderFrames({
      aus: ["AU04", "AU25"],
      intensities: Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 2 : 3)),
      identities: [neutralIdentity()],
      identityOf: new Int32Array(n),
      poses,
      rng,
      landmarkNoise: 0,
    }).landmarks;
    const n68 = normalizeLandmarks(frames, 68);
    const expected68 = procrustesNormalize(shape, NEUTRAL);
    const n66 = normalizeLandmarks(to66(frames), 66);
    const expected66 = procrustesNormalize(to66(shape), to66(NEUTRAL));
    expect(n68).toHaveLength(n * 136);
    expect(n66).toHaveLength(n * 132);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 136; j++) expect(Math.abs(n68[i * 136 + j] - expected68[j])).toBeLessThan(1e-4);
      for (let j = 0; j < 132; j++) expect(Math.abs(n66[i * 132 + j] - expected66[j])).toBeLessThan(1e-4);
    }
    // the expression survives: brows lowered relative to the neutral face
    expect(n68[2 * 21 + 1]).toBeGreaterThan(NEUTRAL[2 * 21 + 1]);
    expect(() => normalizeLandmarks(new Float32Array(100), 68)).toThrow(/multiple/);
    expect(() => normalizeLandmarks(new Float32Array(136), 67 as never)).toThrow(/66 or 68/);
  });
});
