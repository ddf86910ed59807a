// Bundles the compiled CLI into dist/bin/ (run by `npm run build`, after tsc).
// Why: Node 20 spends most of a no-op pass loading ~200 small ES modules (execa alone is 106
// files, ~130 ms); a bundle of a few chunks loads in a fraction of that. Code splitting puts what
// only some commands use (watch mode and chokidar, execa, status) in chunks of their own, so the
// cron run never parses them. net-ping stays external: it loads a
// native addon from node_modules.
import { rm } from "node:fs/promises";
import { build } from "esbuild";

// Chunk names carry content hashes: clear out the previous build's chunks.
await rm("dist/bin", { recursive: true, force: true });
await build({
  entryPoints: ["dist/src/cli/bin.js"],
  outdir: "dist/bin",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["net-ping"],
  // Bundled CommonJS dependencies (execa's cross-spawn) call require(): give them the real one.
  banner: {
    js: "import { createRequire as __wgemCreateRequire } from 'node:module'; const require = __wgemCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
