import { auCode, OPENFACE_AUS, PSPI_AUS, UNBC_AUS } from "../au/registry";
import { FacrInputError } from "../util/errors";
import { FACS_IG_2002, PROTOTYPE_SUBSTITUTES } from "./facs-prototypes";
import { CausalGraph, makeGraph, Polarity } from "./graph";

/** Pain classes, in logit order. */
export const PAIN_CLASSES = ["no_pain", "pain"] as const;

/** The seven classes of the emotion task (neutral + six basic), in Aff-Wild2's order. */
export const EMOTION_CLASSES = ["neutral", "anger", "disgust", "fear", "happiness", "sadness", "surprise"] as const;

/**
 * G for pain over the 11 UNBC AUs: PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43
 * (Prkachin & Solomon, 2008). The PSPI AUs are +1 for pain and −1 for no_pain;
 * AU12, 20, 25, 26, 27 are 0 for both. {AU6, AU7} and {AU9, AU10} are substitute
 * groups for both classes (each class's log-odds is the other's negative).
 */
export function pspiGraph(): CausalGraph {
  const aus = [...UNBC_AUS];
  const polarity = aus.map((a): Polarity[] => (PSPI_AUS.includes(a) ? [-1, 1] : [0, 0]));
  const groups = [
    ["AU06", "AU07"],
    ["AU09", "AU10"],
  ];
  return makeGraph({
    aus,
    classes: [...PAIN_CLASSES],
    polarity,
    groups: { no_pain: groups, pain: groups },
    provenance: {
      kind: "known",
      source: "PSPI (Prkachin & Solomon, 2008)",
      notes: "PSPI AUs +1 for pain, -1 for no_pain; other UNBC AUs 0; groups from the two max() terms",
    },
  });
}

export interface PrototypeGraphOptions {
  /** AU columns (default: the 17 OpenFace 2 AUs). */
  aus?: readonly string[];
  /** Classes (default: EMOTION_CLASSES). "neutral" and "contempt" are allowed. */
  classes?: readonly string[];
}

/**
 * G for emotion from the FACS Investigator's Guide prototypes (contempt from
 * Matsumoto 2008), our encoding:
 *
 * - AU k is +1 for an emotion when it is required by at least half of that
 *   emotion's distinct prototypes. Variants, optional alternatives (25/26/27) and
 *   head/eye movements make no edges. Result on the OpenFace AUs: anger 4, 5, 7,
 *   23; disgust 9, 10 (a substitute group: the Guide allows either); fear 1, 2, 4,
 *   5, 20; happiness 6, 12; sadness 1, 4, 15; surprise 1, 2, 5, 26.
 * - neutral is −1 for every AU that is +1 for some emotion in the graph (a
 *   neutral face is the absence of the prototypes), 0 otherwise.
 * - AUs outside `aus` (AU11, 16, 22, 24, 27 for OpenFace) are dropped.
 */
export function emotionPrototypeGraph(opts: PrototypeGraphOptions = {}): CausalGraph {
  const aus = [...(opts.aus ?? OPENFACE_AUS)];
  const classes = [...(opts.classes ?? EMOTION_CLASSES)];
  const polarity: Polarity[][] = aus.map(() => classes.map(() => 0 as Polarity));
  const groups: Record<string, string[][]> = {};
  classes.forEach((cls, c) => {
    if (cls === "neutral") return;
    const protos = FACS_IG_2002.prototypes[cls];
    if (!protos) throw new FacrInputError(`no FACS prototype for class "${cls}" (known: neutral, ${Object.keys(FACS_IG_2002.prototypes).join(", ")})`, { field: "classes" });
    const counts = new Map<number, number>();
    for (const p of protos) for (const n of p) counts.set(n, (counts.get(n) ?? 0) + 1);
    for (const [n, count] of counts) {
      const k = aus.indexOf(auCode(n));
      if (k >= 0 && 2 * count >= protos.length) polarity[k][c] = 1;
    }
    const subs = (PROTOTYPE_SUBSTITUTES[cls] ?? [])
      .map((grp) => grp.map(auCode).filter((a) => aus.includes(a) && polarity[aus.indexOf(a)][c] === 1))
      .filter((grp) => grp.length >= 2);
    if (subs.length) groups[cls] = subs;
  });
  const n = classes.indexOf("neutral");
  if (n >= 0) {
    aus.forEach((_, k) => {
      if (classes.some((_c, c) => c !== n && polarity[k][c] === 1)) polarity[k][n] = -1;
    });
  }
  return makeGraph({
    aus,
    classes,
    polarity,
    groups,
    provenance: {
      kind: "known",
      source: FACS_IG_2002.source,
      notes:
        "+1 when an AU is required by at least half of an emotion's distinct prototypes (variants and optional AUs make no edges); " +
        "neutral -1 for every AU that is +1 for some emotion; disgust's AU9/AU10 a substitute group",
    },
  });
}
