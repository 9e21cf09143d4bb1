/**
 * Transposed matMuls on the wasm backend: the native kernel with a transpose
 * flag against an explicit transpose and a plain matMul (what
 * src/model/wasm-matmul.ts does), at the shapes of a FACR training step's
 * backward pass (B = 256, 1024, 4096; 22·B intervened rows for the head). The
 * NATIVE_TRANSPOSE_A_MAX_COLUMNS rule there is read off this table.
 *
 *   npx tsx bench/matmul-transpose.ts
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { patchWasmMatMul } from "../src/model/wasm-matmul";
(async () => {
  await tf.setBackend("wasm");
  const cases: [string, number, number, number][] = [];
  for (const B of [256, 1024, 4096]) {
    const M = 22 * B;
    cases.push(["A", M, 32, 2], ["A", M, 11, 32], ["A", M, 16, 32], ["A", B, 141, 128], ["A", B, 128, 64], ["A", B, 64, 11]);
    cases.push(["B", M, 2, 32], ["B", M, 32, 11], ["B", M, 32, 16], ["B", B, 128, 141], ["B", B, 64, 128], ["B", B, 11, 64]);
  }
  const time = (f: () => tf.Tensor) => { const t: number[] = []; for (let i = 0; i < 9; i++) { const t0 = performance.now(); const y = f(); y.dataSync(); y.dispose(); if (i > 1) t.push(performance.now() - t0); } return t.sort((a, b) => a - b)[t.length >> 1]; };
  const make = (c: [string, number, number, number]) => {
    const [kind, M, k, n] = c;
    // A: a [M,k]ᵀ · b [M,n]  → [k,n];  B: a [M,k] · b [n,k]ᵀ → [M,n]
    return kind === "A" ? [tf.randomNormal([M, k]), tf.randomNormal([M, n])] : [tf.randomNormal([M, k]), tf.randomNormal([n, k])];
  };
  const native: number[] = [];
  for (const c of cases) { const [a, b] = make(c); native.push(time(() => c[0] === "A" ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false) : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true))); tf.dispose([a, b]); }
  patchWasmMatMul();
  cases.forEach((c, i) => {
    const [a, b] = make(c);
    const e = time(() => c[0] === "A" ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false) : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true));
    console.log(`${c[0] === "A" ? "aᵀ·b" : "a·bᵀ"} a [${c[1]}, ${c[2]}] b ${c[0] === "A" ? `[${c[1]}, ${c[3]}]` : `[${c[3]}, ${c[2]}]`}: native ${native[i].toFixed(2)} ms, explicit transpose ${e.toFixed(2)} ms → ${native[i] < e ? "NATIVE" : "explicit"}`);
    tf.dispose([a, b]);
  });
})();
