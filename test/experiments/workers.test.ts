import { describe, expect, it } from "vitest";
import { runEmotionTransfer } from "../../src/experiments/emotion-transfer";
import { runPspiExperiment } from "../../src/experiments/pspi";

/** Everything but wall times and provenance. */
function numbers(r: object): unknown {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === "provenance" || k === "durations" || /Seconds$|PerSecond$/.test(k) || (k === "training" && v && typeof v === "object" && "seconds" in v) ? undefined : v)));
}

describe("worker pool: the same numbers for 1 and N workers", () => {
  it("PSPI experiment (smoke, 2 arms)", async () => {
    const overrides = { arms: ["baseline", "facr"] as ("baseline" | "facr")[], train: { epochs: 3, patience: 3 }, bootstrap: { resamples: 30 } };
    const one = await runPspiExperiment({ profile: "smoke", overrides, workers: 1, log: () => {} });
    const three = await runPspiExperiment({ profile: "smoke", overrides, workers: 3, log: () => {} });
    expect(numbers(three)).toEqual(numbers(one));
    expect(one.perFold.map((f) => `${f.fold}${f.arm}`)).toEqual(["0baseline", "0facr", "1baseline", "1facr"]);
  }, 120_000);

  it("emotion transfer (smoke, 2 arms)", async () => {
    const overrides = { arms: ["baseline", "facr"] as ("baseline" | "facr")[], train: { epochs: 2, patience: 2 }, induction: { resamples: 5 }, bootstrap: { resamples: 20 } };
    const one = await runEmotionTransfer({ profile: "smoke", overrides, workers: 1, log: () => {} });
    const two = await runEmotionTransfer({ profile: "smoke", overrides, workers: 2, log: () => {} });
    expect(numbers(two)).toEqual(numbers(one));
  }, 120_000);
});
