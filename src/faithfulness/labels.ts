import * as tf from "@tensorflow/tfjs";

/** Class indices, one per sample: a plain array, an Int32Array or an int32 Tensor1D. */
export type ClassIndices = readonly number[] | Int32Array | tf.Tensor1D;

/** Read class indices into an Int32Array, checking length and range. */
export function toClassArray(labels: ClassIndices, N: number, C: number, name: string): Int32Array {
  const arr = labels instanceof tf.Tensor ? Int32Array.from(labels.dataSync()) : Int32Array.from(labels as ArrayLike<number>);
  if (arr.length !== N) throw new Error(`${name}: expected ${N} class indices (one per sample), got ${arr.length}`);
  for (let i = 0; i < N; i++) {
    const v = labels instanceof tf.Tensor ? arr[i] : (labels as ArrayLike<number>)[i];
    if (!Number.isInteger(v) || v < 0 || v >= C) throw new Error(`${name}[${i}]: class index must be an integer in [0, ${C}), got ${v}`);
  }
  return arr;
}
