import { quantileSorted } from "../util/bootstrap";
import { checkNumber } from "../util/options";

/**
 * In-support intervention values (spec §11.2): hi_k is the q-th quantile (type 7,
 * default the 95th percentile) of AU k's *non-zero* training intensities, on z's
 * scale (intensity / max, as the AU targets of `ReasonerRows`). do(z_k := hi_k)
 * then stays where the training data has been, instead of FACS intensity E
 * (z = 1), which several AUs never reach. An AU without a non-zero training
 * value keeps hi = 1 and is listed in `unsupported`.
 */
export interface InSupportValues {
  hi: number[];
  /** AUs (indices) with no non-zero training value: hi = 1 for them. */
  unsupported: number[];
  quantile: number;
}

/** `au`: N × K targets in [0, 1], NaN = not coded (left out). */
export function inSupportHi(au: ArrayLike<number>, K: number, quantile = 0.95): InSupportValues {
  const q = checkNumber(quantile, "quantile", { min: 0, max: 1 });
  if (au.length % K !== 0) throw new Error(`inSupportHi: ${au.length} values are not rows of ${K} AUs`);
  const N = au.length / K;
  const hi: number[] = [];
  const unsupported: number[] = [];
  for (let k = 0; k < K; k++) {
    const nz: number[] = [];
    for (let i = 0; i < N; i++) {
      const v = au[i * K + k];
      if (v > 0) nz.push(v); // NaN > 0 is false: uncoded entries drop out
    }
    if (!nz.length) {
      hi.push(1);
      unsupported.push(k);
      continue;
    }
    nz.sort((a, b) => a - b);
    hi.push(quantileSorted(nz, q));
  }
  return { hi, unsupported, quantile: q };
}
