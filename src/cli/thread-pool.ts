import { readdirSync } from "node:fs";
import { join } from "node:path";
import { MAX_CONF_BYTES } from "../common/read-regular.js";
import { readRegularFileSync } from "../common/read-regular-sync.js";
import { SYSTEM_DIR } from "../settings/load.js";
import { DEFAULTS, NETWORK_MANAGER_DIRS, NETWORKD_DIRS } from "../settings/schema.js";
import type { LeanRun } from "../util/favour-memory.js";
import { type Args, parseCommandLine } from "./args.js";

/** libuv's own default pool size: enough for the files a pass reads and a few lookups. */
export const SMALL_POOL = 4;
/** The pool for many hostnames: each getaddrinfo holds one pool thread until DNS answers. */
export const LARGE_POOL = 32;

/**
 * How many libuv pool threads a command needs, given how many Endpoint names it may look up
 * (undefined: not known before the settings are read). Every pool thread is started at the
 * pool's first use and stopped at exit, so a cron run over a few names starts few.
 */
export function poolSize(command: Args["command"], names: number | undefined): number {
  // NOTE(perf): the service sizes its pool as a pass does: libuv starts every thread at once,
  // and the large pool's threads (each with its own malloc arena once it resolves) kept a
  // one-peer service larger for good (README "Performance"). A fleet that grows later resolves through the smaller pool,
  // as many names at a time as it has threads (resolve/lookup-gate.ts); a restart widens it.
  if (command !== "run" && command !== "watch") return SMALL_POOL; // no DNS
  if (names === undefined) return LARGE_POOL;
  return Math.min(LARGE_POOL, Math.max(SMALL_POOL, names));
}

/**
 * The command line, or undefined when it is bad: start-up then takes the safe defaults, and
 * main() reports the usage error.
 */
export function commandLineOrUndefined(argv: readonly string[]): Args | undefined {
  try {
    return parseCommandLine(argv);
  } catch {
    return undefined;
  }
}

/**
 * Whether this command line (`args`, undefined when bad) runs lean on memory (favourMemory),
 * and as what: the service always, a pass when it needs the large pool (`pool`).
 */
export function leanRun(args: Args | undefined, pool: number): LeanRun | undefined {
  if (args === undefined) return undefined;
  if (args.command === "watch") return "service";
  return pool === LARGE_POOL ? "large pass" : undefined;
}

/**
 * The pool size for this command line (`args`, undefined when bad), from a quick count of the
 * Endpoint lines in the config folder. Synchronous, and before anything uses the pool: libuv
 * reads UV_THREADPOOL_SIZE once. With settings that may name another folder, or a bad command
 * line, the large pool.
 */
export function poolSizeFor(args: Args | undefined, settingsDir = SYSTEM_DIR): number {
  if (args === undefined) return LARGE_POOL;
  if (args.command !== "run" && args.command !== "watch") return poolSize(args.command, undefined);
  if (args.single !== undefined) return poolSize(args.command, 1);
  const settled = args.configDir !== undefined || !settingsMayMoveConfigDir(args, settingsDir);
  const dir = args.configDir ?? DEFAULTS.configDir;
  return poolSize(args.command, settled ? countAllEndpointLines(dir) : undefined);
}

/**
 * The Endpoint lines of every source a pass reads by default: wg-quick's `*.conf` in `dir`,
 * networkd's `*.netdev` and NetworkManager's `*.nmconnection` in their folders (a missing
 * manager folder holds none). Undefined when any cannot be read.
 */
export function countAllEndpointLines(
  dir: string,
  managers: { readonly dir: string; readonly suffix: string }[] = MANAGER_SOURCES,
): number | undefined {
  let count = countEndpointLines(dir);
  for (const m of managers) {
    if (count === undefined) return undefined;
    const found = countEndpointLines(m.dir, m.suffix, true);
    count = found === undefined ? undefined : count + found;
  }
  return count;
}

/**
 * How many `Endpoint =` lines (any case: networkd and NetworkManager write it so too) the files
 * ending in `suffix` in `dir` hold, an upper bound on the names a pass looks up; undefined when
 * the folder (unless `missingIsEmpty`) or a file cannot be read as a regular file.
 */
export function countEndpointLines(
  dir: string,
  suffix = ".conf",
  missingIsEmpty = false,
): number | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return missing && missingIsEmpty ? 0 : undefined;
  }
  try {
    let count = 0;
    for (const name of names) {
      if (!name.endsWith(suffix)) continue;
      const lines = endpointLines(join(dir, name));
      if (lines === undefined) return undefined;
      count += lines;
    }
    return count;
  } catch {
    return undefined;
  }
}

// --- internal ---

const MANAGER_SOURCES = [
  ...NETWORKD_DIRS.map((dir) => ({ dir, suffix: ".netdev" })),
  ...NETWORK_MANAGER_DIRS.map((dir) => ({ dir, suffix: ".nmconnection" })),
];

/**
 * Whether a settings file may name another config folder: `--config`, or a settings file in
 * `settingsDir` with `configDir` on a line that is not a YAML comment (the example settings
 * the package installs are all comments), or one that cannot be read.
 */
function settingsMayMoveConfigDir(args: Args, settingsDir: string): boolean {
  if (args.config !== undefined) return true;
  let names: string[];
  try {
    names = readdirSync(settingsDir).filter((n) => /^config\.(json|ya?ml)$/.test(n));
  } catch {
    return false;
  }
  return names.some((name) => {
    const text = regularText(join(settingsDir, name));
    return (
      text === undefined || /^(?![ \t]*#).*(configDir|networkdDirs|networkManagerDirs)/m.test(text)
    );
  });
}

const ENDPOINT_LINE = /^[ \t]*Endpoint[ \t]*=/gim;

function endpointLines(file: string): number | undefined {
  const text = regularText(file);
  return text === undefined ? undefined : (text.match(ENDPOINT_LINE)?.length ?? 0);
}

/** A regular file's text, or undefined (see readRegularFileSync). */
function regularText(file: string): string | undefined {
  const data = readRegularFileSync(file, MAX_CONF_BYTES);
  return typeof data === "string" ? undefined : data.toString("utf8");
}
