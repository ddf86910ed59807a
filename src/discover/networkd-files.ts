import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { MAX_CONF_BYTES, readRegularFile } from "../common/read-regular.js";
import { stripControls } from "../common/redact.js";
import type { InterfaceConfig, Problem } from "../model.js";
import { netdevInterface, parseNetdev } from "./networkd.js";

/** The main file and drop-ins of each `.netdev` networkd would load, in its processing order. */
export interface NetdevFiles {
  readonly main: string;
  readonly dropins: readonly string[];
}

/**
 * Which files networkd reads from `dirs` (highest precedence first): the first file of each name
 * wins, an empty file or a link to /dev/null masks the name; drop-ins `NAME.netdev.d/*.conf`
 * are taken from every folder the same way and merged in file-name order. The result is in
 * file-name order, whatever the folder, as networkd processes them.
 */
export async function findNetdevFiles(dirs: readonly string[]): Promise<NetdevFiles[]> {
  const mains = await firstOfEachName(dirs, (name) => name.endsWith(".netdev"));
  const found: NetdevFiles[] = [];
  for (const [name, path] of [...mains].sort(byName)) {
    if (path === undefined) continue;
    const dropDirs = dirs.map((d) => join(d, `${name}.d`));
    const dropins = await firstOfEachName(dropDirs, (n) => n.endsWith(".conf"));
    const paths = [...dropins].sort(byName).flatMap(([, p]) => (p === undefined ? [] : [p]));
    found.push({ main: path, dropins: paths });
  }
  return found;
}

/** File-name order (byte order, as networkd sorts), for [name, path] entries. */
const byName = ([a]: [string, unknown], [b]: [string, unknown]): number =>
  a < b ? -1 : a > b ? 1 : 0;

/**
 * The WireGuard interfaces networkd's files describe. The first file (in processing order) that
 * names an interface wins, as networkd logs "already configured"; a file that cannot be read is
 * a problem and the others go on.
 */
export async function readNetdevs(
  sets: readonly NetdevFiles[],
): Promise<{ interfaces: InterfaceConfig[]; problems: Problem[] }> {
  const interfaces: InterfaceConfig[] = [];
  const problems: Problem[] = [];
  for (const set of sets) {
    const parts = [];
    for (const file of [set.main, ...set.dropins]) {
      const read = await readText(file);
      if (typeof read === "string") parts.push(parseNetdev(read, file));
      else problems.push(read);
    }
    const described = netdevInterface(parts);
    if (described === undefined) continue;
    const { nameLine, ...config } = described;
    const first = interfaces.find((c) => c.iface === config.iface);
    if (first !== undefined) {
      const message = `interface ${config.iface} is already configured by ${first.file}; networkd ignores this file`;
      problems.push(warn(config.file, nameLine, message));
      continue;
    }
    interfaces.push(config);
  }
  return { interfaces, problems };
}

// --- internal ---

/** Each file name's path in the first folder that has it; undefined for a masked name. */
async function firstOfEachName(
  dirs: readonly string[],
  wanted: (name: string) => boolean,
): Promise<Map<string, string | undefined>> {
  const byName = new Map<string, string | undefined>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue; // A folder that does not exist is the usual case, not a problem.
    }
    for (const name of names.filter(wanted)) {
      if (byName.has(name)) continue;
      const path = join(dir, name);
      byName.set(name, (await isMask(path)) ? undefined : path);
    }
  }
  return byName;
}

async function isMask(path: string): Promise<boolean> {
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return (await readlink(path)) === "/dev/null";
    return stats.isFile() && stats.size === 0;
  } catch {
    return false;
  }
}

async function readText(file: string): Promise<string | Problem> {
  try {
    const read = await readRegularFile(file, MAX_CONF_BYTES);
    if ("skipped" in read) return warn(file, undefined, `${read.skipped}; file skipped`);
    return read.text;
  } catch (error) {
    return warn(file, undefined, `cannot read: ${(error as Error).message}; file skipped`);
  }
}

function warn(file: string, line: number | undefined, message: string): Problem {
  const at =
    line === undefined ? { file: stripControls(file) } : { file: stripControls(file), line };
  return { severity: "warning", kind: "config", message, at };
}
