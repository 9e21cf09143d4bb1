#!/usr/bin/env node
/**
 * Starts tslab's kernel (`node_modules/.bin/tslab kernel …`) in the project root,
 * whatever directory Jupyter starts kernels in (JupyterLab and nbconvert use the
 * notebook's directory, notebooks/). Cells can then `import { … } from "./src"`
 * and relative paths (results/, data/, build/) mean the same as on the command line.
 *
 * Used by jupyter/kernels/{tslab,jslab}/kernel.json through JUPYTER_PATH=$(pwd)/jupyter
 * (see `make lab`). Arguments go on to `tslab kernel` (--config-path <file> [--js]).
 *
 * Three adjustments to tslab 1.0.22, each explained where it is made:
 *  1. project .ts files are loaded by tsx, not by tslab;
 *  2. tslab's TypeScript watches no files;
 *  3. tslab type-checks and compiles the cell, not every project file it imports.
 * They reach into tslab's internals: if a tslab upgrade moves them, the kernel
 * says so on stderr and runs without that adjustment.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const tslabDist = path.join(root, "node_modules", "tslab", "dist");
for (const need of [path.join(tslabDist, "main.js"), path.join(root, "node_modules", "tsx", "package.json")]) {
  if (!fs.existsSync(need)) {
    console.error(`facr kernel: ${need} not found. Run \`make install\` (npm ci) in ${root} first.`);
    process.exit(1);
  }
}
process.chdir(root);
const warn = (what, e) => console.error(`facr kernel: could not ${what} (tslab internals changed?): ${e && e.message ? e.message : e}; running without it.`);

// 1. tsx loads project TypeScript. tslab compiles the .ts files a cell imports and
// loads its own copies ("side outputs"), but its loader resolves `./x` only as
// the file `x.js`, never as the directory `x/index`, so src/'s directory imports
// (`export * from "./au"` in src/index.ts) fail at run time; and a mix of tslab-
// and Node-loaded copies of one module would duplicate its state (the selected
// tfjs backend, classes used with instanceof). With tsx's require hook, every
// project .ts file loads through Node's require, as under `npx tsx` and vitest:
// one copy, normal resolution. Consequence: restart the kernel after editing src/.
require(require.resolve("tsx/cjs/api", { paths: [root] })).register();
try {
  const converter = require(path.join(tslabDist, "converter.js"));
  const createConverter = converter.createConverter;
  converter.createConverter = (options) => {
    const conv = createConverter(options);
    const convert = conv.convert.bind(conv);
    conv.convert = (...args) => {
      const out = convert(...args);
      // Drop compiled copies of files that exist on disk: tslab's require then falls back to Node's (tsx).
      if (out && out.sideOutputs) {
        const kept = out.sideOutputs.filter((o) => !/\.js$/.test(o.path) || !fs.existsSync(o.path.replace(/\.js$/, ".ts")));
        out.sideOutputs = kept.length ? kept : undefined;
      }
      return out;
    };
    return conv;
  };
} catch (e) {
  warn("route project .ts files through tsx", e);
}

try {
  const tsPath = require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(tslabDist)] });
  const ts = require(tsPath);

  // 2. No file watching. When a watched file changes on disk (you save a file in
  // src/, a notebook writes into the project), TypeScript's watch host schedules
  // a rebuild on a timer that tslab never fires, and every later cell fails with
  // "Unexpected pending rebuildTimer". Without watchers the types stay as they
  // were at kernel start, like the tsx-loaded code.
  const noWatch = () => ({ close() {} });
  ts.sys.watchFile = noWatch;
  ts.sys.watchDirectory = noWatch;

  // 3. Check and compile the cell only. tslab would also report every diagnostic
  // of, and emit JavaScript for, each project file a cell imports (all of src/
  // through src/index.ts): 5–20 s per notebook, for output that (1) discards and
  // errors that `tsc --noEmit` (make typecheck, make test) reports. Files that
  // exist on disk are hidden from its dependency walk; the cell is still checked
  // against their types, and modules defined in cells are still compiled.
  // TypeScript's exports are getters, so tslab gets a copy of the module with
  // createWatchProgram wrapped.
  const onDisk = (f) => /\.(ts|tsx|js)$/.test(f) && !/\.d\.ts$/.test(f) && fs.existsSync(f);
  require.cache[tsPath].exports = Object.assign(Object.create(null), ts, {
    createWatchProgram(host) {
      const after = host.afterProgramCreate;
      host.afterProgramCreate = (builder) => {
        if (typeof builder.getAllDependencies === "function") {
          const deps = builder.getAllDependencies.bind(builder);
          builder.getAllDependencies = (sourceFile, ...rest) => deps(sourceFile, ...rest).filter((f) => !onDisk(f));
        }
        return after.call(host, builder);
      };
      return ts.createWatchProgram(host);
    },
  });
} catch (e) {
  warn("adjust tslab's TypeScript (file watching, dependency checks)", e);
}

// Exactly `tslab kernel <args>`: tslab's own CLI, from the project's node_modules.
process.argv = [process.argv[0], path.join(root, "node_modules", ".bin", "tslab"), "kernel", ...process.argv.slice(2)];
require(path.join(tslabDist, "main.js")).main();
