import * as tf from "@tensorflow/tfjs";
import { eraser, RationaleMask } from "../faithfulness/eraser";
import { EncoderHead, scoreRows } from "./score";

/**
 * Decision-level measures of spec §11.5 that need the model, not only its
 * effects: how much of the decision each channel carries (detection with h, or
 * z, replaced by its training mean) and ERASER comprehensiveness / sufficiency
 * of a rationale on z. Rows are scored in chunks, each chunk one batched call.
 */

type FeatureRows = { x: Float32Array; D: number; N: number };

const chunkOf = (rows: FeatureRows, start: number, n: number) => tf.tensor2d(rows.x.subarray(start * rows.D, (start + n) * rows.D), [n, rows.D]);

/** Means of z [K] and h [d] over rows (the training rows: the "mean-ablation" values). */
export function channelMeans(model: EncoderHead, rows: FeatureRows, chunk = 4096): { z: Float32Array; h: Float32Array } {
  let zSum: Float64Array | null = null;
  let hSum: Float64Array | null = null;
  for (let start = 0; start < rows.N; start += chunk) {
    const n = Math.min(chunk, rows.N - start);
    const [zs, hs] = tf.tidy(() => {
      const { z, h } = model.encode(chunkOf(rows, start, n));
      return [z.sum(0).dataSync() as Float32Array, h.sum(0).dataSync() as Float32Array];
    });
    zSum ??= new Float64Array(zs.length);
    hSum ??= new Float64Array(hs.length);
    zs.forEach((v, k) => (zSum![k] += v));
    hs.forEach((v, k) => (hSum![k] += v));
  }
  if (!zSum || !hSum) throw new Error("channelMeans: no rows");
  const N = rows.N;
  return { z: Float32Array.from(zSum, (v) => v / N), h: Float32Array.from(hSum, (v) => v / N) };
}

/**
 * Class probabilities with one channel replaced by a constant vector (its
 * training mean): "h" ablated shows what z alone decides, "z" ablated what the
 * bypass h alone decides.
 */
export function probsWithChannelFixed(model: EncoderHead, rows: FeatureRows, channel: "z" | "h", value: Float32Array, chunk = 2048): Float32Array {
  return scoreRows({
    head: model.head,
    N: rows.N,
    K: model.K,
    C: model.C,
    graphs: [],
    chunk,
    inputs: (start, n) => {
      const { z, h } = model.encode(chunkOf(rows, start, n));
      const fixed = (t: tf.Tensor2D) => tf.tile(tf.tensor2d(value, [1, value.length]), [t.shape[0], 1]) as tf.Tensor2D;
      return channel === "z" ? { z: fixed(z), h } : { z, h: fixed(h) };
    },
  }).probs;
}

/** ERASER comprehensiveness and sufficiency (probability of the predicted class) per row, for a rationale mask [N, K]. */
export function eraserOnRows(model: EncoderHead, rows: FeatureRows, rationale: RationaleMask, opts: { lo?: number; chunk?: number } = {}): { comprehensiveness: Float32Array; sufficiency: Float32Array } {
  const chunk = opts.chunk ?? 2048;
  const K = model.K;
  if (rationale.length !== rows.N * K) throw new Error(`eraserOnRows: mask holds ${rationale.length} entries for ${rows.N} rows × ${K} AUs`);
  const comprehensiveness = new Float32Array(rows.N);
  const sufficiency = new Float32Array(rows.N);
  for (let start = 0; start < rows.N; start += chunk) {
    const n = Math.min(chunk, rows.N - start);
    const { z, h } = tf.tidy(() => model.encode(chunkOf(rows, start, n)));
    try {
      const r = eraser(model.head, z, h, rationale.subarray(start * K, (start + n) * K), opts.lo === undefined ? {} : { lo: opts.lo });
      comprehensiveness.set(r.comprehensiveness, start);
      sufficiency.set(r.sufficiency, start);
    } finally {
      tf.dispose([z, h]);
    }
  }
  return { comprehensiveness, sufficiency };
}
