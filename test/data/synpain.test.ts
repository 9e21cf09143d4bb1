import { describe, expect, it } from "vitest";
import { pspiOf } from "../../src/au/pspi";
import { UNBC_AUS } from "../../src/au/registry";
import { summarizeDataset } from "../../src/data/dataset";
import { generateSynPain } from "../../src/data/synpain";

const col = (a: string) => UNBC_AUS.indexOf(a);

describe("SynPain", () => {
  it("is byte-identical for a seed and different for another", () => {
    const a = generateSynPain({ seed: 3, profile: "smoke" });
    const b = generateSynPain({ seed: 3, profile: "smoke" });
    const c = generateSynPain({ seed: 4, profile: "smoke" });
    expect(Buffer.from(a.intensities.buffer).equals(Buffer.from(b.intensities.buffer))).toBe(true);
    expect(Buffer.from(a.landmarks!.data.buffer).equals(Buffer.from(b.landmarks!.data.buffer))).toBe(true);
    expect(Buffer.from(a.appearance!.data.buffer).equals(Buffer.from(b.appearance!.data.buffer))).toBe(true);
    expect(a.subjects).toEqual(b.subjects);
    expect(Buffer.from(a.intensities.buffer).equals(Buffer.from(c.intensities.buffer))).toBe(false);
  });

  it("has UNBC's shape at the paper profile, PSPI consistent with the AUs on every frame", () => {
    const t0 = performance.now();
    const ds = generateSynPain({ seed: 1, profile: "paper" });
    const seconds = (performance.now() - t0) / 1000;
    const s = summarizeDataset(ds);
    console.log(`SynPain paper: ${s.frames} frames, ${s.subjects} subjects, ${s.sequences} sequences, PSPI > 0 in ${(100 * s.pspiPositiveShare!).toFixed(1)}% (UNBC: 17.3%), ${seconds.toFixed(1)} s`);
    expect(s.subjects).toBe(25);
    expect(s.sequences).toBe(200);
    expect(s.frames).toBeGreaterThan(40000);
    expect(s.frames).toBeLessThan(56000);
    expect(s.pspiPositiveShare!).toBeGreaterThan(0.12);
    expect(s.pspiPositiveShare!).toBeLessThan(0.25);
    const pspi = pspiOf(ds.aus);
    const K = ds.aus.length;
    let mismatches = 0;
    for (let i = 0; i < ds.size; i++) {
      if (pspi(ds.intensities, i * K) !== ds.pspi![i]) mismatches++;
      if ((ds.pspi![i] > 0 ? 1 : 0) !== ds.labels!.y[i]) mismatches++;
    }
    expect(mismatches).toBe(0);
    // integer intensities 0–5, AU43 binary
    let bad = 0;
    for (let j = 0; j < ds.intensities.length; j++) {
      const v = ds.intensities[j];
      if (!(Number.isInteger(v) && v >= 0 && v <= (j % K === col("AU43") ? 1 : 5))) bad++;
    }
    expect(bad).toBe(0);
    expect(ds.landmarks!.points).toBe(66);
    expect(Object.keys(ds.sequenceLabels!).length).toBe(200);
  });

  it("makes the shortcut AUs co-occur with pain but also occur without it, and subjects prefer AU6 or AU7", () => {
    const ds = generateSynPain({ seed: 2, profile: "quick", observations: false });
    const K = ds.aus.length;
    const pain = (ds.meta.truth as { painLatent: Float32Array }).painLatent;
    for (const au of ["AU12", "AU25", "AU26"]) {
      let withPain = 0, painFrames = 0, without = 0, calm = 0;
      for (let i = 0; i < ds.size; i++) {
        const on = ds.intensities[i * K + col(au)] > 0;
        if (pain[i] > 0.3) { painFrames++; if (on) withPain++; } else if (pain[i] === 0) { calm++; if (on) without++; }
      }
      expect(without).toBeGreaterThan(0); // occurs without pain
      expect(withPain / painFrames).toBeGreaterThan(without / calm); // but more with it
    }
    const bySubject = new Map<string, [number, number]>();
    for (let i = 0; i < ds.size; i++) {
      const e = bySubject.get(ds.subjects[i]) ?? [0, 0];
      e[0] += ds.intensities[i * K + col("AU06")] * (pain[i] > 0.3 ? 1 : 0);
      e[1] += ds.intensities[i * K + col("AU07")] * (pain[i] > 0.3 ? 1 : 0);
      bySubject.set(ds.subjects[i], e);
    }
    const ratios = [...bySubject.values()].filter(([a, b]) => a + b > 20).map(([a, b]) => a / (a + b));
    expect(Math.min(...ratios)).toBeLessThan(0.4);
    expect(Math.max(...ratios)).toBeGreaterThan(0.6);
  });

  it("rejects unknown config keys by name", () => {
    expect(() => generateSynPain({ profile: "smoke", config: { subjets: 3 } as never })).toThrow(/config.subjets: unknown key/);
  });
});
