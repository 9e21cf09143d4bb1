import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit";
import { auditCommand } from "../../src/audit/command";
import { detectAuScale } from "../../src/audit/load";
import { auditToHtml, writeAuditReport } from "../../src/audit/report";
import type { AuditReport } from "../../src/audit/types";
import { loadOpenFace } from "../../src/data/loaders";
import { OPENFACE_FULL, removeTemp, tempDir, UNBC } from "./helpers";

// The AU scale (--au-scale) and the report's warnings. The bug they answer: OpenFace AU*_r already scaled to
// 0–1 were divided by 5 again, every frame came out neutral, and κ printed 1.000 with no warning.

const TRAIN = { epochs: 2, minSteps: 20 };

afterAll(removeTemp);

/** A copy of an OpenFace CSV with every AU*_r value multiplied by `factor` (header ", "-separated, rows ","). */
function scaleAuR(src: string, file: string, factor: number): string {
  const [header, ...rows] = fs.readFileSync(src, "utf8").trimEnd().split("\n");
  const names = header.split(",").map((c) => c.trim());
  const cols = names.flatMap((n, i) => (/^AU\d+_r$/.test(n) ? [i] : []));
  expect(cols.length).toBeGreaterThan(10);
  const out = rows.map((r) => {
    const f = r.split(",");
    for (const i of cols) f[i] = String(Number(f[i]) * factor);
    return f.join(",");
  });
  fs.writeFileSync(file, [header, ...out].join("\n") + "\n");
  return file;
}

const ONE_CLASS = /^\d+(\.\d)?% of frames are predicted \w+: fidelity is measured almost only on one class and can look perfect for that reason/;
const UNDER_05 = "every AU value is ≤ 1 under --au-scale 0-5";

describe("--au-scale: 0–1-scaled OpenFace AUs are detected and not divided by 5 again", () => {
  let dir: string;
  let scaled: string;
  let original: AuditReport;

  beforeAll(async () => {
    dir = tempDir("audit-scale");
    scaled = scaleAuR(OPENFACE_FULL, path.join(dir, "scaled-0-1.csv"), 1 / 5);
    original = await runAudit({ data: OPENFACE_FULL, format: "openface", graph: "emotion", train: TRAIN, resamples: 20 });
  });

  it("the original 0–5 file: auto reads 0–5, says why, predicts more than one class, no one-class warning", () => {
    expect(original.data.auScale.used).toBe("0-5");
    expect(original.data.auScale.reason).toMatch(/AU_r value\(s\) are > 1\.0 \(max [\d.]+ over 10 frames\): reading them as 0–5; pass --au-scale 0-1 to override/);
    expect(Object.values(original.predictedCounts).filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(original.warnings.some((w) => ONE_CLASS.test(w))).toBe(false);
  });

  it("auto on the 0–1 copy: detected as 0–1 (said in the text and JSON), the same z and predicted classes as the 0–5 file, no one-class warning", async () => {
    const printed: string[] = [];
    const out = path.join(dir, "auto.json");
    const { code, report } = await auditCommand(["--data", scaled, "--format", "openface", "--graph", "emotion", "--resamples", "20", "--out", out], (t) => printed.push(t));
    expect(code).toBe(0);
    const r = report!;
    expect(r.data.auScale.requested).toBe("auto");
    expect(r.data.auScale.used).toBe("0-1");
    expect(r.data.auScale.max).toBeCloseTo(original.data.auScale.max! / 5, 4);
    const why = `every AU_r value is ≤ 1.0 (max ${Math.round((original.data.auScale.max! / 5) * 1000) / 1000} over 10 frames): reading them as 0–1; pass --au-scale 0-5 to override`;
    expect(r.data.auScale.reason).toBe(why);
    expect(printed.join("\n")).toContain(`AU scale: 0-1 (${why})`);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).data.auScale.used).toBe("0-1");
    expect(r.reasoner.z).toMatch(/taken as z directly/);
    // same frames, same (default) head: the same inputs and the same predictions
    expect(r.frames.map((f) => f.frame)).toEqual(original.frames.map((f) => f.frame));
    r.frames.forEach((f, i) => f.z.forEach((v, k) => expect(v).toBeCloseTo(original.frames[i].z[k], 4)));
    expect(r.frames.map((f) => f.predicted)).toEqual(original.frames.map((f) => f.predicted));
    expect(r.predictedCounts).toEqual(original.predictedCounts);
    expect(r.warnings.some((w) => ONE_CLASS.test(w))).toBe(false);
    expect(r.warnings).toEqual(original.warnings);
  });

  it("--au-scale 0-5 on the 0–1 copy: the '≤ 1 under 0-5' warning in the text, the JSON and a box at the top of the HTML; every frame neutral, and the one-class warning", async () => {
    const printed: string[] = [];
    const json = path.join(dir, "forced.json");
    const { code, report } = await auditCommand(["--data", scaled, "--format", "openface", "--graph", "emotion", "--resamples", "20", "--au-scale", "0-5", "--out", json], (t) => printed.push(t));
    expect(code).toBe(0);
    const r = report!;
    expect(r.data.auScale.used).toBe("0-5");
    // the bug, reproduced under the explicit scale: all neutral, κ 1
    expect(r.predictedCounts.neutral).toBe(r.data.frames);
    const under = r.warnings.find((w) => w.startsWith(UNDER_05));
    expect(under).toMatch(/the AUs may already be scaled to 0–1/);
    const one = r.warnings.find((w) => ONE_CLASS.test(w));
    expect(one).toMatch(/^100% of frames are predicted neutral: /);
    const text = printed.join("\n");
    expect(text).toContain(`WARNING: ${under}`);
    expect(text).toContain(`WARNING: ${one}`);
    // the warnings come before the per-frame table and the fidelity line, which points back to them
    expect(text.indexOf(`WARNING: ${under}`)).toBeLessThan(text.indexOf("fidelity to G"));
    expect(text).toMatch(/read with the 2 WARNING line\(s\) at the top/);
    const back = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(back.warnings).toEqual(r.warnings);
    const htmlFile = path.join(dir, "forced.html");
    writeAuditReport(r, htmlFile);
    const html = fs.readFileSync(htmlFile, "utf8");
    const box = html.match(/<div class="warning" id="warnings">([\s\S]*?)<\/div>/);
    expect(box).not.toBeNull();
    expect(box![1]).toContain(UNDER_05);
    expect(box![1]).toContain("100% of frames are predicted neutral");
    expect(html.indexOf('class="warning"')).toBeLessThan(html.indexOf("<h2>Data</h2>"));
    expect(html).toContain("AU scale: <b>0-5</b>");
  });

  it("no warning box in the HTML when there is no warning", () => {
    expect(auditToHtml({ ...original, warnings: [] })).not.toContain('class="warning"');
  });

  it("a file whose AUs are all 0 gives one class under auto: the one-class warning", async () => {
    const zero = scaleAuR(OPENFACE_FULL, path.join(dir, "zero.csv"), 0);
    const r = await runAudit({ data: zero, format: "openface", graph: "emotion", train: TRAIN, resamples: 20 });
    expect(r.data.auScale.used).toBe("0-5");
    expect(r.data.auScale.reason).toMatch(/no AU_r value is above 0/);
    const top = Math.max(...Object.values(r.predictedCounts));
    expect(top / r.data.frames).toBeGreaterThanOrEqual(0.95);
    expect(r.warnings.some((w) => ONE_CLASS.test(w))).toBe(true);
  });

  it("explicit 0-1 on 0–5 values warns that values were clipped; a bad --au-scale is an input error", async () => {
    const ds = loadOpenFace(OPENFACE_FULL);
    const d = detectAuScale([ds], "0-1");
    expect(d.info.used).toBe("0-1");
    expect(d.warnings.join(" ")).toMatch(/AU value\(s\) are > 1 under --au-scale 0-1 .*clipped to z = 1/);
    expect(detectAuScale([ds], "0-5").warnings).toEqual([]);
    await expect(auditCommand(["--data", OPENFACE_FULL, "--format", "openface", "--graph", "emotion", "--au-scale", "0-100"], () => {})).rejects.toThrow(/field --au-scale: must be one of auto, 0-5, 0-1/);
    await expect(runAudit({ data: OPENFACE_FULL, format: "openface", graph: "emotion", auScale: "x" as never })).rejects.toThrow(/field --au-scale/);
  });
});

describe("warnings about the head", () => {
  it("a label-trained head on a tiny labelled set: the accuracy and κ rest on N frames", async () => {
    const r = await runAudit({ data: UNBC, format: "unbc", graph: "pspi", train: TRAIN, resamples: 20 });
    expect(r.reasoner.head).toBe("labels");
    expect(r.data.labelled).toBe(16);
    const w = r.warnings.find((x) => x.includes("labelled frame"));
    expect(w).toBe(
      "the head was trained on the data's labels, and only 16 labelled frame(s) of 2 subject(s) (fewer than 50 frames or 5 subjects): the accuracy and κ rest on 16 frames; read them as a small-sample description, not an estimate",
    );
    expect(auditToHtml(r)).toContain("the accuracy and κ rest on 16 frames");
  });

  it("a saved head trained with L_cf on the same G: the κ is partly built in; not with λ_cf = 0 or another G", async () => {
    const base = tempDir("audit-builtin");
    const withCf = path.join(base, "cf");
    const noCf = path.join(base, "ce");
    await runAudit({ data: UNBC, format: "unbc", graph: "pspi", head: "default", train: TRAIN, resamples: 20, saveModel: withCf });
    await runAudit({ data: UNBC, format: "unbc", graph: "pspi", head: "default", train: { ...TRAIN, lambdaCf: 0 }, resamples: 20, saveModel: noCf });
    const built = /trained with L_cf \(λ_cf = 1\) on the same graph G it is scored against .*so the κ is then partly built in/;
    const a = await runAudit({ data: UNBC, format: "unbc", graph: "pspi", model: withCf, resamples: 20 });
    expect(a.warnings.some((w) => built.test(w))).toBe(true);
    const b = await runAudit({ data: UNBC, format: "unbc", graph: "pspi", model: noCf, resamples: 20 });
    expect(b.warnings.some((w) => /partly built in/.test(w))).toBe(false);
    // the same AUs and classes, another polarity: not the G it was trained on
    const g = JSON.parse(JSON.stringify({ ...a.graph, provenance: { kind: "custom", source: "flipped" } }));
    g.polarity = g.polarity.map((row: number[]) => row.map((v: number) => -v));
    delete g.spec;
    const gFile = path.join(base, "flipped.json");
    fs.writeFileSync(gFile, JSON.stringify({ ...g, groups: {} }));
    const c = await runAudit({ data: UNBC, format: "unbc", graph: gFile, model: withCf, resamples: 20 });
    expect(c.warnings.some((w) => /partly built in/.test(w))).toBe(false);
  });
});

describe("--au-scale auto on FACS codes", () => {
  it("UNBC and CK+ intensities are read as 0–5 under auto (their definition), whatever their maximum", () => {
    const fake = (source: string, v: number) => ({ source, size: 2, aus: ["AU04"], intensities: Float32Array.from([v, 0]) }) as never;
    for (const source of ["unbc", "ckplus"]) {
      const d = detectAuScale([fake(source, 1)], "auto");
      expect(d.info.used).toBe("0-5");
      expect(d.info.reason).toMatch(/FACS intensity codes .* are 0–5 by definition/);
      expect(d.warnings).toEqual([]);
    }
    expect(detectAuScale([fake("openface", 0.8)], "auto").info.used).toBe("0-1");
    expect(detectAuScale([fake("openface", 1.2)], "auto").info.used).toBe("0-5");
  });
});
