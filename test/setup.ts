import { beforeAll } from "vitest";
import { initBackend } from "../src/model/backend";

// Every test file runs on the same backend selection as the library (wasm here).
beforeAll(async () => {
  await initBackend("auto", { quiet: true });
});
