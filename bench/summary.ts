/**
 * How long the PSPI summary takes at the paper profile's size (spec §11.7):
 * summarizeArms on random pooled rows shaped like 5 seeds × 25 subjects ×
 * ≈ 47,000 test frames, 11 arms, 5 graph slots (two per-row), with every
 * decision-level extra, hierarchical bootstrap. Prints seconds for building the
 * tables and for the resamples.
 *
 *   tsx bench/summary.ts [--arms 11] [--resamples 1000] [--frames 47420]
 */
import { poolEvaluations } from "../src/evaluate/pool";
import { summarizeArms } from "../src/evaluate/summary";
import { pspiGraph } from "../src/graph/known";
import { randomGraph } from "../src/graph/controls";
import { Rng } from "../src/util/random";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const nArms = arg("--arms", 11);
const resamples = arg("--resamples", 1000);
const frames = arg("--frames", 47420);
const G = pspiGraph();
const K = G.aus.length;
const C = 2;
const seeds = [1, 2, 3, 4, 5];
const rng = new Rng("bench-summary");
const perm = Object.fromEntries(seeds.map((s) => [s, randomGraph(G, s)]));
const arm = () =>
  poolEvaluations(
    seeds.map((seed) => {
      const y = Int32Array.from({ length: frames }, () => (rng.next() < 0.2 ? 1 : 0));
      const probs = new Float32Array(frames * C);
      for (let i = 0; i < frames; i++) {
        const p = Math.min(0.999, Math.max(0.001, 0.2 + 0.5 * y[i] + 0.3 * (rng.next() - 0.5)));
        probs[i * C] = 1 - p;
        probs[i * C + 1] = p;
      }
      const eff = () => Float32Array.from({ length: frames * K * C }, () => 2 * (rng.next() - 0.5));
      const z = Float32Array.from({ length: frames * K }, () => rng.next());
      return {
        ev: { probs, effects: [eff(), eff(), eff(), eff(), eff()], z, probsHFixed: probs.slice(), probsZFixed: probs.slice(), comprehensiveness: new Float32Array(frames).fill(0.1), sufficiency: new Float32Array(frames).fill(0.05) },
        y,
        subjects: Array.from({ length: frames }, (_, i) => `S${String(1 + Math.floor((i / frames) * 25)).padStart(2, "0")}`),
        cluster: seed,
        truth: Uint8Array.from(z, (v) => (v > 0.7 ? 1 : 0)),
      };
    }),
    K,
    C,
  );
const pooled = Object.fromEntries(Array.from({ length: nArms }, (_, a) => [a === 0 ? "baseline" : a === 1 ? "facr" : `arm${a}`, arm()]));
const seedOf = (row: number) => seeds[Math.floor(row / frames)];
const t0 = performance.now();
summarizeArms(pooled, { G, "G@1": G, "G'": G, Gperm: (_a, row) => perm[seedOf(row)], Gtrain: () => G }, { tau: 0.5, resamples, seed: 0, tauScale: 0.5, references: ["baseline", "facr"] });
console.log(`summarizeArms: ${nArms} arms × ${seeds.length} seeds × ${frames} frames, ${resamples} resamples: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
