import * as tf from "@tensorflow/tfjs";

/**
 * tfjs-backend-wasm 4.22 multiplies matrices ~10× more slowly when asked to
 * transpose an operand (`transposeA` / `transposeB`) than when it receives the
 * operand already transposed (measured here: [256,140]ᵀ·[256,128] 7.4 ms vs
 * 0.6 ms). Every matMul gradient asks for a transposed operand, so training
 * spends most of its time there. This replaces the wasm `BatchMatMul` kernel by
 * one that transposes explicitly (the wasm Transpose kernel) and then multiplies
 * without flags: the same product, only faster. Applied once by `initBackend`
 * when the wasm backend is selected.
 *
 * Except where the native kernel is faster, chosen by shape from measurements
 * (bench/matmul-transpose.ts, 2-core machine): aᵀ·b with a narrow b (the head's
 * last weight gradient, [22528, 32]ᵀ·[22528, 2]: native 0.85 ms, explicit
 * 5.2 ms — transposing the tall a costs more than the product), while for
 * b with 16 or more columns and for every a·bᵀ the explicit transpose wins 3–10×.
 */
export const NATIVE_TRANSPOSE_A_MAX_COLUMNS = 4;

let patched = false;

export function patchWasmMatMul(): boolean {
  if (patched) return true;
  const orig = tf.getKernel("BatchMatMul", "wasm");
  const transpose = tf.getKernel("Transpose", "wasm");
  if (!orig || !transpose) return false;
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({
    kernelName: "BatchMatMul",
    backendName: "wasm",
    setupFunc: orig.setupFunc,
    disposeFunc: orig.disposeFunc,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return orig.kernelFunc({ inputs, backend, attrs });
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (transposeA && !transposeB && b.shape[b.shape.length - 1] <= NATIVE_TRANSPOSE_A_MAX_COLUMNS) return orig.kernelFunc({ inputs, backend, attrs });
      const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
        const perm = t.shape.map((_, i) => i);
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
      };
      const at = transposeA ? swapLast(a) : a;
      const bt = transposeB ? swapLast(b) : b;
      const out = orig.kernelFunc({
        inputs: { a: at, b: bt },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap,
      });
      const wasm = backend as unknown as { disposeData(id: object): void };
      if (at !== a) wasm.disposeData(at.dataId);
      if (bt !== b) wasm.disposeData(bt.dataId);
      return out;
    },
  });
  patched = true;
  return true;
}
