/**
 * A/B of interventionEffects' two paths on one Reasoner head (PSPI sizes: D 141,
 * encoder [128, 64], K 11, d 16, head [32]): the generic path (the head on all
 * N·2P intervened rows) and the low-rank one (the factual first-layer
 * pre-activation plus Σ (v − z_j)·W_z[j]). Interleaved rounds, medians; with
 * and without the gradient of L_cf. The option's doc comment quotes this bench.
 *
 *   npx tsx bench/low-rank.ts [--sizes 256,512,1024,2048,4096] [--rounds 12]
 */
import * as tf from "@tensorflow/tfjs";
import { interventionEffects } from "../src/faithfulness/effects";
import { faithfulnessLoss } from "../src/faithfulness/loss";
import { CausalGraph } from "../src/graph/graph";
import { emotionPrototypeGraph, pspiGraph } from "../src/graph/known";
import { backendInfo, initBackend } from "../src/model/backend";
import { Reasoner } from "../src/model/reasoner";
import { Row, table } from "./table";

type Path = "lowRank" | "generic";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

(async () => {
  await initBackend(undefined, { quiet: true });
  const sizes = arg("--sizes", "256,512,1024,2048,4096").split(",").map(Number);
  const rounds = Number(arg("--rounds", "12"));
  const rows: Row[] = [];
  const graphs: [string, CausalGraph][] = [["PSPI", pspiGraph()], ["FACS prototypes", emotionPrototypeGraph()]];
  for (const [name, G] of graphs) {
    for (const N of sizes) {
      const r = new Reasoner({ inputDim: 141, aus: [...G.aus], classes: [...G.classes], encoderHidden: [128, 64], embeddingDim: 16, headHidden: [32], seed: 1 });
      const x = tf.randomNormal([N, 141], 0, 1, "float32", 3) as tf.Tensor2D;
      const y = tf.tensor1d(Array.from({ length: N }, (_, i) => i % G.classes.length), "int32");
      const step = (path: Path) => {
        const t0 = performance.now();
        const { value, grads } = tf.variableGrads(() => {
          const { z, h } = r.encode(x);
          return faithfulnessLoss(interventionEffects(r.head, z, h, G, { path }), y, G) as tf.Scalar;
        }, r.variables);
        value.dataSync();
        for (const g of Object.values(grads)) g.dataSync();
        tf.dispose([value, ...Object.values(grads)]);
        return performance.now() - t0;
      };
      const forward = (path: Path) => {
        const t0 = performance.now();
        tf.tidy(() => {
          const { z, h } = r.encode(x);
          interventionEffects(r.head, z, h, G, { path }).dataSync();
        });
        return performance.now() - t0;
      };
      const t: Record<string, number[]> = { "step generic": [], "step lowRank": [], "fwd generic": [], "fwd lowRank": [] };
      for (let i = 0; i < rounds + 2; i++) {
        const order: Path[] = i % 2 ? ["lowRank", "generic"] : ["generic", "lowRank"];
        for (const p of order) {
          const s = step(p);
          const f = forward(p);
          if (i >= 2) (t[`step ${p}`].push(s), t[`fwd ${p}`].push(f));
        }
      }
      rows.push({
        graph: name,
        N,
        "grad: generic ms": median(t["step generic"]),
        "grad: low-rank ms": median(t["step lowRank"]),
        "grad: low-rank / generic": median(t["step lowRank"]) / median(t["step generic"]),
        "Δ only: generic ms": median(t["fwd generic"]),
        "Δ only: low-rank ms": median(t["fwd lowRank"]),
        "Δ only: low-rank / generic": median(t["fwd lowRank"]) / median(t["fwd generic"]),
      });
      tf.dispose([x, y]);
      r.dispose();
    }
  }
  table(`interventionEffects paths, ${backendInfo()?.name} backend, ${rounds} interleaved rounds (medians); < 1 means the low-rank path is faster`, rows);
})();
