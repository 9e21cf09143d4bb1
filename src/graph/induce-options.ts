import { FacrInputError } from "../util/errors";
import { checkKeys, checkNumber } from "../util/options";
import { InductionData, InductionLabels, InductionOptions, ResolvedInductionOptions } from "./induce-types";

/** The options of inducePolarityGraph checked against the data and labels, with their defaults filled in. */

const OPTION_KEYS = [
  "resamples", "selectionThreshold", "minCoefficient", "lambdaRatio", "lambda", "baseline", "seed",
  "classes", "provenanceSource", "groups", "tolerance", "maxIterations",
];

export function resolveOptions(data: InductionData, labels: InductionLabels, opts: InductionOptions): ResolvedInductionOptions {
  checkKeys(opts, OPTION_KEYS, "inducePolarityGraph options");
  const classes = opts.classes ? [...opts.classes] : [...labels.classes];
  if (classes.length === 0) throw new FacrInputError("must name at least one class", { field: "classes" });
  classes.forEach((name, j) => {
    if (!labels.classes.includes(name)) throw new FacrInputError(`"${name}" is not one of the label classes [${labels.classes.join(", ")}]`, { field: `classes[${j}]` });
    if (classes.indexOf(name) !== j) throw new FacrInputError(`duplicate class "${name}"`, { field: `classes[${j}]` });
  });
  const groups: Record<string, string[][]> = {};
  for (const [cls, list] of Object.entries(opts.groups ?? {})) {
    if (!classes.includes(cls)) throw new FacrInputError(`"${cls}" is not one of the classes being induced [${classes.join(", ")}]`, { field: `groups.${cls}` });
    groups[cls] = list.map((grp, gi) => {
      grp.forEach((a, ai) => {
        if (!data.aus.includes(a)) throw new FacrInputError(`${JSON.stringify(a)} is not one of the data's AUs`, { field: `groups.${cls}[${gi}][${ai}]` });
      });
      return [...grp];
    });
  }
  if (opts.provenanceSource !== undefined && (typeof opts.provenanceSource !== "string" || opts.provenanceSource === "")) {
    throw new FacrInputError("must be a non-empty string", { field: "provenanceSource" });
  }
  if (opts.baseline !== undefined && opts.baseline !== null && !labels.classes.includes(opts.baseline)) {
    throw new FacrInputError(`"${opts.baseline}" is not one of the label classes [${labels.classes.join(", ")}]`, { field: "baseline" });
  }
  const seed = opts.seed ?? 0;
  if (typeof seed !== "string") checkNumber(seed, "seed", { integer: true });
  return {
    resamples: checkNumber(opts.resamples ?? 50, "resamples", { min: 1, integer: true }),
    selectionThreshold: checkNumber(opts.selectionThreshold ?? 0.8, "selectionThreshold", { min: 0, max: 1 }),
    minCoefficient: checkNumber(opts.minCoefficient ?? 0.15, "minCoefficient", { min: 0 }),
    lambdaRatio: checkNumber(opts.lambdaRatio ?? 0.02, "lambdaRatio", { min: 0 }),
    lambda: opts.lambda === undefined ? null : checkNumber(opts.lambda, "lambda", { min: 0 }),
    baseline: opts.baseline !== undefined ? opts.baseline : null,
    seed,
    classes,
    provenanceSource: opts.provenanceSource ?? `induced from ${data.name ?? "AU annotations"}`,
    groups,
    tolerance: checkNumber(opts.tolerance ?? 1e-6, "tolerance", { min: 0 }),
    maxIterations: checkNumber(opts.maxIterations ?? 100, "maxIterations", { min: 1, integer: true }),
  };
}
