import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { subjectIds } from "../../src/data/dataset";
import { CONTEMPT_SKIP, DATA_ENV, describeDataFromEnv, emotionDomainsFromEnv, loadCkPlusEmotion, pspiDatasetFromEnv, subjectDomains } from "../../src/data/from-env";
import { formatEmotionSummary, runEmotionTransfer } from "../../src/experiments/emotion-transfer";
import { formatPspiSummary, runPspiExperiment } from "../../src/experiments/pspi";
import { CKPLUS, removeTemp, tempDir, UNBC, writeCkPlusLike } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const saved = { unbc: process.env[DATA_ENV.unbc], ckplus: process.env[DATA_ENV.ckplus] };

function restoreEnv(): void {
  for (const [k, name] of [["unbc", DATA_ENV.unbc], ["ckplus", DATA_ENV.ckplus]] as const) {
    if (saved[k] === undefined) delete process.env[name];
    else process.env[name] = saved[k];
  }
}

afterEach(restoreEnv);
afterAll(removeTemp);

describe("data from the environment (src/data/from-env.ts)", () => {
  it("unset: synthetic data, and the descriptions say so", () => {
    const env = {};
    expect(pspiDatasetFromEnv(env)).toBeNull();
    expect(emotionDomainsFromEnv(1, env)).toBeNull();
    expect(describeDataFromEnv(env).pspi).toMatch(/SynPain \(SYNTHETIC/);
    expect(describeDataFromEnv(env).emotion).toMatch(/SynEmotion \(SYNTHETIC/);
    expect(pspiDatasetFromEnv({ [DATA_ENV.unbc]: "  " })).toBeNull();
  });

  it("a variable that names no folder is an input error naming it, not a silent fall-back", () => {
    const file = path.join(UNBC, "..", "openface", "full.csv");
    expect(() => pspiDatasetFromEnv({ [DATA_ENV.unbc]: file })).toThrow(new RegExp(`${file}, field FACR_UNBC_DIR: FACR_UNBC_DIR is set but is not a folder`));
    expect(() => emotionDomainsFromEnv(1, { [DATA_ENV.ckplus]: path.join(ROOT, "no-such-dir") })).toThrow(/FACR_CKPLUS_DIR is set but is not a folder/);
  });

  it("FACR_UNBC_DIR: the PSPI experiment runs on UNBC-McMaster (here the fixture, a tiny override) and its result says which data", async () => {
    process.env[DATA_ENV.unbc] = UNBC;
    const lines: string[] = [];
    // the experiment takes its data as an argument; the CLI and notebooks read the variable at the edge
    const r = await runPspiExperiment({
      profile: "smoke",
      dataset: pspiDatasetFromEnv() ?? undefined,
      overrides: { arms: ["baseline", "facr"], train: { epochs: 2, patience: 2 }, bootstrap: { resamples: 20 } },
      log: (l) => lines.push(l),
    });
    expect(r.data.source).toBe("unbc");
    expect(r.data.synthetic).toBe(false);
    expect(r.data.name).toBe(`UNBC-McMaster (${path.resolve(UNBC)})`);
    expect(r.data.summary.frames).toBe(16);
    expect(r.data.summary.subjects).toBe(2);
    // 2 subjects in 2 folds: one training subject per fold, trained without a validation split
    expect(lines.some((l) => /one training subject, no validation subjects/.test(l))).toBe(true);
    expect(formatPspiSummary(r)).toMatch(/^PSPI experiment \(unbc: UNBC-McMaster/);
    expect(formatPspiSummary(r)).not.toMatch(/SYNTHETIC/);
  });

  it("FACR_CKPLUS_DIR: the emotion experiment runs on CK+ with subjects partitioned into graph-source / source / target", async () => {
    const dir = writeCkPlusLike(tempDir("env-ck"), 8, [1, 2, 3, 4, 5, 6, 7]);
    process.env[DATA_ENV.ckplus] = dir;
    const r = await runEmotionTransfer({
      profile: "smoke",
      domains: (cfg) => emotionDomainsFromEnv(cfg.data.seed),
      overrides: { arms: ["baseline", "facr"], train: { epochs: 2, patience: 2 }, induction: { resamples: 5 }, bootstrap: { resamples: 20 } },
      log: () => {},
    });
    for (const role of ["source", "target", "graphSource"] as const) {
      expect(r.data[role].synthetic).toBe(false);
      expect(r.data[role].summary.source).toBe("ckplus");
    }
    expect(r.data.target.name).toMatch(/target subjects \(2 of 8 subjects, seeded subject partition\)/);
    const subjects = (["source", "target", "graphSource"] as const).map((k) => r.data[k].summary.subjects);
    expect(subjects.reduce((a, b) => a + b, 0)).toBe(8);
    // contempt peaks are left out and counted, per role
    const contempt = (["source", "target", "graphSource"] as const).map((k) => r.data[k].summary.skipped[CONTEMPT_SKIP] ?? 0);
    expect(contempt.reduce((a, b) => a + b, 0)).toBe(8);
    expect(r.data.source.summary.classCounts!.contempt).toBeUndefined();
    expect(formatEmotionSummary(r)).toMatch(/^Emotion transfer \(real data: CK\+/);
  });

  it("the subject partition is seeded, disjoint, holds every class in graph-source and source, and refuses too few subjects", () => {
    const ds = loadCkPlusEmotion(writeCkPlusLike(tempDir("env-ck2"), 6, [1, 3, 5]));
    const a = subjectDomains(ds, 7);
    const b = subjectDomains(ds, 7);
    expect(a.source.subjects).toEqual(b.source.subjects);
    const sets = [a.source, a.target, a.graphSource].map((d) => new Set(subjectIds(d)));
    expect(sets[0].size + sets[1].size + sets[2].size).toBe(6);
    for (const s of sets[0]) expect(sets[1].has(s) || sets[2].has(s)).toBe(false);
    for (const d of [a.source, a.graphSource]) expect(new Set(d.labels!.y)).toEqual(new Set(ds.labels!.y));
    // the committed CK+ fixture has 3 subjects
    expect(() => subjectDomains(loadCkPlusEmotion(CKPLUS), 1)).toThrow(/holds 3 subject\(s\) with usable labels; the subject-partition protocol needs at least 4/);
  });

  it("the CLI's pspi command reads FACR_UNBC_DIR and says which data it runs on", () => {
    const out = path.join(tempDir("env-cli"), "pspi.json");
    const res = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "src/cli.ts", "pspi", "--profile", "smoke", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, [DATA_ENV.unbc]: UNBC },
      timeout: 120_000,
    });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`[pspi] data: UNBC-McMaster from FACR_UNBC_DIR=${path.resolve(UNBC)} (real data)`);
    const saved = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(saved.data.source).toBe("unbc");
    expect(saved.data.synthetic).toBe(false);
  });
});
