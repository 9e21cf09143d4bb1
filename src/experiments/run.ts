import * as path from "node:path";
import { backendInfo, initBackend } from "../model/backend";
import { writeJsonAtomic } from "../util/atomic";
import { configHash, DeepPartial, Profile } from "../util/config";
import { defaultWorkers } from "../util/pool";
import { provenance, Provenance } from "../util/provenance";

/**
 * The envelope every experiment runs in: resolve the profile and overrides
 * once, start the tfjs backend, time the run, stamp the result with its config
 * hash and provenance, write it atomically, print its summary. The experiment's
 * body only computes; its data comes in through its options (the CLI and the
 * notebooks decide, from the environment, which data that is).
 */
export interface RunOptions<Cfg> {
  /** Default "paper". */
  profile?: Profile;
  overrides?: DeepPartial<Cfg>;
  /** Write the result JSON here (atomically). */
  out?: string;
  /** Progress lines (default: console.log). Pass `() => {}` for silence. */
  log?: (line: string) => void;
  /** Worker threads for the independent trainings (default FACR_WORKERS, else the cores). The numbers do not depend on it. */
  workers?: number;
}

/** What the body of an experiment gets. */
export interface RunContext<Cfg> {
  profile: Profile;
  cfg: Cfg;
  log: (line: string) => void;
  /** Seconds since the run started. */
  elapsed(): number;
  /** Worker threads for independent trainings. */
  workers: number;
}

/** Fields the envelope adds to every result. */
export interface Stamp {
  profile: Profile;
  configHash: string;
  provenance: Provenance;
  durations: { totalSeconds: number };
}

/** A result as its body returns it: without the envelope's fields, its durations without the total. */
export type Unstamped<R extends Stamp> = Omit<R, keyof Stamp> & { durations: Omit<R["durations"], "totalSeconds"> };

export interface ExperimentSpec<Cfg, R extends Stamp> {
  /** Prefix of progress lines, e.g. "pspi". */
  name: string;
  resolve: (profile: Profile, overrides: DeepPartial<Cfg> | undefined) => Cfg;
  /** What the config hash covers (default the config). */
  hashOf?: (cfg: Cfg, profile: Profile) => unknown;
  format: (r: R) => string;
}

export async function runExperiment<Cfg, R extends Stamp>(spec: ExperimentSpec<Cfg, R>, opts: RunOptions<Cfg>, body: (ctx: RunContext<Cfg>) => Promise<Unstamped<R>> | Unstamped<R>): Promise<R> {
  const t0 = performance.now();
  const started = new Date();
  const profile = opts.profile ?? "paper";
  const log = opts.log ?? ((line: string) => console.log(line));
  const cfg = spec.resolve(profile, opts.overrides);
  await initBackend();
  const elapsed = () => (performance.now() - t0) / 1000;
  const workers = opts.workers ?? defaultWorkers();
  const body_ = await body({ profile, cfg, log, elapsed, workers });
  const result = {
    ...body_,
    profile,
    configHash: configHash(spec.hashOf ? spec.hashOf(cfg, profile) : cfg),
    provenance: provenance(started, backendInfo()?.name ?? "none"),
    durations: { totalSeconds: elapsed(), ...body_.durations },
  } as unknown as R;
  if (opts.out) {
    writeJsonAtomic(opts.out, result);
    log(`[${spec.name}] wrote ${path.relative(process.cwd(), opts.out)}`);
  }
  log(spec.format(result));
  return result;
}
