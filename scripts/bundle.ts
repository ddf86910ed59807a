// Bundles the compiled CLI into dist/bin/ (run by `npm run build`, after tsc).
// NOTE(perf): Node 20 spends most of a no-op pass loading small modules (execa alone is over a
// hundred files). The cron run loads one file: bin.js, all of our code, as CommonJS (a
// package.json in dist/bin says so). CommonJS, because Node 20's ES module loader is a
// noticeable share of a no-op pass on its own, and a dozen ES chunks more (README
// "Performance"); the code of commands a run does not use (watch, status) is parsed but not run. The dependencies only some paths need are bundles
// of their own, loaded on first use: execa (the system ping, without raw sockets), js-yaml (a YAML settings
// file), chokidar (watch mode) and prom-client (metrics). net-ping stays external: it loads
// raw-socket's native addon from node_modules.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { build, type Plugin } from "esbuild";

const OUT = "dist/bin";
/** Bundled apart from bin.js, each as dist/bin/vendor/NAME.mjs, and loaded only when used. */
const VENDOR = ["execa", "js-yaml", "chokidar"] as const;
/** The same, as dist/bin/vendor/NAME.cjs: CommonJS packages that our code imports statically. */
const VENDOR_CJS = ["prom-client"] as const;

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
await writeFile(`${OUT}/package.json`, '{ "type": "commonjs" }\n');
await build({
  entryPoints: ["dist/src/cli/bin.js"],
  outfile: `${OUT}/bin.js`,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["net-ping"],
  plugins: [vendorImports()],
  // import.meta.url (net-ping's require, package.json for --version) from the bundle's own path.
  define: { "import.meta.url": "__wgemUrl" },
  // The banner comes before esbuild's own "use strict", which would then not count: repeat it.
  banner: {
    js: '"use strict";\nconst __wgemUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  logLevel: "warning",
});
await build({
  entryPoints: Object.fromEntries(VENDOR.map((name) => [name, name])),
  outdir: `${OUT}/vendor`,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Bundled CommonJS dependencies (execa's cross-spawn) call require(): give them the real one.
  banner: {
    js: "import { createRequire as __wgemCreateRequire } from 'node:module'; const require = __wgemCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
await build({
  entryPoints: Object.fromEntries(VENDOR_CJS.map((name) => [name, name])),
  outdir: `${OUT}/vendor`,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

/**
 * `import("execa")` in our code becomes `import("./vendor/execa.mjs")`; prom-client, imported by
 * report/metrics.ts (itself loaded only when a metrics setting is on), `require("./vendor/prom-client.cjs")`.
 */
function vendorImports(): Plugin {
  const filter = new RegExp(`^(${[...VENDOR, ...VENDOR_CJS].join("|")})$`);
  const cjs = new Set<string>(VENDOR_CJS);
  return {
    name: "vendor-imports",
    setup(b) {
      b.onResolve({ filter }, (args) => ({
        path: `./vendor/${args.path}.${cjs.has(args.path) ? "cjs" : "mjs"}`,
        external: true,
      }));
    },
  };
}
