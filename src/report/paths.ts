import * as path from "node:path";
import { checkProfile, Profile } from "../util/config";

/**
 * Where runs read and write, set by environment so the Makefile, the notebooks
 * and the command line agree:
 *
 *   FACR_PROFILE      smoke | quick | paper (default paper)
 *   FACR_RESULTS_DIR  result JSON/CSV (default: results/ for paper, build/<profile>/results otherwise)
 *   FACR_FIGURES_DIR  figures (default: figures/ for paper, build/<profile>/figures otherwise)
 *
 * The paper-profile results and figures are committed as the artifact's
 * reference outputs; smoke and quick runs never overwrite them.
 */
export function profileFromEnv(): Profile {
  return checkProfile(process.env.FACR_PROFILE ?? "paper", "FACR_PROFILE");
}

export function resultsDir(profile: Profile = profileFromEnv()): string {
  return process.env.FACR_RESULTS_DIR ?? (profile === "paper" ? "results" : path.join("build", profile, "results"));
}

export function figuresDir(profile: Profile = profileFromEnv()): string {
  return process.env.FACR_FIGURES_DIR ?? (profile === "paper" ? "figures" : path.join("build", profile, "figures"));
}

export function resultPath(name: string, profile: Profile = profileFromEnv()): string {
  return path.join(resultsDir(profile), name);
}
