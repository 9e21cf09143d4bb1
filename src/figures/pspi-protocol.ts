/**
 * Figures of the second PSPI protocol (spec §11): the wrong-G curve (§11.4),
 * the channel ablation (§11.5b) and the two controls with the κ their overlap
 * with G predicts (§11.3). Each is drawn only when the result has its arms and
 * measures, so a first-protocol result (results/pspi.json before §11) builds
 * without them. Pure functions of the result JSON.
 */
import { FIGURE_WIDTH, intervalPanels, intervalRows, protocolNote } from "./arms";
import { figureSvg, LegendItem } from "./compose";
import { Plot, PlotPanel, renderPlot } from "./plot-svg";
import type { ArmResultLike, ArmSummaryLike, DetectionKey, IntervalLike } from "./result-types";
import { armColor, armLabel, dataLine, fmt, INK, MUTED, num } from "./theme";

/** The second protocol's extra per-arm measures (a `PspiResult` arm has them). */
export type Protocol2ArmLike = ArmSummaryLike & {
  channels?: { hFixed: Partial<Record<DetectionKey, IntervalLike>>; zFixed: Partial<Record<DetectionKey, IntervalLike>> };
  overlapKappa?: { mean: number | null } | null;
  trainGraph?: string;
};

export type Protocol2ResultLike = ArmResultLike & { arms: Record<string, Protocol2ArmLike> };

/** The wrong-graph arms in order of the number of swapped causal AUs; k = 0 is FACR on the true G. */
export const WRONG_G_ARMS: readonly { k: number; arm: string }[] = [
  { k: 0, arm: "facr" },
  { k: 1, arm: "wrongG1" },
  { k: 2, arm: "wrongG2" },
  { k: 3, arm: "wrongG3" },
];

/** The control arms of §11.3: the complement G′ and the random G_perm. */
export const CONTROL_ARMS = ["control", "permuted"] as const;

interface CurveRow {
  k: number;
  arm: string;
  estimate: number;
  lo: number;
  hi: number;
}

/** One panel of the wrong-G curve: a measure against k, line, dots, CI bars, values beside. */
function curvePanel(rows: CurveRow[], o: { width: number; title: string; yLabel: string; domain: [number, number]; reference?: number; color: string }): PlotPanel {
  const ok = rows.filter((r) => Number.isFinite(r.estimate));
  const ks = rows.map((r) => r.k);
  return renderPlot(
    {
      width: o.width,
      height: 280,
      marginLeft: 54,
      marginRight: 14,
      marginTop: 16,
      marginBottom: 42,
      x: { domain: [-0.4, 3.4], ticks: ks, tickFormat: (k: number) => String(k), label: "causal AUs swapped in G (k)", labelAnchor: "center", labelArrow: "none", grid: true },
      y: { domain: o.domain, label: o.yLabel, labelAnchor: "center", labelArrow: "none", grid: true },
      marks: [
        ...(o.reference !== undefined ? [Plot.ruleY([o.reference], { stroke: MUTED, strokeDasharray: "3,3" })] : []),
        Plot.line(ok, { x: "k", y: "estimate", stroke: o.color, strokeWidth: 1.5, strokeOpacity: 0.6 }),
        Plot.ruleX(
          ok.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi)),
          { x: "k", y1: "lo", y2: "hi", stroke: o.color, strokeWidth: 2.5, className: "facr-interval" } as Plot.RuleXOptions,
        ),
        Plot.dot(ok, { x: "k", y: "estimate", fill: o.color, stroke: "white", r: 4.5, className: "facr-estimate" } as Plot.DotOptions),
        Plot.text(ok, { x: "k", y: "estimate", text: (d: CurveRow) => fmt(d.estimate, 2), dx: 7, dy: -8, textAnchor: "start", fill: INK, fontSize: 10 } as Plot.TextOptions),
      ],
    },
    o.title,
  );
}

/**
 * "pspi-wrong-graph": FACR trained on G_k (k causal AUs swapped for irrelevant
 * ones), k = 0 being FACR on the true G: κ with the graph it trained on, κ with
 * the true G, and detection AUC. Null without FACR and at least one wrong-G arm.
 */
export function wrongGraphFigure(result: Protocol2ResultLike, opts: { width?: number } = {}): string | null {
  const present = WRONG_G_ARMS.filter((w) => result.arms[w.arm]);
  if (!present.some((w) => w.k === 0) || present.length < 2) return null;
  const width = opts.width ?? FIGURE_WIDTH;
  const pick = (f: (a: Protocol2ArmLike) => IntervalLike | undefined): CurveRow[] =>
    present.map(({ k, arm }) => {
      const iv = f(result.arms[arm]);
      return { k, arm, estimate: num(iv?.estimate), lo: num(iv?.lo), hi: num(iv?.hi) };
    });
  const gap = 16;
  const panelW = Math.floor((width - 24 - 2 * gap) / 3);
  const color = armColor("facr");
  const panels = [
    curvePanel(pick((a) => a.agreement.Gtrain?.kappa ?? (a === result.arms.facr ? a.agreement.G?.kappa : undefined)), { width: panelW, title: "κ with the graph it was trained on (G_k)", yLabel: "Cohen's κ (unitless)", domain: [-1, 1], reference: 0, color }),
    curvePanel(pick((a) => a.agreement.G?.kappa), { width: panelW, title: "κ with the true G", yLabel: "Cohen's κ (unitless)", domain: [-1, 1], reference: 0, color }),
    curvePanel(pick((a) => a.detection.auc), { width: panelW, title: "pain detection", yLabel: "AUC (unitless; 0.5 = chance)", domain: [0.5, 1], color }),
  ];
  const base = result.arms.baseline;
  const baseNote = base ? ` For reference, the baseline (λ_cf = 0) has κ with G ${fmt(base.agreement.G?.kappa?.estimate, 2)} and AUC ${fmt(base.detection.auc?.estimate, 2)}.` : "";
  return figureSvg({
    title: `Does enforcing a wrong graph cost anything, and can the data tell?`,
    subtitle: dataLine(result.data),
    legend: [{ label: "FACR trained on G_k (k = 0: the true G)", color, shape: "interval" }],
    panels,
    caption:
      `FACR retrained on a graph G_k in which k of G's causal AUs are swapped for irrelevant ones (one draw per seed; k = 0 is FACR on the true G). ` +
      `If κ with G_k stays high while κ with the true G falls and the AUC does not move, the objective installs whatever graph it is given and detection cannot tell a wrong graph from the right one. ` +
      `κ at τ = ${result.config.tau} nats. ${protocolNote(result)}${baseNote}`,
    width,
  });
}

/**
 * "pspi-channels": per arm, detection AUC with both channels, with h fixed at
 * its training mean (z decides alone) and with z fixed (h decides alone). Null
 * when no arm has the channel measures.
 */
export function channelsFigure(result: Protocol2ResultLike, opts: { width?: number } = {}): string | null {
  const arms = Object.keys(result.arms).filter((a) => result.arms[a].channels);
  if (!arms.length) return null;
  const sub: Protocol2ResultLike = { ...result, arms: Object.fromEntries(arms.map((a) => [a, result.arms[a]])) };
  const width = opts.width ?? 900;
  const auc = (f: (a: Protocol2ArmLike) => IntervalLike | undefined) => intervalRows(sub, (arm) => f(sub.arms[arm]));
  const domain: [number, number] = [0.3, 1];
  const specs = [
    { title: "everything (z and h)", rows: auc((a) => a.detection.auc), domain, xLabel: "AUC (0.5 = chance)", reference: 0.5 },
    { title: "h fixed: z decides alone", rows: auc((a) => a.channels?.hFixed.auc), domain, xLabel: "AUC (0.5 = chance)", reference: 0.5 },
    { title: "z fixed: h decides alone", rows: auc((a) => a.channels?.zFixed.auc), domain, xLabel: "AUC (0.5 = chance)", reference: 0.5 },
  ];
  return figureSvg({
    title: `Which channel carries the decision: pain AUC with h or z fixed at its training mean`,
    subtitle: dataLine(result.data),
    panels: intervalPanels(sub, specs, width),
    caption:
      `Pain detection AUC of each arm on held-out subjects with both channels, with the free embedding h replaced by its training mean (only the AU activations z can decide) and with z replaced by its mean (only h can decide). ` +
      `An arm whose AUC barely drops with z fixed decides through the bypass h, whatever its AUs say; an arm near 0.5 with h fixed does not use z. ${protocolNote(result)}`,
    width,
  });
}

/**
 * "pspi-controls": the control arms (complement G′, random G_perm) beside the
 * baseline and FACR: κ with G, κ with the arm's own training graph, and for
 * G_perm the κ its overlap with G predicts (a hollow diamond). Null when no
 * control arm has its own-graph slot (a first-protocol result).
 */
export function controlsFigure(result: Protocol2ResultLike, opts: { width?: number } = {}): string | null {
  const controls = CONTROL_ARMS.filter((a) => result.arms[a]?.agreement.Gtrain);
  if (!controls.length) return null;
  const arms = [...["baseline", "facr"].filter((a) => result.arms[a]), ...controls];
  const sub: Protocol2ResultLike = { ...result, arms: Object.fromEntries(arms.map((a) => [a, result.arms[a]])) };
  const width = opts.width ?? FIGURE_WIDTH;
  const kappa = (slot: string) => intervalRows(sub, (arm) => sub.arms[arm].agreement[slot === "Gtrain" && !sub.arms[arm].agreement.Gtrain ? "G" : slot]?.kappa);
  const predicted = arms
    .filter((a) => a === "permuted" && Number.isFinite(num(sub.arms[a].overlapKappa?.mean)))
    .map((a) => ({ label: armLabel(a), value: num(sub.arms[a].overlapKappa!.mean) }));
  const extra = predicted.length
    ? [
        Plot.dot(predicted, { x: "value", y: "label", symbol: "diamond", r: 6, stroke: INK, strokeWidth: 1.5, fill: "white", className: "facr-overlap-predicted" } as Plot.DotOptions),
        Plot.text(predicted, { x: "value", y: "label", text: (d: { value: number }) => `predicted ${fmt(d.value, 2)}`, dy: 14, dx: 0, textAnchor: "middle", fill: MUTED, fontSize: 10 } as Plot.TextOptions),
      ]
    : [];
  const specs = [
    { title: "κ with the true G", rows: kappa("G"), domain: [-1, 1] as [number, number], xLabel: "Cohen's κ (unitless)", reference: 0, extra },
    { title: "κ with the arm's own training graph", rows: kappa("Gtrain"), domain: [-1, 1] as [number, number], xLabel: "Cohen's κ (unitless)", reference: 0 },
  ];
  const legend: LegendItem[] = arms.map((a) => ({ label: armLabel(a), color: armColor(a, arms), shape: "interval" as const }));
  if (predicted.length) legend.push({ label: "κ with G that G_perm's overlap with G predicts", color: INK, shape: "ring" });
  return figureSvg({
    title: `Controls: does agreement follow the graph the objective reads?`,
    subtitle: dataLine(result.data),
    legend,
    panels: intervalPanels(sub, specs, width),
    caption:
      `The complement control trains on G′ (G's causal and irrelevant AUs exchanged), the permutation control on a seeded random G_perm of the same size per class drawn from all AUs (it may overlap G). ` +
      `For G_perm, a control that follows its own graph exactly would have the κ with G its overlap predicts (diamond, mean over seeds); κ with G far above it would mean the gain does not come from the graph. ` +
      `Baseline and FACR (own graph = G) for reference. κ at τ = ${result.config.tau} nats. ${protocolNote(result)}`,
    width,
  });
}
