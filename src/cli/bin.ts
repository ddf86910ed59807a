#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CACHE_DIR, loadBundle, savesCache } from "./code-cache.js";

// The command: loads the CLI bundle (cli.js beside this file) with V8's code cache.
const bundle = join(dirname(fileURLToPath(import.meta.url)), "cli.js");
const loaded = loadBundle(bundle, CACHE_DIR);
if (loaded.cache !== "used" && savesCache(process.argv.slice(2)))
  process.once("exit", () => loaded.save());
loaded.run();
