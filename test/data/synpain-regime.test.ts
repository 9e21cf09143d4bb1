import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { subsetDataset, type Dataset } from "../../src/data/dataset";
import { generateSynPain, type SynPainRegime } from "../../src/data/synpain";
import { ascendingOrder, weightedAuc } from "../../src/faithfulness/auc";
import { SYNPAIN_DEFAULTS } from "../../src/data/synpain-config";
import { shortcutResponse } from "../../src/data/synpain-regime";
import { extractFeatures } from "../../src/model/features";

/** SHA-256 over everything a SynPain dataset holds per frame (not meta.config, which gains keys over time). */
function digest(ds: Dataset): string {
  const h = createHash("sha256");
  const bytes = (a: ArrayBufferView) => h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  h.update(String(ds.size));
  h.update(ds.aus.join(","));
  bytes(ds.intensities);
  bytes(ds.frames);
  bytes(ds.labels!.y);
  bytes(ds.pspi!);
  h.update(ds.subjects.join(","));
  h.update(ds.sequences.join(","));
  if (ds.landmarks) bytes(ds.landmarks.data);
  if (ds.appearance) {
    h.update(ds.appearance.names.join(","));
    bytes(ds.appearance.data);
  }
  h.update(JSON.stringify(ds.sequenceLabels));
  const t = ds.meta.truth as { painLatent: Float32Array; subjectTraits: unknown };
  bytes(t.painLatent);
  h.update(JSON.stringify(t.subjectTraits));
  return h.digest("hex");
}

const gen = (regime: Partial<SynPainRegime>, observations = true, profile: "smoke" | "quick" = "quick", seed = 1) =>
  generateSynPain({ seed, profile, observations, config: { regime } });

function auroc(score: ArrayLike<number>, y: ArrayLike<number>): number {
  return weightedAuc(ascendingOrder(score), score, y);
}

/** AU intensity column (the dataset's, i.e. annotated, unless `truth`). */
function au(ds: Dataset, code: string, truth = false): Float64Array {
  const K = ds.aus.length;
  const k = ds.aus.indexOf(code);
  const src = truth ? ds.meta.truth!.intensities! : ds.intensities;
  return Float64Array.from({ length: ds.size }, (_, i) => src[i * K + k]);
}

function feature(ds: Dataset, name: string): Float64Array {
  const F = ds.appearance!.names.length;
  const f = ds.appearance!.names.indexOf(name);
  expect(f).toBeGreaterThanOrEqual(0);
  return Float64Array.from({ length: ds.size }, (_, i) => ds.appearance!.data[i * F + f]);
}

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * In-sample R² of a least-squares linear probe from the model input x
 * (normalized landmarks + appearance, as the reasoner sees them) to one AU's
 * intensity: how much of the AU the observation encodes linearly. Standardized
 * columns, a tiny ridge for conditioning, Cholesky solve.
 */
function probeR2(ds: Dataset, code: string): number {
  const { x, D } = extractFeatures(ds);
  const y = au(ds, code);
  const N = ds.size;
  const mean = new Float64Array(D), sd = new Float64Array(D);
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) mean[d] += x[i * D + d] / N;
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) sd[d] += (x[i * D + d] - mean[d]) ** 2 / N;
  for (let d = 0; d < D; d++) sd[d] = Math.sqrt(sd[d]) || 1;
  const P = D + 1;
  const r = new Float64Array(P);
  const row = (i: number) => { for (let d = 0; d < D; d++) r[d] = (x[i * D + d] - mean[d]) / sd[d]; r[D] = 1; };
  const A = new Float64Array(P * P), b = new Float64Array(P);
  for (let i = 0; i < N; i++) {
    row(i);
    for (let p = 0; p < P; p++) { b[p] += r[p] * y[i]; for (let q = 0; q <= p; q++) A[p * P + q] += r[p] * r[q]; }
  }
  for (let p = 0; p < P; p++) A[p * P + p] += 1e-3 * N;
  const L = new Float64Array(P * P);
  for (let i = 0; i < P; i++) for (let j = 0; j <= i; j++) {
    let s = A[i * P + j];
    for (let m = 0; m < j; m++) s -= L[i * P + m] * L[j * P + m];
    L[i * P + j] = i === j ? Math.sqrt(s) : s / L[j * P + j];
  }
  const z = new Float64Array(P), w = new Float64Array(P);
  for (let i = 0; i < P; i++) { let s = b[i]; for (let m = 0; m < i; m++) s -= L[i * P + m] * z[m]; z[i] = s / L[i * P + i]; }
  for (let i = P - 1; i >= 0; i--) { let s = z[i]; for (let m = i + 1; m < P; m++) s -= L[m * P + i] * w[m]; w[i] = s / L[i * P + i]; }
  let ym = 0;
  for (let i = 0; i < N; i++) ym += y[i] / N;
  let sse = 0, sst = 0;
  for (let i = 0; i < N; i++) {
    row(i);
    let pred = 0;
    for (let p = 0; p < P; p++) pred += w[p] * r[p];
    sse += (y[i] - pred) ** 2;
    sst += (y[i] - ym) ** 2;
  }
  return 1 - sse / sst;
}

const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("SynPain regime", () => {
  // Pinned on the generator before the regime knobs existed (commit f8be2ea): the
  // default (clean) regime must reproduce it byte for byte.
  it("clean regime reproduces the pre-regime generator byte for byte", () => {
    expect(digest(generateSynPain({ seed: 7, profile: "smoke" }))).toBe("750870356e412c751b5336756c4c1d29f01678e7c2d4949629c42e6d3ed4e93c");
    expect(digest(generateSynPain({ seed: 8, profile: "smoke", observations: false }))).toBe("fbf669b534912b34b27486538346667ff7b2f038da28c0916b41622fbcef95ce");
  });

  it("is the clean regime by default: explicit clean knobs change nothing, no tension column, truth = annotations", () => {
    const a = generateSynPain({ seed: 7, profile: "smoke" });
    const b = gen({ auVisibility: 1, shortcutStrength: 0, auLabelNoise: 0 }, true, "smoke", 7);
    expect(digest(b)).toBe(digest(a));
    expect(a.appearance!.names).not.toContain("tension");
    expect(a.appearance!.names).toHaveLength(9);
    expect(a.meta.truth!.intensities).toBe(a.intensities);
    expect(a.meta.notes).toHaveLength(1);
  });

  it("shortcutStrength makes the shortcut AUs respond more strongly and earlier: weight × (1 + 1.5·s), onset × (1 − s), PSPI AUs untouched", () => {
    const base = SYNPAIN_DEFAULTS.painResponse;
    expect(shortcutResponse(base, 0)).toBe(base);
    const r = shortcutResponse(base, 0.5);
    expect(r.AU25.weight).toBeCloseTo(0.6 * 1.75, 12);
    expect(r.AU25.onset).toBeCloseTo(0.2, 12);
    expect(r.AU27).toEqual({ weight: 1.75, onset: 0.425 });
    for (const code of ["AU12", "AU20", "AU26"] as const) expect(r[code].onset).toBeCloseTo(base[code].onset / 2, 12);
    for (const code of ["AU04", "AU06", "AU07", "AU09", "AU10", "AU43"] as const) expect(r[code]).toEqual(base[code]);
    expect(shortcutResponse(base, 1).AU26).toEqual({ weight: 1.5, onset: 0 });
    expect(base.AU25).toEqual({ weight: 0.6, onset: 0.4 }); // the defaults are not mutated
  });

  it("shortcutStrength: the tension cue and the AU12+25+26 sum predict the label more with s; the label does not move", () => {
    const clean = gen({});
    const tension: number[] = [];
    const mouth: number[] = [];
    for (const s of [0.25, 0.5, 1]) {
      const ds = gen({ shortcutStrength: s });
      const y = ds.labels!.y;
      expect(same(y, clean.labels!.y)).toBe(true); // the PSPI AUs and so the label are the clean ones
      expect(same(ds.pspi!, clean.pspi!)).toBe(true);
      expect(ds.appearance!.names).toEqual([...clean.appearance!.names, "tension"]);
      // the cue is one more column; features that no shortcut AU loads on are the clean ones exactly
      for (const name of ["glabella_furrows", "nasal_root_wrinkles", "eye_aperture", "forehead_wrinkles", "chin_boss"]) {
        expect(same(Float32Array.from(feature(ds, name)), Float32Array.from(feature(clean, name)))).toBe(true);
      }
      expect(extractFeatures(ds).D).toBe(extractFeatures(clean).D + 1);
      tension.push(auroc(feature(ds, "tension"), y));
      const a12 = au(ds, "AU12"), a25 = au(ds, "AU25"), a26 = au(ds, "AU26");
      mouth.push(auroc(a12.map((v, i) => v + a25[i] + a26[i]), y));
    }
    const y0 = clean.labels!.y;
    const c12 = au(clean, "AU12"), c25 = au(clean, "AU25"), c26 = au(clean, "AU26");
    const mouth0 = auroc(c12.map((v, i) => v + c25[i] + c26[i]), y0);
    expect(tension[0]).toBeGreaterThan(0.55);
    expect(tension[1]).toBeGreaterThan(tension[0] + 0.03);
    expect(tension[2]).toBeGreaterThan(tension[1] + 0.03);
    expect(mouth[0]).toBeGreaterThan(mouth0 + 0.01);
    expect(mouth[1]).toBeGreaterThan(mouth[0] + 0.01);
    expect(mouth[2]).toBeGreaterThan(mouth[1] + 0.01);
  });

  it("auVisibility: the observation encodes the PSPI AUs less as v falls and the non-PSPI AU12 just as well; AUs and label untouched", () => {
    const byV = [1, 0.5, 0.1].map((v) => gen({ auVisibility: v }));
    const glabella = byV.map((ds) => corr(feature(ds, "glabella_furrows"), au(ds, "AU04")));
    const r2au04 = byV.map((ds) => probeR2(ds, "AU04"));
    const r2au06 = byV.map((ds) => probeR2(ds, "AU06"));
    const r2au12 = byV.map((ds) => probeR2(ds, "AU12"));
    expect(glabella[0]).toBeGreaterThan(0.5);
    expect(glabella[1]).toBeLessThan(glabella[0] - 0.1);
    expect(glabella[2]).toBeLessThan(glabella[1] - 0.1);
    expect(r2au04[1]).toBeLessThan(r2au04[0] - 0.1);
    expect(r2au04[2]).toBeLessThan(r2au04[1] - 0.05);
    expect(r2au06[1]).toBeLessThan(r2au06[0] - 0.05);
    expect(r2au06[2]).toBeLessThan(r2au06[1] - 0.05);
    for (const ds of byV.slice(1)) {
      expect(Math.abs(probeR2(ds, "AU12") - r2au12[0])).toBeLessThan(0.05);
      // dimples load on AU12 alone among UNBC's AUs: the column is the clean one exactly
      expect(same(Float32Array.from(feature(ds, "dimples")), Float32Array.from(feature(byV[0], "dimples")))).toBe(true);
      expect(same(ds.intensities, byV[0].intensities)).toBe(true);
      expect(same(ds.labels!.y, byV[0].labels!.y)).toBe(true);
      expect(same(ds.landmarks!.data, byV[0].landmarks!.data)).toBe(false);
    }
  });

  it("auLabelNoise: annotations depart from the truth more with η (never at η = 0); truth, PSPI, label and face stay the truth's", () => {
    const clean = gen({}, true, "smoke");
    const K = clean.aus.length;
    const k43 = clean.aus.indexOf("AU43");
    const shares: number[] = [];
    for (const eta of [0, 0.1, 0.3, 0.6]) {
      const ds = gen({ auLabelNoise: eta }, true, "smoke");
      const truth = ds.meta.truth!.intensities!;
      expect(same(truth, clean.intensities)).toBe(true);
      expect(same(ds.labels!.y, clean.labels!.y)).toBe(true);
      expect(same(ds.pspi!, clean.pspi!)).toBe(true);
      expect(same(ds.landmarks!.data, clean.landmarks!.data)).toBe(true);
      expect(same(ds.appearance!.data, clean.appearance!.data)).toBe(true);
      let differ = 0, zeroToOne = 0, zeros = 0, flips = 0, bad = 0;
      for (let j = 0; j < truth.length; j++) {
        const a = ds.intensities[j];
        if (a !== truth[j]) differ++;
        if (!(Number.isInteger(a) && a >= 0 && a <= (j % K === k43 ? 1 : 5))) bad++;
        if (j % K === k43) { if (a !== truth[j]) flips++; }
        else if (truth[j] === 0) { zeros++; if (a === 1) zeroToOne++; }
      }
      expect(bad).toBe(0);
      shares.push(differ / truth.length);
      if (eta === 0) expect(ds.intensities).toBe(truth);
      if (eta === 0.3) {
        // sd 2η = 0.6: P(N > 0.5) ≈ 0.20 of zeros become 1; AU43 flips with probability η/2 = 0.15
        expect(zeroToOne / zeros).toBeGreaterThan(0.15);
        expect(zeroToOne / zeros).toBeLessThan(0.25);
        expect(flips / ds.size).toBeGreaterThan(0.11);
        expect(flips / ds.size).toBeLessThan(0.19);
        // a subset keeps truth aligned with its frames
        const sub = subsetDataset(ds, [5, 2, 9]);
        expect(Array.from(sub.meta.truth!.intensities!)).toEqual([5, 2, 9].flatMap((i) => Array.from(truth.subarray(i * K, (i + 1) * K))));
        expect(ds.meta.notes!.some((n) => n.includes("meta.truth.intensities"))).toBe(true);
      }
    }
    expect(shares[0]).toBe(0);
    expect(shares[1]).toBeGreaterThan(0);
    expect(shares[2]).toBeGreaterThan(shares[1] + 0.05);
    expect(shares[3]).toBeGreaterThan(shares[2] + 0.05);
  });

  it("rejects knobs outside [0, 1], naming the field", () => {
    expect(() => gen({ auVisibility: 1.5 }, false, "smoke")).toThrow(/config\.regime\.auVisibility: must be ≤ 1, got 1\.5/);
    expect(() => gen({ shortcutStrength: -0.1 }, false, "smoke")).toThrow(/config\.regime\.shortcutStrength: must be ≥ 0, got -0\.1/);
    expect(() => gen({ auLabelNoise: 2 }, false, "smoke")).toThrow(/config\.regime\.auLabelNoise: must be ≤ 1/);
    expect(() => gen({ auLabelNoise: Number.NaN }, false, "smoke")).toThrow(/config\.regime\.auLabelNoise: must be a finite number/);
    expect(() => generateSynPain({ profile: "smoke", config: { regime: { visibility: 0.5 } } as never })).toThrow(/config\.regime\.visibility: unknown key/);
  });
});
