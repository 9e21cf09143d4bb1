import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultWorkers, runJobs } from "../../src/util/pool";
import { fail, square } from "./fixtures/pool-jobs";

const JOBS = path.resolve(__dirname, "fixtures/pool-jobs.ts");

describe("runJobs (worker pool)", () => {
  it("returns outputs and calls onResult in input order whatever order the workers finish in", async () => {
    for (const workers of [1, 3]) {
      const seen: number[] = [];
      const lines: string[] = [];
      // early jobs are slow, late ones fast: with 3 workers they finish out of order
      const out = await runJobs<{ x: number; delayMs: number }, { x: number; y: Float32Array }>({ file: JOBS, name: "square", fn: square }, 6, (i) => ({ x: i, delayMs: (6 - i) * 15 }), {
        workers,
        log: (l) => lines.push(l),
        onResult: (i, o) => seen.push(i * 100 + o.x),
      });
      expect(out.map((o) => o.x)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(out.map((o) => o.y[0])).toEqual([0, 1, 4, 9, 16, 25]);
      expect(out[3].y).toBeInstanceOf(Float32Array);
      expect(seen).toEqual([0, 101, 202, 303, 404, 505]);
      expect(lines.sort()).toEqual(["square 0", "square 1", "square 2", "square 3", "square 4", "square 5"]);
    }
  }, 60_000);

  it("rejects with the job's error message, in a worker as in this thread", async () => {
    for (const workers of [1, 2]) {
      await expect(runJobs({ file: JOBS, name: "fail", fn: fail }, 4, (i) => ({ x: i }), { workers })).rejects.toThrow(/job 2 failed on purpose/);
    }
  }, 60_000);

  it("reads FACR_WORKERS, rejecting nonsense", () => {
    expect(defaultWorkers({ FACR_WORKERS: "3" })).toBe(3);
    expect(defaultWorkers({})).toBeGreaterThanOrEqual(1);
    expect(() => defaultWorkers({ FACR_WORKERS: "0" })).toThrow(/FACR_WORKERS must be a positive integer/);
    expect(() => defaultWorkers({ FACR_WORKERS: "two" })).toThrow(/FACR_WORKERS/);
  });
});
