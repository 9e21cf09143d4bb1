import { describe, expect, it } from "vitest";
import {
  AAM66_FROM_68,
  FACE_POLYLINES_66,
  FACE_POLYLINES_68,
  MIRROR_68,
  NEUTRAL_FACE_68,
  REGIONS_68,
  to66,
} from "../../../src/data/face";
import { pt } from "./helpers";

describe("iBUG-68 layout", () => {
  it("has the documented region ranges covering 0–67 once", () => {
    const all = Object.values(REGIONS_68).flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 68 }, (_, i) => i));
    expect(REGIONS_68.rightBrow).toEqual([17, 18, 19, 20, 21]);
    expect(REGIONS_68.innerLips).toEqual([60, 61, 62, 63, 64, 65, 66, 67]);
  });

  it("mirror map is an involution and keeps midline points", () => {
    for (let i = 0; i < 68; i++) expect(MIRROR_68[MIRROR_68[i]]).toBe(i);
    expect([8, 27, 30, 33, 51, 57, 62, 66].every((i) => MIRROR_68[i] === i)).toBe(true);
    expect(MIRROR_68[36]).toBe(45);
    expect(MIRROR_68[48]).toBe(54);
  });

  it("to66 drops exactly the inner mouth corners 60 and 64, for one frame or a batch", () => {
    expect(AAM66_FROM_68).toHaveLength(66);
    const frame = new Float32Array(136);
    for (let i = 0; i < 68; i++) {
      frame[2 * i] = i;
      frame[2 * i + 1] = 100 + i;
    }
    const one = to66(frame);
    expect(one).toHaveLength(132);
    const xs = Array.from({ length: 66 }, (_, j) => one[2 * j]);
    const expected = Array.from({ length: 68 }, (_, i) => i).filter((i) => i !== 60 && i !== 64);
    expect(xs).toEqual(expected);
    expect(Array.from({ length: 66 }, (_, j) => one[2 * j + 1])).toEqual(expected.map((i) => 100 + i));
    const batch = new Float32Array(272);
    batch.set(frame, 0);
    batch.set(frame.map((v) => v + 100), 136);
    const two = to66(batch);
    expect(two).toHaveLength(264);
    expect(two[132]).toBe(100);
    expect(two[132 + 2 * 60]).toBe(161);
    expect(() => to66(new Float32Array(130))).toThrow(/multiple of 136/);
  });

  it("drawing strokes index valid points in both layouts", () => {
    for (const line of FACE_POLYLINES_68) expect(line.indices.every((i) => i >= 0 && i < 68)).toBe(true);
    for (const line of FACE_POLYLINES_66) expect(line.indices.every((i) => i >= 0 && i < 66)).toBe(true);
  });
});

describe("neutral face", () => {
  it("has 68 points, is centered between the eyes with inter-ocular distance 1", () => {
    expect(NEUTRAL_FACE_68).toHaveLength(136);
    const [x36, y36] = pt(NEUTRAL_FACE_68, 36);
    const [x45, y45] = pt(NEUTRAL_FACE_68, 45);
    expect((x36 + x45) / 2).toBeCloseTo(0, 6);
    expect((y36 + y45) / 2).toBeCloseTo(0, 6);
    expect(Math.hypot(x45 - x36, y45 - y36)).toBeCloseTo(1, 4);
    expect(x36).toBeLessThan(0); // the subject's right eye is on the image left
  });

  it("is left-right symmetric", () => {
    for (let i = 0; i < 68; i++) {
      const [x, y] = pt(NEUTRAL_FACE_68, i);
      const [mx, my] = pt(NEUTRAL_FACE_68, MIRROR_68[i]);
      expect(x + mx).toBeCloseTo(0, 3);
      expect(y - my).toBeCloseTo(0, 3);
    }
  });

  it("looks like a face: brows above eyes above nose tip above mouth above chin", () => {
    const y = (i: number) => NEUTRAL_FACE_68[2 * i + 1];
    const x = (i: number) => NEUTRAL_FACE_68[2 * i];
    const maxY = (idx: readonly number[]) => Math.max(...idx.map(y));
    const minY = (idx: readonly number[]) => Math.min(...idx.map(y));
    expect(maxY(REGIONS_68.rightBrow)).toBeLessThan(minY(REGIONS_68.rightEye));
    expect(maxY(REGIONS_68.rightEye)).toBeLessThan(y(30));
    expect(y(33)).toBeLessThan(minY(REGIONS_68.outerLips));
    expect(maxY(REGIONS_68.outerLips)).toBeLessThan(y(8));
    expect(y(8)).toBeGreaterThan(1.1); // chin ≈ 1.3 units below the eye line
    expect(x(54) - x(48)).toBeGreaterThan(0.45); // mouth ≈ 0.59 wide
    expect(x(54) - x(48)).toBeLessThan(0.75);
    expect(x(16) - x(0)).toBeGreaterThan(1.3); // face wider than the eyes
    // inner lips closed at rest, eyes open
    expect(y(66) - y(62)).toBeGreaterThan(0);
    expect(y(66) - y(62)).toBeLessThan(0.03);
    expect(y(41) - y(37)).toBeGreaterThan(0.07);
  });
});
