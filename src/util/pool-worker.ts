import { parentPort, workerData } from "node:worker_threads";
import { JobFn, JobRef, transferables, WorkerMessage } from "./pool";

/** The worker side of `runJobs`: load the job function once, run the inputs it is sent, send back outputs (typed arrays transferred). */
const job = (workerData as { job: JobRef }).job;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fn = require(job.file)[job.name] as JobFn<unknown, unknown>;
if (typeof fn !== "function") throw new Error(`pool worker: ${job.file} exports no function ${job.name}`);
const port = parentPort!;
const send = (m: WorkerMessage<unknown>, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on("message", async (m: { type: "job"; index: number; input: unknown }) => {
  try {
    const output = await fn(m.input, (line) => send({ type: "log", line }));
    send({ type: "done", index: m.index, output }, transferables(output));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: "error", index: m.index, message: e.message, name: e.name, stack: e.stack });
  }
});
