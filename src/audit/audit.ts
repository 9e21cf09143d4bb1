import { initBackend } from "../model/backend";
import { FacrInputError } from "../util/errors";
import { chooseHead } from "./choose-head";
import { describeAudit, measureFidelity, writeRationales } from "./describe";
import { auditRows, auditSettings, detectAuScale, loadAuditData, resolveGraph } from "./load";
import { AuditOptions, AuditReport } from "./types";

/**
 * `facr audit` (spec §5 and §8 on your own data): load AU data (OpenFace CSV,
 * UNBC-McMaster or CK+ folders), run a reasoner — a saved one, or an
 * external-AU reasoner over the data's own AU values (external-reasoner.ts) —
 * and report per frame the predicted class, the invoked AUs (|Δ| ≥ τ) and a
 * gated rationale, and over the file the fidelity to G (κ and the other §5
 * measures) with a subject-bootstrap CI.
 *
 * Which reasoner (`head`):
 *   a saved model (`model`)   facr-external-reasoner/1 (a head saved by an
 *                             earlier audit, `saveModel`) or facr-reasoner/1 (a
 *                             full facr Reasoner: z and h from its encoder on
 *                             the landmarks, standardized with the
 *                             `extra.standardizer` {mean, sd} saved with it, or
 *                             on the audited data when it has none; the data's
 *                             AU values are not used)
 *   "labels"                  the data's labels, when they name G's classes and
 *                             span ≥ 2 subjects: subject-grouped cross-fitting
 *                             (k = min(5, labelled subjects) folds; every frame
 *                             is scored by a head trained on *other* subjects, as
 *                             the metric must be computed on held-out subjects)
 *   "default"                 a head trained on facr's synthetic data
 *                             (default-reasoner.ts)
 *   "auto" (default)          "labels" when possible, else "default"
 *
 * Subjects: UNBC and CK+ subject folders; one per OpenFace file (its name), or
 * one per face when a file tracks several faces (face_id).
 */

/**
 * Run the audit (see the module comment). Bad input is a FacrInputError naming file, line and field.
 *
 * The pipeline: check the options and load G and the data (load.ts), choose and score the head
 * (choose-head.ts, score.ts), measure the fidelity and write the rationales, and describe it all (describe.ts).
 */
export async function runAudit(opts: AuditOptions): Promise<AuditReport> {
  const t0 = performance.now();
  const started = new Date();
  const log = opts.log ?? (() => {});
  const settings = auditSettings(opts);
  const { graph: G, spec } = resolveGraph(opts.graph);
  const datasets = loadAuditData(opts.data, opts.format);
  await initBackend(undefined, { quiet: true });
  const scale = detectAuScale(datasets, settings.auScale);
  log(`[audit] AU scale ${scale.info.used}: ${scale.info.reason}`);
  const rows = auditRows(datasets, G, opts.data, scale.info.used);
  const loadSeconds = (performance.now() - t0) / 1000;
  log(`[audit] ${rows.N} frames of ${new Set(rows.subjects).size} subject(s) from ${opts.data} (${opts.format}); G: ${spec} (${G.aus.length} AUs × ${G.classes.length} classes)`);

  const head = chooseHead(opts, settings, G, datasets, rows, log);
  const fit = measureFidelity(head, G, rows, settings);
  const { decoded, rationaleSeconds } = writeRationales(head, G, fit.predicted, settings);
  const report = describeAudit({ opts, settings, G, spec, datasets, rows, scale, head, fit, decoded, t0, started, durations: { loadSeconds, rationaleSeconds } });

  try {
    if (opts.saveModel) {
      if (!head.toSave) throw new FacrInputError("--save-model applies to the external-AU reasoner (not to a saved full reasoner)", { field: "--save-model" });
      await head.toSave.save(opts.saveModel, G);
      log(`[audit] saved the head to ${opts.saveModel}`);
    }
  } finally {
    for (const r of head.toDispose) r.dispose();
  }
  return report;
}
