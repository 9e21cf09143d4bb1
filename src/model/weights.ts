import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { writeFileAtomic, writeJsonAtomic } from "../util/atomic";
import { FacrInputError } from "../util/errors";
import { parseJson } from "../util/json";

/**
 * Saving and loading the weights of facr's models — the Reasoner
 * (`facr-reasoner/1`), the audit's external head (`facr-external-reasoner/1`),
 * the verbalizer's language models (`facr-verbalizer-lm/1`) — in one on-disk
 * layout, a folder of two files:
 *
 *   <name>.json   the model's metadata: `format` ("<kind>/<version>": the model
 *                 decides what its version means), its config and whatever it
 *                 saves, and `weightsManifest`, tfjs's manifest
 *                 `[{ paths: ["weights.bin"], weights: [{ name, shape, dtype }, …] }]`
 *   weights.bin   the tensors, `tf.io.encodeWeights` of the model's variables
 *                 under their instance-independent names (`variableNames`)
 *
 * Both files are written atomically (weights.bin first, the JSON last). Loading
 * checks the format, that every variable has a weight of its shape, and
 * disposes what it allocated on every error path: the decoded tensors and the
 * half-loaded model.
 */
export const WEIGHTS_FILE = "weights.bin";

/** `weightsManifest` of a saved model (tfjs's weights manifest, one group). */
export type WeightsManifest = { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];

/** What a saved model exposes: its variables in a fixed order and their saved names. */
export interface WeightedModel {
  readonly variables: tf.Variable[];
  readonly variableNames: string[];
  dispose(): void;
}

/**
 * Save `model`'s variables to `<dir>/weights.bin` and the metadata `json(manifest)`
 * to `<dir>/<jsonName>` (the caller places `weightsManifest` among its keys).
 */
export async function saveWeights(dir: string, jsonName: string, model: WeightedModel, json: (weightsManifest: WeightsManifest) => Record<string, unknown>): Promise<void> {
  const named: tf.NamedTensorMap = {};
  const names = model.variableNames;
  model.variables.forEach((v, i) => (named[names[i]] = v));
  const { data, specs } = await tf.io.encodeWeights(named);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, WEIGHTS_FILE), new Uint8Array(data));
  writeJsonAtomic(path.join(dir, jsonName), json([{ paths: [WEIGHTS_FILE], weights: specs }]));
}

/**
 * The metadata `<dir>/<jsonName>` of a saved model, checked to be of `format`.
 * `what` names the model in the error when the file is missing ("reasoner").
 */
export function readSavedMeta<M extends object>(dir: string, jsonName: string, format: string, what: string): { file: string; meta: M & { format?: unknown; weightsManifest?: WeightsManifest } } {
  const file = path.join(dir, jsonName);
  if (!fs.existsSync(file)) throw new FacrInputError(`no saved ${what} here (${jsonName} missing)`, { file: dir });
  const meta = parseJson(fs.readFileSync(file, "utf8"), file) as M & { format?: unknown; weightsManifest?: WeightsManifest };
  if (meta.format !== format) throw new FacrInputError(`expected format "${format}", got ${JSON.stringify(meta.format)}`, { file, field: "format" });
  return { file, meta };
}

/**
 * Build a model with `build` and set its variables from the weights saved next
 * to `file` (the model's JSON, whose `weightsManifest` is `manifest`). Every
 * variable needs a weight of the same name and shape. On any error the model
 * and the decoded tensors are disposed: nothing is left allocated.
 */
export function loadWeights<T extends WeightedModel>(file: string, manifest: WeightsManifest | undefined, build: () => T): T {
  const group = manifest?.[0];
  if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new FacrInputError("no weights manifest ([{ paths, weights }])", { file, field: "weightsManifest" });
  const binName = group.paths[0] ?? WEIGHTS_FILE;
  const weightsFile = path.join(path.dirname(file), binName);
  if (!fs.existsSync(weightsFile)) throw new FacrInputError("weights file missing", { file: weightsFile });
  const bin = fs.readFileSync(weightsFile);
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const model = build();
  try {
    // the decoded tensors live in the tidy: freed after the assignments, and when decoding or a check throws
    tf.tidy(() => {
      let weights: tf.NamedTensorMap;
      try {
        weights = tf.io.decodeWeights(buffer, group.weights);
      } catch (err) {
        throw new FacrInputError(`does not match the manifest of ${path.basename(file)}: ${(err as Error).message}`, { file: weightsFile });
      }
      const names = model.variableNames;
      model.variables.forEach((v, i) => {
        const w = weights[names[i]];
        if (!w) throw new FacrInputError(`weight "${names[i]}" missing from ${binName}`, { file, field: "weightsManifest" });
        if (w.shape.join() !== v.shape.join()) throw new FacrInputError(`weight "${names[i]}" has shape [${w.shape}], expected [${v.shape}]`, { file, field: "weightsManifest" });
        v.assign(w);
      });
    });
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
