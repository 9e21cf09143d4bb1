import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * A pool of worker threads running one exported job function over many inputs
 * — the independent trainings of an experiment (seeds × folds × arms). Each
 * worker is its own JavaScript realm with its own tfjs backend; a job's result
 * depends only on its input, so the results are the same numbers for any
 * number of workers, and they come back in input order. With one worker the
 * jobs run in this thread, through the same function.
 *
 *   FACR_WORKERS=n   how many workers (default: the machine's cores)
 */
export interface JobRef {
  /** Absolute path of the module a worker loads (a .ts file under tsx, or .js). */
  file: string;
  /** Name of the exported job function: `(input, log) => output | Promise<output>`. */
  name: string;
}

export type JobFn<I, O> = (input: I, log: (line: string) => void) => O | Promise<O>;

/** A job: the function itself (run in this thread with one worker) and where a worker finds it. */
export interface Job<I, O> extends JobRef {
  fn: JobFn<I, O>;
}

export interface PoolOptions<O> {
  /** Worker threads (capped at the number of jobs); ≤ 1 runs in this thread. */
  workers: number;
  /** Progress lines of the jobs. */
  log?: (line: string) => void;
  /** Called once per job, in input order (a job's result waits for its predecessors'). */
  onResult?: (index: number, output: O) => void;
}

/** FACR_WORKERS, else the number of cores. */
export function defaultWorkers(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const v = env.FACR_WORKERS;
  if (v === undefined || v.trim() === "") return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FACR_WORKERS must be a positive integer, got "${v}"`);
  return n;
}

/** Run `job` on inputs 0 … count−1 (`input(i)` is called lazily, in order) and return the outputs in order. */
export async function runJobs<I, O>(job: Job<I, O>, count: number, input: (i: number) => I, opts: PoolOptions<O>): Promise<O[]> {
  const log = opts.log ?? (() => {});
  const outputs: O[] = new Array(count);
  const workers = Math.min(Math.max(1, Math.floor(opts.workers)), count);
  if (workers <= 1) {
    for (let i = 0; i < count; i++) {
      outputs[i] = await job.fn(input(i), log);
      opts.onResult?.(i, outputs[i]);
    }
    return outputs;
  }

  const done = new Array<boolean>(count).fill(false);
  let flushed = 0;
  const flush = () => {
    while (flushed < count && done[flushed]) {
      opts.onResult?.(flushed, outputs[flushed]);
      flushed++;
    }
  };
  const entry = path.join(__dirname, `pool-worker${path.extname(__filename)}`);
  const execArgv = path.extname(__filename) === ".ts" ? ["--require", require.resolve("tsx/cjs")] : [];
  const ref: JobRef = { file: job.file, name: job.name };
  const pool = Array.from({ length: workers }, () => new Worker(entry, { execArgv, workerData: { job: ref } }));
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const dispatch = (w: Worker) => {
        if (next >= count) {
          if (running === 0) resolve();
          return;
        }
        const i = next++;
        running++;
        let message: unknown;
        try {
          message = { type: "job", index: i, input: input(i) };
        } catch (err) {
          reject(err);
          return;
        }
        w.postMessage(message);
      };
      for (const w of pool) {
        w.on("message", (m: WorkerMessage<O>) => {
          if (m.type === "log") log(m.line);
          else if (m.type === "error") reject(Object.assign(new Error(m.message), { stack: m.stack, name: m.name }));
          else {
            outputs[m.index] = m.output;
            done[m.index] = true;
            running--;
            try {
              flush();
            } catch (err) {
              reject(err);
              return;
            }
            dispatch(w);
          }
        });
        w.on("error", reject);
        w.on("exit", (code) => {
          if (code !== 0) reject(new Error(`runJobs: a worker exited with code ${code}`));
        });
      }
      for (const w of pool) dispatch(w);
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return outputs;
}

export type WorkerMessage<O> =
  | { type: "log"; line: string }
  | { type: "done"; index: number; output: O }
  | { type: "error"; index: number; message: string; name: string; stack?: string };

/** The ArrayBuffers of typed arrays in `value` that own their whole buffer (safe to transfer). */
export function transferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>()): ArrayBuffer[] {
  if (value === null || typeof value !== "object" || seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    if (b instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === b.byteLength && !out.includes(b)) out.push(b);
    return out;
  }
  for (const v of Object.values(value)) transferables(v, out, seen);
  return out;
}
