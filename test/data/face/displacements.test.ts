import { describe, expect, it } from "vitest";
import { OPENFACE_AUS, UNBC_AUS, auMax } from "../../../src/au/registry";
import { DISPLACEMENT_AUS, EYELID_PAIRS, INNER_LIP_PAIRS, MIRROR_68, canonicalShape, displacementField } from "../../../src/data/face";
import { Rng } from "../../../src/util/random";
import { NEUTRAL, delta, meanNorm, pt } from "./helpers";

/** The face with one AU at full intensity. */
const full = (au: string) => canonicalShape({ [au]: auMax(au) });
const move = (au: string, i: number) => delta(NEUTRAL, full(au), i);
const dist = (s: ArrayLike<number>, i: number, j: number) => Math.hypot(s[2 * i] - s[2 * j], s[2 * i + 1] - s[2 * j + 1]);
const mouthWidth = (s: ArrayLike<number>) => dist(s, 48, 54);
const eyeHeight = (s: ArrayLike<number>) => s[2 * 41 + 1] - s[2 * 37 + 1] + s[2 * 40 + 1] - s[2 * 38 + 1];

describe("AU displacement fields", () => {
  it("exist, non-zero and left-right symmetric, for every UNBC and OpenFace AU", () => {
    const needed = [...new Set([...UNBC_AUS, ...OPENFACE_AUS])];
    expect(DISPLACEMENT_AUS).toEqual([...needed].sort());
    for (const au of needed) {
      const f = displacementField(au);
      expect(f).toHaveLength(136);
      expect(f.some((v) => v !== 0)).toBe(true);
      for (let i = 0; i < 68; i++) {
        const j = MIRROR_68[i];
        expect(f[2 * i] + f[2 * j], `${au} point ${i} x`).toBeCloseTo(0, 6);
        expect(f[2 * i + 1] - f[2 * j + 1], `${au} point ${i} y`).toBeCloseTo(0, 6);
      }
    }
  });

  it("rejects unknown AUs by name", () => {
    expect(() => displacementField("AU99")).toThrow(/AU99/);
    expect(() => displacementField("AU11")).toThrow(/AU11.*no displacement field/);
    expect(() => displacementField("AU4")).toThrow(/"AU4".*AU04/);
    expect(() => canonicalShape({ AU98: 1 })).toThrow(/AU98/);
  });

  it("AU1 raises the inner brows, AU2 the outer brows", () => {
    for (const [inner, outer] of [
      [21, 17],
      [22, 26],
    ]) {
      expect(move("AU01", inner)[1]).toBeLessThan(-0.05);
      expect(move("AU01", inner)[1]).toBeLessThan(move("AU01", outer)[1] - 0.05);
      expect(move("AU02", outer)[1]).toBeLessThan(-0.05);
      expect(move("AU02", outer)[1]).toBeLessThan(move("AU02", inner)[1] - 0.05);
    }
  });

  it("AU4 lowers the brows and pulls them together", () => {
    expect(move("AU04", 21)[1]).toBeGreaterThan(0.03);
    expect(move("AU04", 22)[1]).toBeGreaterThan(0.03);
    expect(dist(full("AU04"), 21, 22)).toBeLessThan(dist(NEUTRAL, 21, 22) - 0.05);
  });

  it("AU5 opens the eye by raising the upper lid; AU6 and AU7 narrow it from below", () => {
    for (const i of [37, 38, 43, 44]) expect(move("AU05", i)[1]).toBeLessThan(-0.02);
    expect(eyeHeight(full("AU05"))).toBeGreaterThan(eyeHeight(NEUTRAL));
    for (const au of ["AU06", "AU07"]) {
      for (const i of [40, 41, 46, 47]) expect(move(au, i)[1], `${au} lower lid ${i}`).toBeLessThan(-0.01);
      expect(eyeHeight(full(au))).toBeLessThan(eyeHeight(NEUTRAL) - 0.03);
    }
  });

  it("AU43 and AU45 close the eyes: the upper lid meets the lower lid", () => {
    for (const au of ["AU43", "AU45"]) {
      const s = full(au);
      for (const [upper, lower] of EYELID_PAIRS) expect(s[2 * upper + 1]).toBeCloseTo(s[2 * lower + 1], 6);
    }
    expect(Array.from(full("AU43"))).toEqual(Array.from(full("AU45")));
    // half a blink leaves the eye half open
    const half = canonicalShape({ AU45: 0.5 });
    expect(eyeHeight(half)).toBeGreaterThan(0.05);
  });

  it("AU9 wrinkles the nose: wings and upper lip up, inner brow ends down", () => {
    for (const i of [31, 35, 51]) expect(move("AU09", i)[1]).toBeLessThan(-0.02);
    for (const i of [21, 22]) expect(move("AU09", i)[1]).toBeGreaterThan(0.01);
  });

  it("AU10 raises the upper lip more than AU9 does", () => {
    for (const i of [50, 51, 52, 62]) expect(move("AU10", i)[1]).toBeLessThan(-0.04);
    expect(move("AU10", 51)[1]).toBeLessThan(move("AU09", 51)[1]);
  });

  it("AU12 pulls the mouth corners up and out; AU15 pulls them down; AU20 stretches them sideways", () => {
    expect(move("AU12", 48)[0]).toBeLessThan(-0.03);
    expect(move("AU12", 54)[0]).toBeGreaterThan(0.03);
    for (const i of [48, 54]) {
      expect(move("AU12", i)[1]).toBeLessThan(-0.04);
      expect(move("AU15", i)[1]).toBeGreaterThan(0.04);
      const [dx, dy] = move("AU20", i);
      expect(Math.abs(dx)).toBeGreaterThan(4 * Math.abs(dy));
    }
    expect(mouthWidth(full("AU20"))).toBeGreaterThan(mouthWidth(NEUTRAL) + 0.1);
  });

  it("AU14 pulls the corners in; AU23 narrows the lips' red parts", () => {
    expect(mouthWidth(full("AU14"))).toBeLessThan(mouthWidth(NEUTRAL) - 0.05);
    const redHeight = (s: ArrayLike<number>) => s[2 * 62 + 1] - s[2 * 51 + 1] + (s[2 * 57 + 1] - s[2 * 66 + 1]);
    expect(redHeight(full("AU23"))).toBeLessThan(redHeight(NEUTRAL) - 0.04);
  });

  it("AU17 pushes the chin and lower lip up", () => {
    for (const i of [8, 57, 66]) expect(move("AU17", i)[1]).toBeLessThan(-0.02);
  });

  it("AU25 parts the lips a little, AU26 drops the jaw, AU27 drops it further", () => {
    const gap = (s: ArrayLike<number>) => s[2 * 66 + 1] - s[2 * 62 + 1];
    expect(gap(full("AU25"))).toBeGreaterThan(gap(NEUTRAL) + 0.05);
    expect(Math.abs(move("AU25", 8)[1])).toBeLessThan(0.02);
    expect(move("AU26", 8)[1]).toBeGreaterThan(0.2);
    expect(move("AU26", 57)[1]).toBeGreaterThan(0.2);
    expect(move("AU27", 8)[1]).toBeGreaterThan(move("AU26", 8)[1] + 0.15);
    expect(gap(full("AU27"))).toBeGreaterThan(gap(full("AU26")));
    expect(gap(full("AU26"))).toBeGreaterThan(gap(full("AU25")));
  });

  it("mouth-opening AUs move the landmarks far more than brow and eye AUs", () => {
    const norm = (au: string) => meanNorm(NEUTRAL, full(au));
    const smallest = Math.min(norm("AU26"), norm("AU27"));
    for (const au of ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU43", "AU45"]) {
      expect(norm(au), au).toBeLessThan(smallest / 3);
      expect(norm(au), au).toBeGreaterThan(0.001);
    }
    // brow and lid AUs move single points a few hundredths to ~0.1 unit; the jaw tenths
    for (const au of ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07"]) {
      const maxMove = Math.max(...Array.from({ length: 68 }, (_, i) => Math.hypot(...move(au, i))));
      expect(maxMove, au).toBeGreaterThan(0.02);
      expect(maxMove, au).toBeLessThanOrEqual(0.12);
    }
    expect(Math.hypot(...move("AU27", 8))).toBeGreaterThan(0.4);
  });

  it("adds AUs linearly in intensity and keeps lids and lips from crossing", () => {
    const a = displacementField("AU01");
    const b = displacementField("AU12");
    const both = canonicalShape({ AU01: 2.5, AU12: 5 });
    for (let j = 0; j < 136; j++) expect(both[j]).toBeCloseTo(NEUTRAL[j] + 0.5 * a[j] + b[j], 5);

    const rng = new Rng("anatomy");
    for (let t = 0; t < 300; t++) {
      const ints: Record<string, number> = {};
      for (const au of DISPLACEMENT_AUS) if (rng.bernoulli(0.4)) ints[au] = auMax(au) === 1 ? 1 : rng.uniform(0, 5);
      const s = canonicalShape(ints);
      for (const [u, l] of [...EYELID_PAIRS, ...INNER_LIP_PAIRS]) {
        expect(pt(s, u)[1], JSON.stringify(ints)).toBeLessThanOrEqual(pt(s, l)[1] + 1e-6);
      }
    }
  });
});
