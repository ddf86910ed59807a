#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { v8FlagsChanged } from "../util/favour-memory.js";
import { CACHE_DIR, cacheRole, loadBundle } from "./code-cache.js";

// The command: loads the CLI bundle (cli.js beside this file) with V8's code cache.
const bundle = join(dirname(fileURLToPath(import.meta.url)), "cli.js");
const role = cacheRole(process.argv.slice(2));
const loaded = loadBundle(bundle, CACHE_DIR, role !== "none");
if (loaded.cache !== "used" && role === "read-write")
  process.once("exit", () => {
    if (!v8FlagsChanged()) loaded.save();
  });
loaded.run();
