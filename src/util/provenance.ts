import { execFileSync } from "node:child_process";
import * as os from "node:os";

/** Where a result came from: code version, backend, machine, time. Stored in every result file. */
export interface Provenance {
  /** `git rev-parse HEAD`, or "unknown" outside a checkout. */
  commit: string;
  /** True when src/ or bench/ had uncommitted changes (tracked or new files) when the run started. */
  dirty: boolean;
  backend: string;
  node: string;
  platform: string;
  cpus: number;
  startedAt: string;
}

/** Run metadata; `backend` is the tfjs backend the run used (`backendInfo()?.name`). */
export function provenance(startedAt: Date, backend: string): Provenance {
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  };
  const commit = git(["rev-parse", "HEAD"]) ?? "unknown";
  const status = git(["status", "--porcelain", "--", "src", "bench"]);
  return {
    commit,
    dirty: status === null ? false : status.length > 0,
    backend,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    startedAt: startedAt.toISOString(),
  };
}
