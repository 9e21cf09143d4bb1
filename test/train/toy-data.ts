import { ReasonerRows } from "../../src/model/rows";
import { Rng } from "../../src/util/random";

/** x = a noisy linear view of the AUs plus noise dims; label = PSPI-like rule on the AUs. */
export function toyData(N: number, seed: number): ReasonerRows {
  const rng = new Rng(seed);
  const K = 11;
  const D = 20;
  const mix = Array.from({ length: K * D }, () => rng.normal(0, 1));
  const x = new Float32Array(N * D);
  const au = new Float32Array(N * K);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) au[i * K + k] = rng.bernoulli(0.2) ? rng.uniform(0.2, 1) : 0;
    for (let j = 0; j < D; j++) {
      let s = rng.normal(0, 0.1);
      for (let k = 0; k < K; k++) s += mix[k * D + j] * au[i * K + k];
      x[i * D + j] = s;
    }
    y[i] = au[i * K + 0] + au[i * K + 1] + au[i * K + 10] > 0 ? 1 : 0;
  }
  return { x, D, au, K, y, N };
}
