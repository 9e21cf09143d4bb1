import { actionUnit } from "../au/registry";
import { CausalGraph } from "./graph";

/**
 * Graphviz DOT of G: AU nodes on the left, class nodes on the right, an edge per
 * non-zero polarity (green solid "+", red dashed "−"); substitute groups as
 * dotted undirected links between their members, labelled with the class.
 */
export function graphToDot(g: CausalGraph, name = "G"): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`digraph ${q(name)} {`, "  rankdir=LR;", `  label=${q(g.provenance.source)};`, "  node [fontname=Helvetica];"];
  lines.push("  subgraph aus { rank=same; node [shape=box];");
  for (const a of g.aus) lines.push(`    ${q(a)} [label=${q(`${a}\\n${actionUnit(a).name}`)}];`);
  lines.push("  }");
  lines.push("  subgraph classes { rank=same; node [shape=ellipse, style=bold];");
  for (const c of g.classes) lines.push(`    ${q("class:" + c)} [label=${q(c)}];`);
  lines.push("  }");
  g.aus.forEach((a, k) =>
    g.classes.forEach((c, j) => {
      const p = g.polarity[k][j];
      if (p === 1) lines.push(`  ${q(a)} -> ${q("class:" + c)} [color="#1b7837", label="+"];`);
      if (p === -1) lines.push(`  ${q(a)} -> ${q("class:" + c)} [color="#c51b7d", style=dashed, label="−"];`);
    }),
  );
  for (const [c, list] of Object.entries(g.groups)) {
    for (const grp of list) {
      for (let i = 1; i < grp.length; i++) {
        lines.push(`  ${q(grp[0])} -> ${q(grp[i])} [dir=none, style=dotted, constraint=false, label=${q("max: " + c)}];`);
      }
    }
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
