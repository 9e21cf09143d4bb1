/**
 * "Reading the numbers": the closing bullets of notebooks 03 (PSPI, claims
 * C1–C3) and 04 (emotion transfer, claim C4), generated from the result
 * objects so nothing in them is typed by hand.
 *
 * The verdicts come from the criteria in `src/report/claims.ts` (`checkC1` …
 * `checkC4`, `withinC2Margin`), the same functions the claims table applies, so
 * a notebook cannot word a criterion differently from the table. The words
 * about an interval come from where it sits relative to 0 (`side`): a CI that
 * includes 0 is "not distinguishable", never "no cost" or "a gain". Every
 * reading says whether the data are SYNTHETIC with a known structure, and that
 * fidelity is measured against the supplied G.
 */
import type { EmotionTransferResult } from "../experiments/emotion-transfer";
import type { PspiResult } from "../experiments/pspi";
import { C2_MARGIN, C3_COMPLEMENT, CLAIMS, checkC1, checkC2, checkC3, checkC4, checkComplementControl, ClaimDefinition, CriterionCheck, withinC2Margin } from "../report/claims";
import type { Interval } from "../util/bootstrap";
import { domainShiftSentence, DomainDescription } from "./domain-shift";
import { ci, fx, side } from "./format";

/**
 * "Claim C1 **reproduced** (criterion: …)" or "… **not reproduced** (criterion: …; why)";
 * below the paper profile the verdict says which profile it holds at.
 */
export function verdictText(claim: ClaimDefinition, check: CriterionCheck, profile = "paper"): string {
  const at = profile === "paper" ? "" : ` at profile ${profile}`;
  return `Claim ${claim.id} **${check.holds ? "reproduced" : "not reproduced"}**${at} (criterion: ${claim.criterion}${check.holds ? "" : `; ${check.reason}`})`;
}

/** What a FACR − baseline fidelity difference shows, from where its CI sits. */
export function gainWords(d: Interval, where = ""): string {
  const s = side(d);
  if (s === "above 0") return `the CI excludes 0: the objective raises fidelity to G${where}`;
  if (s === "below 0") return "the CI is below 0: FACR is *less* faithful here";
  if (s === "includes 0") return "the CI includes 0: no gain shown at this profile";
  return "no interval";
}

/**
 * What a FACR − baseline performance difference (detection AUC, F1, accuracy)
 * shows, from where its CI sits. With `c2Margin`, also whether its lower bound
 * stays within C2's non-inferiority margin (`withinC2Margin`).
 */
export function costWords(d: Interval, c2Margin = false): string {
  const s = side(d);
  const margin = !c2Margin ? "" : withinC2Margin(d) ? `within C2's ${C2_MARGIN} margin` : `beyond C2's ${C2_MARGIN} margin`;
  if (s === "below 0") return `lower than the baseline's, the CI below 0: a cost${margin ? `, ${margin}` : ""}`;
  if (s === "above 0") return "higher than the baseline's, the CI above 0: no cost";
  if (s === "includes 0") {
    const bound = !c2Margin ? "" : withinC2Margin(d) ? `; the lower bound is ${margin}` : `; the lower bound is ${margin}: a cost beyond it is not ruled out`;
    return `not distinguishable from the baseline's, the CI includes 0${bound}`;
  }
  return "no interval";
}

/** The complement control against the baseline, read with its pattern (fidelity to G at or below the baseline's, to G′ above it). */
function controlWords(cG: Interval, cGp: Interval, gain: Interval, trueG: string): string {
  const pattern = checkComplementControl(cG, cGp);
  const head = `training on the control graph G′ changes κ with ${trueG} by ${ci(cG)} (${side(cG)}) and κ with G′ by ${ci(cGp)} (${side(cGp)}) against the baseline: `;
  if (!pattern.holds) return head + `not the clean pattern the control should show (fidelity to G at or below the baseline's, to G′ above it: ${pattern.reason})`;
  return head + `fidelity follows whichever graph the objective reads${side(gain) === "above 0" ? ", so FACR's gain is attributable to the objective, not to other training changes" : "; with no FACR gain shown at this profile there is no gain to attribute"}`;
}

type ArmsWithAgreement = Record<string, { agreement: Record<string, Record<string, Interval>> }>;

/** The bottleneck-only arm against FACR, or "" when it was not run. */
function bottleneckBullet(arms: ArmsWithAgreement, differences: Record<string, Record<string, Interval>>): string {
  const b = arms.bottleneck;
  const d = differences["facr-bottleneck"]?.["agreement|G|kappa"];
  if (!b || !d) return "";
  const s = side(d);
  const words =
    s === "above 0"
      ? "FACR is more faithful to G than a head that reads only the AUs: reading z alone does not make a head use G's AUs"
      : s === "below 0"
        ? "the bottleneck head is *more* faithful to G than FACR here"
        : "not distinguishable from FACR at this profile";
  return `- **Bottleneck-only**: κ with G ${ci(b.agreement.G.kappa)}; FACR − bottleneck = ${ci(d)} (${s}): ${words}.`;
}

const profileNote = (profile: string, what: string) => (profile === "paper" ? "" : ` — a small run for speed; read the paper profile's numbers for the ${what}`);

const synthetic = (yes: boolean, name: string) => (yes ? `${name}, SYNTHETIC with a known structure` : `${name} (real data, not synthetic)`);

const notShown = (yes: boolean) =>
  `- What this does **not** show: that FACR rediscovers G (it is told G; fidelity is measured against the supplied G)` +
  (yes ? `, or anything about real faces — the data are synthetic and their known structure is exactly the G being scored.` : `, or that G is the true structure of these data.`);

/** The reading of a PSPI result (notebook 03): data and regime, C1, C2, C3 (G_perm) and C3′ (complement), where the decision flows, the competitors, the wrong graphs, and what it does not show. */
export function pspiReading(result: PspiResult): string {
  const D = result.differences;
  const A = result.arms;
  const fb = D["facr-baseline"];
  const dk = fb["agreement|G|kappa"], dauc = fb["detection|auc"], df1 = fb["detection|f1"];
  const kb = A.baseline.agreement.G.kappa, kf = A.facr.agreement.G.kappa;
  const summ = result.data.summary;
  const r = result.data.regime;
  const regime = r ? ` Regime **${r.name}** (PSPI-AU visibility ${r.auVisibility}, shortcut strength ${r.shortcutStrength}, AU label noise ${r.auLabelNoise}).` : "";
  const bullets = [
    `- **Data**: ${synthetic(result.data.synthetic, result.data.name)}; ${summ.frames} frames of ${summ.subjects} subjects; ${result.config.folds} subject folds × ${result.config.seeds.length} seed(s); CIs from ${result.config.bootstrap.resamples} resamples of seeds, then subjects.${regime} Interventions do(z_k := hi_k) with hi_k the ${result.interventions.quantile * 100}th percentile of AU k's non-zero training intensities. Profile **${result.profile}**${profileNote(result.profile, "claims")}.`,
    `- **C1 (agreement)**: κ with G goes from ${ci(kb)} (baseline) to ${ci(kf)} (FACR); FACR − baseline = ${ci(dk)}, ${gainWords(dk)}; τ-free AUROC of |Δ| ${ci(A.baseline.agreement.G.auroc)} → ${ci(A.facr.agreement.G.auroc)}. ${verdictText(CLAIMS.C1, checkC1(dk), result.profile)}.`,
    `- **C2 (detection cost)**: FACR − baseline detection AUC = ${ci(dauc)} (${costWords(dauc, true)}); F1 = ${ci(df1)} (${costWords(df1, true)}). ${verdictText(CLAIMS.C2, checkC2(dauc, df1), result.profile)}.`,
  ];
  const pb = D["permuted-baseline"]?.["agreement|Gperm|kappa"];
  const fp = D["facr-permuted"]?.["agreement|G|kappa"];
  if (A.permuted && pb && fp) {
    const ov = A.permuted.overlapKappa?.mean;
    bullets.push(
      `- **C3 (random-G_perm control)**: trained on a random same-size G_perm per seed, κ with G_perm changes by ${ci(pb)} (${side(pb)}) against the baseline; its κ with G is ${ci(A.permuted.agreement.G.kappa)}, where its overlap with G alone predicts ${fx(ov ?? NaN)}; FACR − control κ with G = ${ci(fp)} (${side(fp)}). ${verdictText(CLAIMS.C3, checkC3(pb, fp), result.profile)}.`,
    );
  }
  const cG = D["control-baseline"]?.["agreement|G|kappa"];
  const cGp = D["control-baseline"]?.["agreement|G'|kappa"];
  if (cG && cGp) bullets.push(`- **C3′ (complement control, implied by the design)**: ${controlWords(cG, cGp, dk, "the true G")}. ${verdictText(C3_COMPLEMENT, checkComplementControl(cG, cGp), result.profile)}.`);
  const ch = (a: string) => A[a]?.channels;
  if (ch("facr") && ch("baseline")) {
    bullets.push(
      `- **Where the decision flows**: with h fixed at its training mean (z decides alone) AUC is ${ci(ch("baseline")!.hFixed.auc)} for the baseline and ${ci(ch("facr")!.hFixed.auc)} for FACR; with z fixed (h decides alone) ${ci(ch("baseline")!.zFixed.auc)} and ${ci(ch("facr")!.zFixed.auc)}. A model faithful to G through z should lose little with h fixed and much with z fixed.`,
    );
  }
  const competitors = ["rrr", "bottleneck", "cbmSequential", "cbmFacr"].filter((a) => A[a] && D[`facr-${a}`]);
  if (competitors.length) {
    bullets.push(`- **Competitors** (FACR − competitor, κ with G; AUC): ${competitors.map((a) => `${A[a].label}: ${ci(D[`facr-${a}`]["agreement|G|kappa"])} (${side(D[`facr-${a}`]["agreement|G|kappa"])}); ${ci(D[`facr-${a}`]["detection|auc"])}`).join("; ")}.`);
  }
  const wrong = ["wrongG1", "wrongG2", "wrongG3"].filter((a) => A[a]);
  if (wrong.length) {
    bullets.push(`- **A wrong G** (κ with its own G_k / with the true G / AUC): ${wrong.map((a) => `${a.slice(-1)} swap(s): ${ci(A[a].agreement.Gtrain.kappa)} / ${ci(A[a].agreement.G.kappa)} / ${ci(A[a].detection.auc)}`).join("; ")}; FACR on the true G: ${ci(kf)} / ${ci(A.facr.detection.auc)} AUC.`);
  }
  bullets.push(notShown(result.data.synthetic));
  return bullets.filter(Boolean).join("\n");
}

/** The majority class of the target domain and its share of the frames, or null without class counts. */
export function majorityClass(result: Pick<EmotionTransferResult, "data">): { name: string; share: number } | null {
  const counts = result.data.target.summary.classCounts ?? {};
  const total = Object.values(counts).reduce((x, y) => x + y, 0);
  const top = Object.entries(counts).sort((x, y) => y[1] - x[1])[0];
  return top && total ? { name: top[0], share: top[1] / total } : null;
}

/**
 * The reading of an emotion-transfer result (notebook 04): data, the induced G,
 * C4, the prototypes, the accuracy cost, the control (read with C3's pattern:
 * the claims table has no control criterion for C4), the bottleneck arm, why
 * target accuracy is low (with the domain shift when `shift` describes the
 * SynEmotion domains, see ./domain-shift), and what it does not show.
 */
export function emotionReading(result: EmotionTransferResult, shift: readonly DomainDescription[] | null = null): string {
  const D = result.differences;
  const fb = D["facr-baseline"];
  const dk = fb["agreement|G|kappa"], dkp = fb["agreement|prototypes|kappa"], dacc = fb["detection|accuracy"], dmf = fb["detection|macroF1"];
  const cG = D["control-baseline"]?.["agreement|G|kappa"];
  const cGp = D["control-baseline"]?.["agreement|G'|kappa"];
  const kb = result.arms.baseline.agreement.G.kappa, kf = result.arms.facr.agreement.G.kappa;
  const { source, target, graphSource } = result.data;
  const vsPos = result.induction.vsPrototypesPositive;
  const accs = Object.values(result.arms).map((a) => a.detection.accuracy.estimate);
  const majority = majorityClass(result);
  const src = shift?.find((s) => s.domain === "source"), tgt = shift?.find((s) => s.domain === "target");
  const bullets = [
    `- **Data**: ${source.synthetic ? "SYNTHETIC SynEmotion with a known structure" : `NOT synthetic: ${source.name} → ${target.name}`}: source ${source.summary.frames} frames of ${source.summary.subjects} subjects → target ${target.summary.frames} frames of ${target.summary.subjects} subjects; G induced from ${graphSource.summary.frames} graph-source frames of ${result.induction.subjectIds.length} other subjects; ${result.config.seeds.length} training seed(s); CIs from ${result.config.bootstrap.resamples} subject-bootstrap resamples. Profile **${result.profile}**${profileNote(result.profile, "claim")}.`,
    `- **The induced G** recovers the prototype structure with positive-edge precision ${fx(vsPos.edgePrecision, 2)} and recall ${fx(vsPos.edgeRecall, 2)} (${vsPos.counts.shared} of ${vsPos.counts.reference} prototype edges); fidelity is scored against this G, not against the prototypes.`,
    `- **C4 (fidelity to G on the target)**: κ goes from ${ci(kb)} (baseline) to ${ci(kf)} (FACR); FACR − baseline = ${ci(dk)}, ${gainWords(dk, " across the domain shift")}. ${verdictText(CLAIMS.C4, checkC4(dk), result.profile)}.`,
    `- **Against the FACS prototypes** (an independent reference): FACR − baseline κ = ${ci(dkp)} (${side(dkp)}).`,
    `- **Accuracy cost**: FACR − baseline accuracy = ${ci(dacc)} (${costWords(dacc)}); macro-F1 = ${ci(dmf)} (${costWords(dmf)}).`,
    cG && cGp ? `- **Control** (read with C3's pattern; C4 has no control criterion): ${controlWords(cG, cGp, dk, "the induced G")}.` : "- **Control**: the control arm was not run.",
    bottleneckBullet(result.arms, D),
    `- **Target accuracy** across arms: ${fx(Math.min(...accs))}–${fx(Math.max(...accs))}, against chance 1/7 = ${fx(1 / 7)} and a majority-class (${majority?.name}) share of ${fx(majority?.share)}` +
      `${majority && Math.max(...accs) < majority.share ? " — every arm is below what always answering the majority class would score" : ""}. ` +
      (src && tgt
        ? `${domainShiftSentence(src, tgt)} Fidelity is scored on each arm's *predicted* class, so it can be high while accuracy is low: the objective makes the decision follow G's AUs, it does not make weak target expressions legible.`
        : "The domains are not SynEmotion here, so the generator's shift cannot be quantified."),
    notShown(source.synthetic),
  ];
  return bullets.filter(Boolean).join("\n");
}
