import * as tf from "@tensorflow/tfjs";
import { CausalGraph, groupPartners } from "../graph/graph";
import { checkKeys, checkNumber } from "../util/options";

/**
 * A reasoning head H(z, h) → logits: z [N, K] AU activations in the graph's AU
 * order, h [N, d] the free embedding (the bypass). Any function of this shape
 * works: a trained tfjs model, a hand-written formula, or a head that ignores one
 * of its inputs.
 */
export type Head = (z: tf.Tensor2D, h: tf.Tensor2D) => tf.Tensor2D;

/**
 * A head whose first layer is linear in (z, h): a = z·W_z + h·W_h + b, then
 * logits = rest(a). An intervention on z changes a by a low-rank correction,
 * Σ_j (z'_j − z_j)·W_z[j] over the AUs it writes (the AU and its group
 * partners), so `interventionEffects` computes a once per sample and adds the
 * corrections instead of running the first layer on all N·P·2 intervened rows
 * (the h part of them above all). Every Reasoner head is one (`Reasoner.head`).
 */
export interface LinearFirstLayer {
  /** W_z [K, H1], read at call time (inside the caller's tidy). */
  wz(): tf.Tensor2D;
  /** The factual pre-activation z·W_z + h·W_h + b [N, H1]. */
  pre(z: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D;
  /** Pre-activations [M, H1] → logits [M, C]. */
  rest(a: tf.Tensor2D): tf.Tensor2D;
}

/** A Head that also exposes its linear first layer (see LinearFirstLayer). */
export type FactoredHead = Head & { readonly firstLayer?: LinearFirstLayer };

export type EffectScale = "logodds" | "prob";

export interface EffectOptions {
  /** Value of the "high" arm of do(z_k := hi): a number for every AU, or one per AU. Default 1. */
  hi?: number | readonly number[];
  /** Value of the "low" arm, also given to a group's other members in both arms. Default 0. */
  lo?: number | readonly number[];
  /**
   * "logodds" (default): ℓ_c = l_c − logsumexp_{j≠c} l_j, in nats — does not
   * saturate. "prob": p_c = softmax(l)_c.
   */
  scale?: EffectScale;
  /**
   * "generic" (default): run the head on every intervened row. "lowRank": for a
   * head with a linear first layer (`FactoredHead.firstLayer`), the factual
   * pre-activation plus low-rank corrections (same Δ and gradients to float32
   * rounding). Measured with bench/low-rank.ts on the wasm backend (encoder + Δ
   * + L_cf forward and backward, PSPI sizes, biases through model/bias-add):
   * low-rank / generic time 1.07–1.21 on the PSPI graph for 256–4096 rows,
   * 0.96–1.09 on the FACS prototype graph; Δ alone 0.92–1.01. Fewer FLOPs do
   * not pay here: the kernels it adds cost what the first layer's h part saves,
   * so it is not the default. A backend with cheaper kernel launches may differ.
   */
  path?: "generic" | "lowRank";
  /**
   * Evaluate at most this many samples per head call (each chunk is still one
   * batched call over all its interventions). Default: all N at once — what the
   * training loss needs. Use it to bound memory when auditing many frames.
   */
  chunkSize?: number;
}

const EFFECT_OPTION_KEYS = ["hi", "lo", "scale", "chunkSize", "path"] as const;


/**
 * The do-interventions of one graph, precomputed: each *pattern* is an AU k plus
 * the AUs forced to `lo` with it (its substitute-group partners for some class).
 * Usually one pattern per AU; more when an AU's partners differ between classes.
 */
export interface InterventionPlan {
  readonly K: number;
  readonly C: number;
  /** Per pattern: the intervened AU and its group partners. */
  readonly patterns: readonly { k: number; partners: readonly number[] }[];
  /** patternOf[k][c]: the pattern whose Δ is reported for AU k and class c. */
  readonly patternOf: readonly (readonly number[])[];
  readonly hi: Float32Array;
  readonly lo: Float32Array;
}

export function interventionPlan(graph: CausalGraph, opts: Pick<EffectOptions, "hi" | "lo"> = {}): InterventionPlan {
  const K = graph.aus.length;
  const C = graph.classes.length;
  const hi = perAu(opts.hi ?? 1, K, "hi");
  const lo = perAu(opts.lo ?? 0, K, "lo");
  const patterns: { k: number; partners: number[] }[] = [];
  const key = new Map<string, number>();
  const patternOf = graph.aus.map((_, k) =>
    graph.classes.map((_c, c) => {
      const partners = groupPartners(graph, k, c).sort((a, b) => a - b);
      const id = `${k}|${partners.join(",")}`;
      let p = key.get(id);
      if (p === undefined) {
        p = patterns.length;
        patterns.push({ k, partners });
        key.set(id, p);
      }
      return p;
    }),
  );
  return { K, C, patterns, patternOf, hi, lo };
}

function perAu(v: number | readonly number[], K: number, name: string): Float32Array {
  if (typeof v === "number") return new Float32Array(K).fill(checkNumber(v, name));
  if (!Array.isArray(v) || v.length !== K) throw new Error(`option ${name}: expected a number or ${K} numbers (one per AU), got ${JSON.stringify(v)}`);
  return Float32Array.from(v, (x, k) => checkNumber(x, `${name}[${k}]`));
}

/**
 * Intervention effects Δ [N, K, C] (spec §3):
 *
 *     Δ[i,k,c] = s_c(H(z_i with z_k ← hi, h_i)) − s_c(H(z_i with z_k ← lo, h_i))
 *
 * where s is the class log-odds (default) or probability, and the other members of
 * k's substitute group for class c are set to `lo` in both arms. All N·P·2
 * intervened latents (P patterns, P = K unless groups differ between classes) go
 * through `head` in one batched call. Differentiable with respect to anything
 * `head` closes over.
 */
export function interventionEffects(head: Head, z: tf.Tensor2D, h: tf.Tensor2D, graph: CausalGraph, opts: EffectOptions = {}): tf.Tensor3D {
  checkKeys(opts, EFFECT_OPTION_KEYS, "interventionEffects options");
  const scale = opts.scale ?? "logodds";
  if (scale !== "logodds" && scale !== "prob") throw new Error(`option scale must be "logodds" or "prob", got ${JSON.stringify(scale)}`);
  const plan = interventionPlan(graph, opts);
  checkShapes(z, h, plan);
  const N = z.shape[0];
  const chunk = opts.chunkSize === undefined ? N : checkNumber(opts.chunkSize, "chunkSize", { min: 1, integer: true });
  const path = opts.path ?? "generic";
  if (path !== "lowRank" && path !== "generic") throw new Error(`option path must be "generic" or "lowRank", got ${JSON.stringify(path)}`);
  const first = path === "lowRank" ? (head as FactoredHead).firstLayer : undefined;
  const batch = (zb: tf.Tensor2D, hb: tf.Tensor2D) => (first ? effectsLowRank(first, zb, hb, plan, scale) : effectsOfBatch(head, zb, hb, plan, scale));
  if (chunk >= N) return batch(z, h);
  const parts: tf.Tensor3D[] = [];
  for (let start = 0; start < N; start += chunk) {
    const size = Math.min(chunk, N - start);
    parts.push(
      tf.tidy(() => batch(z.slice([start, 0], [size, -1]), h.slice([start, 0], [size, -1]))),
    );
  }
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

function checkShapes(z: tf.Tensor2D, h: tf.Tensor2D, plan: InterventionPlan): void {
  if (z.rank !== 2 || z.shape[1] !== plan.K) {
    throw new Error(`interventionEffects: z must be [N, ${plan.K}] (one column per graph AU), got [${z.shape}]`);
  }
  if (h.rank !== 2 || h.shape[0] !== z.shape[0]) {
    throw new Error(`interventionEffects: h must be [${z.shape[0]}, d] (one row per sample of z), got [${h.shape}]`);
  }
  if (plan.C < 2) throw new Error("interventionEffects: a graph needs at least 2 classes for class log-odds");
}

function effectsOfBatch(head: Head, z: tf.Tensor2D, h: tf.Tensor2D, plan: InterventionPlan, scale: EffectScale): tf.Tensor3D {
  return tf.tidy(() => {
    const { K, C, patterns } = plan;
    const P = patterns.length;
    const N = z.shape[0];
    const d = h.shape[1];
    // keep[r, j] = 0 where intervention row r overwrites AU j; set[r, j] is the value written there.
    // Rows 0..P-1 are the hi arm, P..2P-1 the lo arm.
    const keep = new Float32Array(2 * P * K).fill(1);
    const set = new Float32Array(2 * P * K);
    patterns.forEach(({ k, partners }, p) => {
      for (const arm of [0, 1]) {
        const r = (arm * P + p) * K;
        keep[r + k] = 0;
        set[r + k] = arm === 0 ? plan.hi[k] : plan.lo[k];
        for (const j of partners) {
          keep[r + j] = 0;
          set[r + j] = plan.lo[j];
        }
      }
    });
    const zInt = z
      .expandDims(1)
      .mul(tf.tensor2d(keep, [2 * P, K]).expandDims(0))
      .add(tf.tensor2d(set, [2 * P, K]).expandDims(0))
      .reshape([N * 2 * P, K]) as tf.Tensor2D;
    // Repeat each h row 2P times by broadcasting: tf.tile (and tf.gather) are ~50× slower on wasm.
    const hInt = h.expandDims(1).add(tf.zeros([1, 2 * P, 1])).reshape([N * 2 * P, d]) as tf.Tensor2D;
    const logits = head(zInt, hInt);
    if (logits.rank !== 2 || logits.shape[0] !== N * 2 * P || logits.shape[1] !== C) {
      throw new Error(`interventionEffects: head returned [${logits.shape}], expected [${N * 2 * P}, ${C}] (one logit per graph class)`);
    }
    return effectsFromLogits(logits, N, plan, scale);
  });
}

/**
 * The low-rank path (see LinearFirstLayer): a = pre(z, h) once per sample;
 * intervened row r of sample n gets a + Σ_m (v_rm − z_n,j(r,m))·W_z[j(r,m)],
 * m over the M ≤ 1 + partners AUs pattern r writes; then the rest of the head.
 */
function effectsLowRank(first: LinearFirstLayer, z: tf.Tensor2D, h: tf.Tensor2D, plan: InterventionPlan, scale: EffectScale): tf.Tensor3D {
  return tf.tidy(() => {
    const { K, patterns } = plan;
    const P = patterns.length;
    const N = z.shape[0];
    const R = 2 * P;
    // the AUs each row writes and the values written, padded to M slots (weight 0 in a padded slot)
    const M = Math.max(...patterns.map((p) => 1 + p.partners.length));
    const pick = new Float32Array(K * R * M); // z [N, K] · pick → z at slot (r, m)
    const pickT = new Float32Array(R * M * K); // its transpose: W_z rows per slot
    const value = new Float32Array(R * M);
    const used = new Float32Array(R * M);
    patterns.forEach(({ k, partners }, p) => {
      for (const arm of [0, 1]) {
        const r = arm * P + p;
        [k, ...partners].forEach((j, m) => {
          pick[j * R * M + r * M + m] = 1;
          pickT[(r * M + m) * K + j] = 1;
          value[r * M + m] = j === k ? (arm === 0 ? plan.hi[k] : plan.lo[k]) : plan.lo[j];
          used[r * M + m] = 1;
        });
      }
    });
    const zAt = z.matMul(tf.tensor2d(pick, [K, R * M])); // [N, R·M]
    const change = tf.tensor2d(value, [1, R * M]).sub(zAt).mul(tf.tensor2d(used, [1, R * M])); // v − z_j, 0 when padded
    // W_z rows per slot: [R·M, H1], by a 0/1 matMul (no gather on wasm)
    const wz = first.wz();
    const H1 = wz.shape[1];
    const wSlots = tf.tensor2d(pickT, [R * M, K]).matMul(wz); // [R·M, H1]
    const correction = change.reshape([N, R, M, 1]).mul(wSlots.reshape([1, R, M, H1])).sum(2); // [N, R, H1]
    const a = first.pre(z, h).expandDims(1).add(correction).reshape([N * R, H1]) as tf.Tensor2D;
    const logits = first.rest(a);
    if (logits.rank !== 2 || logits.shape[0] !== N * R || logits.shape[1] !== plan.C) {
      throw new Error(`interventionEffects: head returned [${logits.shape}], expected [${N * R}, ${plan.C}] (one logit per graph class)`);
    }
    return effectsFromLogits(logits, N, plan, scale);
  });
}

/** Δ from the logits of the N·2P intervened rows (sample-major, hi arm first). */
function effectsFromLogits(logits: tf.Tensor2D, N: number, plan: InterventionPlan, scale: EffectScale): tf.Tensor3D {
  return tf.tidy(() => {
    const { K, C, patterns } = plan;
    const P = patterns.length;
    const s = (scale === "logodds" ? classLogOdds(logits) : tf.softmax(logits)).reshape([N, 2, P * C]);
    const [sHi, sLo] = tf.split(s, 2, 1);
    const diff = sHi.sub(sLo).reshape([N, P * C]);
    if (isIdentityPlan(plan)) return diff.reshape([N, K, C]) as tf.Tensor3D;
    // Pick Δ[·, k, c] from pattern patternOf[k][c] with a 0/1 selection matrix:
    // a matMul, because tf.gather's gradient needs UnsortedSegmentSum, which the
    // wasm backend lacks.
    const select = new Float32Array(P * C * K * C);
    for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) select[(plan.patternOf[k][c] * C + c) * K * C + k * C + c] = 1;
    return diff.matMul(tf.tensor2d(select, [P * C, K * C])).reshape([N, K, C]) as tf.Tensor3D;
  });
}

/** True when pattern k is AU k for every class (no class-dependent groups): Δ needs no reindexing. */
function isIdentityPlan(plan: InterventionPlan): boolean {
  return plan.patterns.length === plan.K && plan.patternOf.every((row, k) => row.every((p) => p === k));
}

/**
 * Class log-odds from logits [M, C]: ℓ_c = l_c − logsumexp_{j≠c} l_j, computed
 * on the logits (going through p loses everything once a gap passes ~17 in
 * float32).
 */
export function classLogOdds(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const C = logits.shape[1];
    // two classes: ℓ = [l0 − l1, l1 − l0], one small matMul
    if (C === 2) return logits.matMul(tf.tensor2d([1, -1, -1, 1], [2, 2])) as tf.Tensor2D;
    const mask = new Float32Array(C * C);
    for (let c = 0; c < C; c++) mask[c * C + c] = -Infinity;
    const others = logits.expandDims(1).add(tf.tensor2d(mask, [C, C]).expandDims(0)) as tf.Tensor3D; // [M, C(for c), C(j)]
    return logits.sub(logSumExpLast(others)) as tf.Tensor2D;
  });
}

/**
 * log Σ exp over the last axis with the textbook gradient dy · softmax(x): the
 * same values as tf.logSumExp, without backpropagating through its max (whose
 * gradient costs an Equal kernel per call).
 */
const logSumExpLast = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const value = tf.logSumExp(x, -1);
  save([x]);
  return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => dy.expandDims(-1).mul(tf.softmax(saved[0])) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor3D) => tf.Tensor2D;
