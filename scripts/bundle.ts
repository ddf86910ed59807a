// Bundles the compiled CLI into dist/bin/ (run by `npm run build`, after tsc).
// NOTE(perf): Node 20 spends most of a no-op pass loading small modules (execa alone is over a
// hundred files). The cron run loads bin.js, a few lines that compile cli.js (all of our code)
// with V8's code cache, both CommonJS (a package.json in dist/bin says so). CommonJS, because
// Node 20's ES module loader is a noticeable share of a no-op pass on its own, and a dozen ES
// chunks more (README "Performance"); the code of commands a run does not use (watch, status) is
// parsed but not run. The dependencies only some paths need are bundles of their own, loaded on
// first use: execa (the system ping, without raw sockets), js-yaml (a YAML settings
// file), chokidar (watch mode) and prom-client (metrics). net-ping stays external: it loads
// raw-socket's native addon from node_modules.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { build, type Plugin } from "esbuild";

const OUT = "dist/bin";
/**
 * Bundled apart from cli.js, each as dist/bin/vendor/NAME.cjs, and loaded only when used. All
 * CommonJS: cli.js runs through vm.Script (for V8's code cache), where Node.js 20 has no
 * import(), so our `await import("execa")` becomes a require() of the vendor bundle.
 */
const VENDOR = ["execa", "js-yaml", "chokidar", "prom-client"] as const;

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
await writeFile(`${OUT}/package.json`, '{ "type": "commonjs" }\n');
/** The CommonJS options of both of our bundles. */
const COMMONJS = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // import.meta.url (net-ping's require, package.json for --version) from the bundle's own path.
  define: { "import.meta.url": "__wgemUrl" },
  // The banner comes before esbuild's own "use strict", which would then not count: repeat it.
  banner: {
    js: '"use strict";\nconst __wgemUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  logLevel: "warning",
} as const;
// The CLI itself, which bin.js compiles with V8's code cache (src/cli/code-cache.ts).
await build({
  ...COMMONJS,
  entryPoints: ["dist/src/cli/start.js"],
  outfile: `${OUT}/cli.js`,
  external: ["net-ping"],
  plugins: [vendorRequires()],
});
const cli = await readFile(`${OUT}/cli.js`, "utf8");
if (/\bimport\(/.test(cli))
  throw new Error(`${OUT}/cli.js calls import(), which fails under vm.Script: use createRequire`);
// The command: a few lines and node:vm, so that the cached code is used before anything else.
await build({ ...COMMONJS, entryPoints: ["dist/src/cli/bin.js"], outfile: `${OUT}/bin.js` });
await build({
  entryPoints: Object.fromEntries(VENDOR.map((name) => [name, name])),
  outdir: `${OUT}/vendor`,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

/**
 * `import("execa")` and `import "prom-client"` in our code become `require("./vendor/NAME.cjs")`
 * in cli.js: a dynamic import through a small CommonJS module of its own, so that esbuild emits
 * a require() where it would keep the import().
 */
function vendorRequires(): Plugin {
  const filter = new RegExp(`^(${VENDOR.join("|")})$`);
  return {
    name: "vendor-requires",
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: "vendor" }));
      b.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
        contents: `module.exports = require("./vendor/${args.path}.cjs");`,
        loader: "js",
      }));
      b.onResolve({ filter: /^\.\/vendor\// }, (args) => ({ path: args.path, external: true }));
    },
  };
}
