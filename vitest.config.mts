import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    setupFiles: ["test/setup.ts"],
    // TensorFlow.js work is CPU-bound and single-threaded under wasm: one fork per core.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
