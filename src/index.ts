/**
 * facr — faithful AU → emotion reasoning (FACR) in TypeScript.
 *
 * One public API for users, notebooks and experiments. See README.md for a
 * five-line example and ../spec (FACR.md) for the method.
 */
export * from "./au";
export * from "./graph";
export * from "./faithfulness";
export { initBackend, backendInfo } from "./model/backend";
export type { BackendInfo, BackendPreference } from "./model/backend";
export { Rng } from "./util/random";
export type { Seed } from "./util/random";
export { FacrInputError } from "./util/errors";
export { writeFileAtomic, writeJsonAtomic } from "./util/atomic";
