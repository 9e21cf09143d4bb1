/**
 * Notebook 09 (the regime map, spec §11.1): reuse a saved sensitivity result
 * when there is one, its table rows, and a "reading" generated from the
 * numbers: where each arm's fidelity gain over the baseline holds with a CI
 * above 0, and where its detection change is a cost (CI below 0). Nothing in
 * the reading is typed by hand.
 */
import * as fs from "node:fs";
import type { SensitivityCell, SensitivityResult } from "../experiments/sensitivity";
import { PREREGISTERED_CELL } from "../figures/sensitivity";
import { armLabel } from "../figures/theme";
import { parseJson } from "../util/json";
import type { Interval } from "../util/bootstrap";
import { ci, side } from "./format";

/** A result saved by an earlier run, with a sentence saying where it came from; null when the file is missing. */
export function savedResult<T extends { profile?: string; provenance?: { commit?: string; dirty?: boolean; startedAt?: string } }>(file: string, make = "make sensitivity"): { result: T; note: string } | null {
  if (!fs.existsSync(file)) return null;
  const result = parseJson(fs.readFileSync(file, "utf8"), file) as T;
  const p = result.provenance;
  const commit = p?.commit ? `commit ${p.commit.slice(0, 8)}${p.dirty ? " with uncommitted changes" : ""}` : "an unknown commit";
  const when = p?.startedAt ? `, started ${p.startedAt}` : "";
  return { result, note: `Loaded the saved result ${file} (profile ${result.profile ?? "?"}, ${commit}${when}); nothing was retrained. Delete the file, or run \`${make}\`, to recompute it.` };
}

/** "visibility 0.5, shortcut 1" */
export function regimeText(c: Pick<SensitivityCell, "auVisibility" | "shortcutStrength">): string {
  const pre = c.auVisibility === PREREGISTERED_CELL.auVisibility && c.shortcutStrength === PREREGISTERED_CELL.shortcutStrength;
  return `visibility ${c.auVisibility}, shortcut ${c.shortcutStrength}${pre ? " (pre-registered)" : ""}`;
}

/** One row per regime × arm: κ with G, its gain over the baseline, AUC, its change, AUC with h fixed. */
export function sensitivityRows(r: SensitivityResult): Record<string, string | number>[] {
  return r.cells.flatMap((c) =>
    Object.entries(c.arms).map(([arm, m]) => ({
      visibility: c.auVisibility,
      shortcut: c.shortcutStrength,
      arm: armLabel(arm),
      "κ with G": ci(m.kappa),
      "κ − baseline": arm === "baseline" ? "(reference)" : ci(m.kappaGain),
      AUC: ci(m.auc),
      "AUC − baseline": arm === "baseline" ? "(reference)" : ci(m.aucChange),
      "AUC, h fixed": ci(m.aucHFixed),
    })),
  );
}

/** The cells where a measure's CI sits on the given side of 0. */
function cellsWhere(r: SensitivityResult, arm: string, measure: "kappaGain" | "aucChange", where: "above 0" | "below 0"): SensitivityCell[] {
  return r.cells.filter((c) => side(c.arms[arm]?.[measure] as Interval | null | undefined) === where);
}

function list(cells: SensitivityCell[], arm: string, measure: "kappaGain" | "aucChange"): string {
  return cells.map((c) => `${regimeText(c)}: ${ci(c.arms[arm][measure])}`).join("; ");
}

/**
 * Markdown bullets, one per arm (baseline excluded), from the numbers: the
 * regimes where its fidelity gain over the baseline has a CI above 0, where it
 * is below 0, where its AUC change is a cost (CI below 0); the pre-registered
 * cell's values, or that it is not on the grid; and the SYNTHETIC caveat.
 */
export function sensitivityReading(r: SensitivityResult): string {
  const arms = [...new Set(r.cells.flatMap((c) => Object.keys(c.arms)))].filter((a) => a !== "baseline");
  const n = r.cells.length;
  const lines: string[] = [];
  for (const arm of arms) {
    const gain = cellsWhere(r, arm, "kappaGain", "above 0");
    const loss = cellsWhere(r, arm, "kappaGain", "below 0");
    const cost = cellsWhere(r, arm, "aucChange", "below 0");
    const better = cellsWhere(r, arm, "aucChange", "above 0");
    const parts = [
      gain.length === n
        ? `its fidelity gain (κ with G − baseline) has a CI above 0 in every regime of the grid (${n})`
        : gain.length
          ? `its fidelity gain has a CI above 0 in ${gain.length} of ${n} regimes (${list(gain, arm, "kappaGain")}) and not elsewhere`
          : `its fidelity gain has a CI above 0 in none of the ${n} regimes`,
      loss.length ? `it is *less* faithful than the baseline (CI below 0) at ${list(loss, arm, "kappaGain")}` : "",
      cost.length
        ? `its detection change is a cost (AUC − baseline, CI below 0) at ${list(cost, arm, "aucChange")}`
        : `its detection change has a CI below 0 in none of the regimes (no cost shown)`,
      better.length ? `its AUC is higher than the baseline's (CI above 0) at ${list(better, arm, "aucChange")}` : "",
    ].filter(Boolean);
    lines.push(`- **${armLabel(arm)}**: ${parts.join("; ")}.`);
  }
  const pre = r.cells.find((c) => c.auVisibility === PREREGISTERED_CELL.auVisibility && c.shortcutStrength === PREREGISTERED_CELL.shortcutStrength);
  if (pre) {
    const f = pre.arms.facr;
    if (f) lines.push(`- At the pre-registered regime (${regimeText(pre)}), where the claims are judged: FACR's κ gain ${ci(f.kappaGain)} (${side(f.kappaGain)}), AUC change ${ci(f.aucChange)} (${side(f.aucChange)}).`);
  } else {
    lines.push(`- The pre-registered regime (visibility ${PREREGISTERED_CELL.auVisibility}, shortcut ${PREREGISTERED_CELL.shortcutStrength}) is not on this grid (profile ${r.profile}): the map shows the neighbourhood, not the cell the claims are judged in.`);
  }
  const seeds = (r.config.pspi as { seeds?: number[] }).seeds;
  lines.push(
    `- Every number comes from SYNTHETIC data (${r.data.name}) with a known causal structure, at profile ${r.profile}${seeds ? ` with ${seeds.length} seed${seeds.length === 1 ? "" : "s"} per cell` : ""}; "CI above / below 0" is the 95% hierarchical-bootstrap interval of the paired difference. The map says where the objective does what it claims on data whose truth is known, not how it does on real faces.`,
  );
  return lines.join("\n");
}
