import { describe, expect, it } from "vitest";
import { Rng } from "../../src/util/random";

describe("Rng", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Rng("x").next()).toBe(new Rng("x").next());
  });

  it("draws uniform, integer and normal values with the right moments", () => {
    const r = new Rng(1);
    const n = 20000;
    const u = Array.from({ length: n }, () => r.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, x) => s + x, 0) / n).toBeCloseTo(0.5, 1);
    const z = Array.from({ length: n }, () => r.normal());
    const m = z.reduce((s, x) => s + x, 0) / n;
    const v = z.reduce((s, x) => s + (x - m) ** 2, 0) / n;
    expect(m).toBeCloseTo(0, 1);
    expect(v).toBeCloseTo(1, 1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[r.int(6)]++;
    for (const cnt of counts) expect(cnt).toBeGreaterThan(850);
    expect(() => r.int(0)).toThrow(/positive integer/);
  });

  it("forks independent, reproducible streams and samples without replacement", () => {
    const r = new Rng(5);
    expect(r.fork("a").next()).toBe(new Rng(5).fork("a").next());
    expect(r.fork("a").next()).not.toBe(r.fork("b").next());
    const s = new Rng(9).sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(s).size).toBe(4);
    expect(() => new Rng(9).sample([1, 2], 3)).toThrow(/cannot draw 3 from 2/);
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer/);
  });
});
