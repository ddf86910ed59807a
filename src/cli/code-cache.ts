import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script, constants as vmConstants } from "node:vm";
import { readRegularFileSync } from "../common/read-regular-sync.js";

/**
 * Where root keeps V8's compiled code of the CLI bundle. NOTE(perf): compiling the 200 KB bundle
 * and the functions a pass runs is a large part of a no-op cron run; the cache skips both.
 */
export const CACHE_DIR = "/var/cache/wg-endpoint-manager";

/** What became of the cache when the bundle was loaded. */
export type CacheUse = "used" | "rejected" | "absent" | "untrusted" | "off";

/** A bundle compiled (with the cache when it could be used), ready to run once. */
export interface LoadedBundle {
  readonly cache: CacheUse;
  /** Runs the bundle as a CommonJS module. */
  run(): void;
  /** Writes the code compiled so far to the cache; never throws (the cache is only a help). */
  save(): void;
}

/**
 * Compiles `bundle` with the cache file in `cacheDir` made for exactly this bundle and this
 * Node.js (see cacheKey), if root owns it and nobody else can write it. Only root uses the
 * cache: the code it holds runs as the process's own.
 */
export function loadBundle(bundle: string, cacheDir: string, read = true): LoadedBundle {
  const source = readFileSync(bundle, "utf8");
  const key = cacheKey(statSync(bundle));
  const file = cacheFile(cacheDir, bundle);
  const root = process.geteuid?.() === 0;
  const found = root && read ? readCache(file, key) : "off";
  const script = new Script(wrap(source), {
    filename: bundle,
    ...(typeof found === "object" ? { cachedData: found } : {}),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CacheUse =
    typeof found === "object" ? (script.cachedDataRejected === true ? "rejected" : "used") : found;
  return {
    cache,
    run() {
      const run = script.runInThisContext() as (...args: unknown[]) => void;
      const module = { exports: {} };
      run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
    },
    save() {
      if (root) writeCache(cacheDir, file, key, script.createCachedData());
    },
  };
}

/**
 * How a run with these arguments uses the cache. A pass (the default command) reads it and
 * leaves its compiled code there. --help, --version and status compile a small part of the CLI,
 * and V8 would take such a cache for good, leaving every pass to compile its own functions
 * again: they only read it. The service neither: it starts once, and runs with V8 flags of its
 * own (favourMemory), under which V8 rejects a cache made without them, and the other way round.
 */
export function cacheRole(argv: readonly string[]): "read-write" | "read" | "none" {
  if (argv.some((a) => a === "--help" || a === "-h" || a === "--version")) return "read";
  const command = argv.find((a) => !a.startsWith("-"));
  if (command === "watch") return "none";
  return command === "status" ? "read" : "read-write";
}

/**
 * What a cache file must have been made for: this Node.js and V8, this architecture, and this
 * very bundle file (size, modification time, inode). V8 itself checks only its version, its
 * flags and the source's length, so a rebuilt bundle of the same length would pass its check.
 */
export function cacheKey(bundle: Pick<Stats, "size" | "mtimeMs" | "ino">): string {
  const { node, v8 } = process.versions;
  return `wgem-code-cache 1 node ${node} v8 ${v8} ${process.arch} bundle ${bundle.size} ${bundle.mtimeMs} ${bundle.ino}\n`;
}

/** One cache file per installed bundle, named after the bundle's path. */
export function cacheFile(cacheDir: string, bundle: string): string {
  return join(cacheDir, `${bundle.replace(/[^A-Za-z0-9._-]/g, "_")}.v8cache`);
}

// --- internal ---

/** The largest cache file read: the bundle's code is a few hundred KB. */
const MAX_CACHE_BYTES = 16 * 1024 * 1024;

/** The cached data after the key line, or why there is none to use. */
function readCache(file: string, key: string): Buffer | "absent" | "untrusted" {
  const data = readRegularFileSync(file, MAX_CACHE_BYTES, { noFollow: true, accept: trusted });
  if (data === "absent") return "absent";
  if (data === "refused") return "untrusted";
  const head = Buffer.from(key);
  if (data.length <= head.length || !data.subarray(0, head.length).equals(head)) return "absent";
  return data.subarray(head.length);
}

/** A regular file of root's (or of the process's user) that neither group nor others can write. */
function trusted(stats: Stats): boolean {
  const self = process.geteuid?.() ?? 0;
  return stats.isFile() && stats.uid === self && (stats.mode & 0o022) === 0;
}

/** A new file (O_EXCL | O_NOFOLLOW, mode 0600) in a folder only root can write, then a rename. */
function writeCache(cacheDir: string, file: string, key: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  // Only a temporary file this call made is removed on failure, never one found in its place.
  let created = false;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const dir = statSync(cacheDir);
    if (!dir.isDirectory() || dir.uid !== (process.geteuid?.() ?? 0) || (dir.mode & 0o022) !== 0)
      return;
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const fd = openSync(temp, flags, 0o600);
    created = true;
    try {
      writeSync(fd, key);
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    try {
      if (created) unlinkSync(temp);
    } catch {
      // already renamed
    }
  }
}

/** The bundle as the body of a CommonJS module function, as Node.js wraps a file it requires. */
function wrap(source: string): string {
  // A `#!` line is not JavaScript; keep the line, so that line numbers stay right.
  const body = source.startsWith("#!") ? `//${source.slice(2)}` : source;
  return `(function (exports, require, module, __filename, __dirname) { ${body}\n});`;
}
