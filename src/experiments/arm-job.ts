import { backendInfo, BackendPreference, initBackend, preferenceOf } from "../model/backend";
import { runJobs } from "../util/pool";
import { trainAndEvaluateArm } from "./arms";

/**
 * One arm's training and evaluation as a job for the worker pool: everything
 * `trainAndEvaluateArm` needs but the log function, plus the backend to start
 * in a worker (the one the experiment runs on, so the numbers are the same
 * whichever thread trains).
 */
export type ArmJob = Omit<Parameters<typeof trainAndEvaluateArm>[0], "log"> & { backend: BackendPreference };
export type ArmJobResult = ReturnType<typeof trainAndEvaluateArm>;

export async function trainArmJob(job: ArmJob, log: (line: string) => void): Promise<ArmJobResult> {
  if (!backendInfo()) await initBackend(job.backend, { quiet: true });
  const { backend: _backend, ...arm } = job;
  return trainAndEvaluateArm({ ...arm, log });
}

/** The backend a job should start: the one this process runs on. */
export function jobBackend(): BackendPreference {
  const b = backendInfo();
  if (!b) throw new Error("jobBackend: initBackend has not run");
  return preferenceOf(b.name);
}

/** Train `count` arms (`job(i)` built lazily, in order) on `workers` threads; `onResult` sees them in order. */
export function trainArms(count: number, job: (i: number) => Omit<ArmJob, "backend">, opts: { workers: number; log: (line: string) => void; onResult: (i: number, r: ArmJobResult) => void }): Promise<ArmJobResult[]> {
  const backend = jobBackend();
  return runJobs<ArmJob, ArmJobResult>({ file: __filename, name: "trainArmJob", fn: trainArmJob }, count, (i) => ({ ...job(i), backend }), opts);
}
