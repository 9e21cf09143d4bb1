import * as path from "node:path";
import { FacrInputError } from "../util/errors";
import { Seed } from "../util/random";
import { loadCkPlusEmotion, subjectDomains } from "./ckplus-protocol";
export { CKPLUS_ROLE_SHARES, CONTEMPT_SKIP, loadCkPlusEmotion, remapEmotionLabels, subjectDomains, UNLABELLED_SKIP } from "./ckplus-protocol";
import { Dataset } from "./dataset";
import { loadUnbc } from "./loaders";
import { isFolder } from "./loaders/text-files";

/**
 * Which data the experiments run on, decided in ONE place from the environment
 * (used by `src/cli.ts`, by `runPspiExperiment` / `runEmotionTransfer` when no
 * data is passed in, and by the notebooks):
 *
 *   FACR_UNBC_DIR    a UNBC-McMaster root (Frame_Labels/, AAM_landmarks/, …):
 *                    the PSPI experiment runs on it instead of SynPain.
 *   FACR_CKPLUS_DIR  a CK+ root (Emotion/, FACS/, Landmarks/): the emotion
 *                    experiment runs on it instead of SynEmotion.
 *
 * Unset or empty: the synthetic data (SynPain, SynEmotion). A set variable
 * that does not point at a readable dataset is an input error naming the
 * variable and the folder, never a silent fall-back to synthetic data.
 *
 *
 * The CK+ subject-partition protocol itself is in `./ckplus-protocol.ts`.
 */
export const DATA_ENV = { unbc: "FACR_UNBC_DIR", ckplus: "FACR_CKPLUS_DIR" } as const;

type Env = Readonly<Record<string, string | undefined>>;

/** The folder a variable names, or null when unset/empty; a set variable must name a folder. */
function dirFromEnv(name: string, env: Env): string | null {
  const v = env[name];
  if (v === undefined || v.trim() === "") return null;
  const dir = path.resolve(v.trim());
  if (!isFolder(dir)) throw new FacrInputError(`${name} is set but is not a folder`, { file: dir, field: name });
  return dir;
}

/** FACR_UNBC_DIR as an absolute folder, or null when unset. */
export function unbcDirFromEnv(env: Env = process.env): string | null {
  return dirFromEnv(DATA_ENV.unbc, env);
}

/** FACR_CKPLUS_DIR as an absolute folder, or null when unset. */
export function ckplusDirFromEnv(env: Env = process.env): string | null {
  return dirFromEnv(DATA_ENV.ckplus, env);
}

/** Load a UNBC-McMaster root for the PSPI experiment (sequence labels read when their folder is there; they are not used). */
export function loadUnbcForPspi(dir: string): Dataset {
  const withSeq = isFolder(path.join(dir, "Sequence_Labels"));
  return loadUnbc(dir, { name: `UNBC-McMaster (${dir})`, sequenceLabels: withSeq });
}

/** The PSPI experiment's dataset from FACR_UNBC_DIR, or null (→ SynPain). */
export function pspiDatasetFromEnv(env: Env = process.env): Dataset | null {
  const dir = unbcDirFromEnv(env);
  return dir === null ? null : loadUnbcForPspi(dir);
}

/** The emotion experiment's domains from FACR_CKPLUS_DIR (subject partition, `./ckplus-protocol.ts`), or null (→ SynEmotion). */
export function emotionDomainsFromEnv(seed: Seed, env: Env = process.env): { source: Dataset; target: Dataset; graphSource: Dataset } | null {
  const dir = ckplusDirFromEnv(env);
  return dir === null ? null : subjectDomains(loadCkPlusEmotion(dir), seed);
}

/** One line per experiment saying which data it will use (for logs and notebooks). */
export function describeDataFromEnv(env: Env = process.env): { pspi: string; emotion: string } {
  const unbc = unbcDirFromEnv(env);
  const ck = ckplusDirFromEnv(env);
  return {
    pspi: unbc ? `UNBC-McMaster from ${DATA_ENV.unbc}=${unbc} (real data)` : `SynPain (SYNTHETIC; set ${DATA_ENV.unbc} to use UNBC-McMaster)`,
    emotion: ck
      ? `CK+ from ${DATA_ENV.ckplus}=${ck} (real data; subjects partitioned into graph-source / source / target)`
      : `SynEmotion (SYNTHETIC; set ${DATA_ENV.ckplus} to use CK+)`,
  };
}
