import { FacrInputError } from "../util/errors";

/**
 * A dense design matrix of n rows (observations) stored column by column
 * (p = columns.length), as glmnet does: coordinate descent and the Hessian are
 * dot products over columns.
 */
export interface Design {
  readonly columns: readonly Float64Array[];
  readonly n: number;
}

/** n ≥ 1 rows, p ≥ 1 columns, every column n long; returns n and p. */
export function checkDesign(d: Design): { n: number; p: number } {
  const p = d.columns.length;
  if (!Number.isInteger(d.n) || d.n < 1 || p < 1) {
    throw new FacrInputError(`a design needs n ≥ 1 rows and p ≥ 1 columns, got n = ${d.n}, p = ${p}`, { field: "design" });
  }
  d.columns.forEach((c, j) => {
    if (c.length !== d.n) throw new FacrInputError(`holds ${c.length} values, expected n = ${d.n}`, { field: `design.columns[${j}]` });
  });
  return { n: d.n, p };
}
