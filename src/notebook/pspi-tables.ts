/**
 * Tables of notebook 03 for the second PSPI protocol (spec §11): the controls
 * beside what their overlap with G predicts, the wrong-G arms, where each arm's
 * decision flows (channel ablation, ERASER, AU recovery), the competitors
 * against FACR, and the per-seed values behind the hierarchical CIs.
 */
import type { PspiResult } from "../experiments/pspi";
import { armLabel, ci, fx, side } from "./format";

type Arms = PspiResult["arms"];
const present = (arms: Arms, names: readonly string[]) => names.filter((a) => a in arms);

/** Control arms: κ with G, with the graph they were trained on, and the κ with G their overlap alone predicts. */
export function controlRows(r: PspiResult): Record<string, string>[] {
  return present(r.arms, ["facr", "control", "permuted"]).map((a) => {
    const s = r.arms[a];
    return {
      arm: armLabel(a),
      "trained on": s.trainGraph,
      "κ with G": ci(s.agreement.G.kappa),
      "κ with its own graph": ci(s.agreement.Gtrain.kappa),
      "κ with G its overlap predicts": s.overlapKappa ? fx(s.overlapKappa.mean) : "(G itself)",
      "κ with G_perm": ci(s.agreement.Gperm.kappa),
      "κ with G′": ci(s.agreement["G'"].kappa),
    };
  });
}

/** FACR on the true G and on G_k with k swapped causal AUs: κ with G_k, with G, detection. */
export function wrongGraphRows(r: PspiResult): Record<string, string>[] {
  return present(r.arms, ["facr", "wrongG1", "wrongG2", "wrongG3"]).map((a) => {
    const s = r.arms[a];
    return {
      "swapped AUs": a === "facr" ? "0 (true G)" : a.slice(-1),
      "κ with the graph trained on": ci(s.agreement.Gtrain.kappa),
      "κ with the true G": ci(s.agreement.G.kappa),
      "AUROC |Δ| (true G)": ci(s.agreement.G.auroc),
      "detection AUC": ci(s.detection.auc),
      "AUC − FACR's": a === "facr" ? "" : ci(r.differences[`${a}-facr`]?.["detection|auc"]),
    };
  });
}

/** Where each arm's decision flows (spec §11.5): detection with h or z fixed, ERASER, AU recovery, κ at τ and at the arm-scaled τ. */
export function decisionRows(r: PspiResult): Record<string, string>[] {
  return Object.keys(r.arms).map((a) => {
    const s = r.arms[a];
    return {
      arm: armLabel(a),
      AUC: ci(s.detection.auc),
      "AUC, h fixed (z decides)": ci(s.channels?.hFixed.auc),
      "AUC, z fixed (h decides)": ci(s.channels?.zFixed.auc),
      comprehensiveness: ci(s.eraser?.comprehensiveness),
      sufficiency: ci(s.eraser?.sufficiency),
      "AU recovery of z (AUROC)": ci(s.auRecovery?.macro),
      [`κ with G at τ = ${r.config.tau}`]: ci(s.agreement.G.kappa),
      "κ at the arm's τ": s.scaledTau ? `${ci(s.scaledTau.agreement.kappa)} (τ = ${fx(s.scaledTau.tau, 2)})` : "–",
      "κ, do(z := 1)": ci(s.agreement["G@1"].kappa),
    };
  });
}

/** FACR against each competitor (paired): κ with G, τ-free AUROC and detection AUC, with where each CI sits. */
export function competitorRows(r: PspiResult): Record<string, string>[] {
  return present(r.arms, ["baseline", "rrr", "bottleneck", "cbmSequential", "cbmFacr"]).filter((a) => r.differences[`facr-${a}`]).map((a) => {
    const d = r.differences[`facr-${a}`];
    const cell = (k: string) => `${ci(d[k])} (${side(d[k])})`;
    return { "FACR − …": armLabel(a), "κ with G": cell("agreement|G|kappa"), "AUROC |Δ|": cell("agreement|G|auroc"), "detection AUC": cell("detection|auc"), "AUC, h fixed": d["hFixed|auc"] ? cell("hFixed|auc") : "–" };
  });
}

/** One row per arm × seed: κ with G and with the arm's own graph, detection AUC (the per-seed values behind the CIs). */
export function perSeedRows(r: PspiResult): Record<string, string | number>[] {
  return Object.keys(r.arms).flatMap((a) =>
    (r.arms[a].perCluster ?? []).map((p) => ({ arm: a, seed: p.cluster, "κ with G": fx(p.kappa.G), "κ with own graph": fx(p.kappa.Gtrain), "AUROC |Δ|": fx(p.auroc.G), AUC: fx(p.detection.auc) })),
  );
}
