import * as fs from "node:fs";
import { writeFileAtomic } from "../util/atomic";
import { FacrInputError } from "../util/errors";
import { parseJson } from "../util/json";
import { CausalGraph, GRAPH_FORMAT, makeGraph } from "./graph";

/**
 * Graph JSON: `{ format, aus, classes, polarity, groups, provenance }`, with
 * polarity as one row per AU in `aus` order (columns follow `classes`). Rows are
 * written on one line each so a graph reads as a table in a diff.
 */
export function graphToJson(g: CausalGraph): string {
  const rows = g.polarity.map((row, k) => `    ${JSON.stringify(row)}${k < g.polarity.length - 1 ? "," : ""}`);
  const groups = Object.entries(g.groups).map(([c, list]) => `    ${JSON.stringify(c)}: ${JSON.stringify(list)}`);
  return [
    "{",
    `  "format": ${JSON.stringify(GRAPH_FORMAT)},`,
    `  "aus": ${JSON.stringify(g.aus)},`,
    `  "classes": ${JSON.stringify(g.classes)},`,
    `  "polarity": [`,
    ...rows,
    `  ],`,
    `  "groups": {${groups.length ? "\n" + groups.join(",\n") + "\n  " : ""}},`,
    `  "provenance": ${JSON.stringify(g.provenance)}`,
    "}",
    "",
  ].join("\n");
}

/** Parse and validate graph JSON; syntax errors name the line, content errors the field. */
export function graphFromJson(text: string, file = "graph"): CausalGraph {
  const parsed = parseJson(text, file);
  return makeGraph(parsed, file);
}

export function readGraph(file: string): CausalGraph {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new FacrInputError(`cannot read graph file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  return graphFromJson(text, file);
}

export function writeGraph(file: string, g: CausalGraph): void {
  writeFileAtomic(file, graphToJson(g));
}
