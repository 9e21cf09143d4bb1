import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { patchWasmMatMul } from "./wasm-matmul";

/**
 * Run-time backend selection (ARCHITECTURE.md, toolchain facts):
 *
 * 1. `@tensorflow/tfjs-node-gpu` (an optional dependency) when it loads — it needs
 *    libtensorflow and CUDA, which its install script downloads, so on a machine
 *    without them the package is skipped or fails to load;
 * 2. else the WebAssembly backend (SIMD, one thread under Node, ~5–40× faster than
 *    `cpu` here);
 * 3. else the pure-JS `cpu` backend.
 *
 * `FACR_BACKEND=node-gpu|wasm|cpu` forces one (an error if it cannot load).
 * Every result records the backend it ran on: numbers are reproducible for the
 * same seed *and* backend, not across backends.
 */
export type BackendPreference = "auto" | "node-gpu" | "wasm" | "cpu";

export interface BackendInfo {
  /** tfjs backend name: "tensorflow" (node-gpu), "wasm" or "cpu". */
  name: string;
  preference: BackendPreference;
  /** Why earlier choices were passed over, e.g. "node-gpu: not installed". */
  skipped: string[];
}

let current: BackendInfo | null = null;

const PREFERENCES: readonly BackendPreference[] = ["auto", "node-gpu", "wasm", "cpu"];

/**
 * Select and initialize the backend once per process; later calls return the
 * same answer (pass `force` to select again).
 */
export async function initBackend(
  preference: BackendPreference = (process.env.FACR_BACKEND as BackendPreference | undefined) ?? "auto",
  opts: { force?: boolean; quiet?: boolean } = {},
): Promise<BackendInfo> {
  if (current && !opts.force && (preference === "auto" || preference === current.preference)) return current;
  if (!PREFERENCES.includes(preference)) {
    throw new Error(`FACR_BACKEND / backend must be one of ${PREFERENCES.join(", ")}, got "${preference}"`);
  }
  const skipped: string[] = [];
  const order: Exclude<BackendPreference, "auto">[] = preference === "auto" ? ["node-gpu", "wasm", "cpu"] : [preference];
  for (const choice of order) {
    const why = await tryBackend(choice);
    if (why === null) {
      if (tf.getBackend() === "wasm") patchWasmMatMul();
      current = { name: tf.getBackend(), preference, skipped };
      if (!opts.quiet && process.env.FACR_QUIET !== "1") {
        // information, not an error: on stdout (Jupyter paints stderr as an error box)
        console.log(`[facr] tfjs backend: ${current.name}${skipped.length ? ` (skipped ${skipped.join("; ")})` : ""}`);
      }
      return current;
    }
    skipped.push(`${choice}: ${why}`);
  }
  throw new Error(`no usable tfjs backend: ${skipped.join("; ")}`);
}

/** The preference that selects a backend of this name ("tensorflow" → "node-gpu"). */
export function preferenceOf(name: string): BackendPreference {
  if (name === "tensorflow") return "node-gpu";
  if (name === "wasm" || name === "cpu") return name;
  throw new Error(`unknown tfjs backend "${name}"`);
}

/** The backend chosen by `initBackend`, or null before it ran. */
export function backendInfo(): BackendInfo | null {
  return current;
}

async function tryBackend(choice: Exclude<BackendPreference, "auto">): Promise<string | null> {
  try {
    if (choice === "node-gpu") {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("@tensorflow/tfjs-node-gpu");
      return (await tf.setBackend("tensorflow")) ? null : "registered but failed to initialize";
    }
    return (await tf.setBackend(choice)) ? null : "failed to initialize";
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    if (/Cannot find module '@tensorflow\/tfjs-node-gpu'/.test(msg)) return "not installed";
    return msg.split("\n")[0];
  }
}
