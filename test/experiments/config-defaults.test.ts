import { describe, expect, it } from "vitest";
import { DOSE_RESPONSE_DEFAULTS, DOSE_RESPONSE_PROFILES } from "../../src/experiments/dose-response";
import { EMOTION_DEFAULTS, EMOTION_PROFILES } from "../../src/experiments/emotion-transfer";
import { resolvePspiConfig } from "../../src/experiments/pspi";
import { TRAIN_DEFAULTS } from "../../src/train/train";
import { resolveConfig } from "../../src/util/config";

/** Experiment defaults hold full nested defaults, so every typed key is accepted; profiles override on top. */
describe("experiment config defaults", () => {
  it("resolvePspiConfig accepts train.learningRate (a TrainConfig key) and changes it", () => {
    expect(resolvePspiConfig("smoke").train.learningRate).toBe(TRAIN_DEFAULTS.learningRate);
    const cfg = resolvePspiConfig("smoke", { train: { learningRate: 1e-3 } });
    expect(cfg.train.learningRate).toBe(1e-3);
    // the profile's own train overrides stay
    expect(cfg.train.epochs).toBe(8);
  });

  it("the emotion transfer's margin can be set", () => {
    const resolve = (o?: object) => resolveConfig(resolveConfig(EMOTION_DEFAULTS, EMOTION_PROFILES.smoke, "profile"), o, "config");
    expect(resolve().train.margin).toBe(TRAIN_DEFAULTS.margin);
    expect(resolve({ train: { margin: 2 } }).train.margin).toBe(2);
  });

  it("the dose-response sweep accepts nested PSPI train keys", () => {
    const cfg = resolveConfig(resolveConfig(DOSE_RESPONSE_DEFAULTS, DOSE_RESPONSE_PROFILES.smoke, "profile"), { pspi: { train: { learningRate: 1e-3 } } }, "config");
    expect(cfg.pspi.train.learningRate).toBe(1e-3);
    expect(cfg.pspi.train.epochs).toBe(8);
    expect(cfg.pspi.seeds).toEqual([1]);
  });

  it("an unknown nested key still throws, naming its path", () => {
    expect(() => resolvePspiConfig("smoke", { train: { lamda_cf: 1 } } as never)).toThrow(/config\.train\.lamda_cf/);
  });
});
