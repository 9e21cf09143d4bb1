// Quick start: score a hand-written head against the PSPI graph (run: npx tsx examples/quickstart.ts)
import * as tf from "@tensorflow/tfjs";
import { agreement, initBackend, interventionEffects, pspiGraph, Rng } from "../src";

export async function quickstart(): Promise<number> {
  await initBackend();
  const G = pspiGraph(); // 11 UNBC AUs → {no_pain, pain}; PSPI AUs causal
  const rng = new Rng(0);
  const z = tf.tensor2d(Array.from({ length: 64 * 11 }, () => rng.next()), [64, 11]); // AU activations in G.aus order
  const h = tf.randomNormal([64, 4], 0, 1, "float32", 1) as tf.Tensor2D; // the free embedding (bypass)
  // A head that decides from AU4 and AU43 only: pain logit = 4·z[AU04] + 2·z[AU43] − 3
  const head = (zz: tf.Tensor2D, _hh: tf.Tensor2D) =>
    tf.tidy(() => tf.concat([tf.zeros([zz.shape[0], 1]), zz.slice([0, 0], [-1, 1]).mul(4).add(zz.slice([0, 10], [-1, 1]).mul(2)).sub(3)], 1) as tf.Tensor2D);
  const effects = interventionEffects(head, z, h, G); // Δ [N, K, C]: one batched call of the head
  const predicted = Array.from(tf.tidy(() => head(z, h).argMax(1)).dataSync());
  const a = agreement(effects, predicted, G); // κ, Jaccard, precision/recall/F1, polarity, AUROC
  console.log(`agreement with PSPI: κ = ${a.kappa.toFixed(3)}, recall = ${a.recall.toFixed(3)}, precision = ${a.precision.toFixed(3)}`);
  tf.dispose([z, h, effects]);
  return a.kappa;
}

if (require.main === module) quickstart();
