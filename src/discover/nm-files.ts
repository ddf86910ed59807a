import { constants } from "node:fs";
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { MAX_CONF_BYTES, readAtMost } from "../common/read-regular.js";
import { stripControls } from "../common/redact.js";
import type { InterfaceConfig, Problem } from "../model.js";
import { type NmProfile, parseKeyfile } from "./nm-keyfile.js";

/**
 * The WireGuard interfaces of NetworkManager's keyfiles in `dirs` (highest precedence first).
 * A profile is known by its uuid (by its file name when it has none): the copy in the first
 * folder wins. Files NetworkManager itself ignores are skipped: not regular, not owned by root
 * (or by the user running this tool), or with any group or other permission bit.
 */
export async function readKeyfiles(
  dirs: readonly string[],
): Promise<{ interfaces: InterfaceConfig[]; problems: Problem[] }> {
  const seen = new Set<string>();
  const interfaces: InterfaceConfig[] = [];
  const problems: Problem[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(".nmconnection")).sort();
    } catch {
      continue; // Most hosts have no such folder.
    }
    for (const name of names) {
      const read = await readKeyfile(join(dir, name));
      if ("severity" in read) {
        problems.push(read);
        continue;
      }
      problems.push(...read.problems);
      const identity = read.uuid ?? `file:${name}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      if (read.config === undefined) continue;
      const first = interfaces.find((c) => c.iface === read.config?.iface);
      if (first !== undefined) {
        const message = `a second NetworkManager profile for ${read.config.iface} (the first is ${first.file}); only the first is managed`;
        problems.push(warn(read.file, message));
        continue;
      }
      interfaces.push(read.config);
    }
  }
  return { interfaces, problems };
}

// --- internal ---

async function readKeyfile(file: string): Promise<NmProfile | Problem> {
  try {
    // O_NOFOLLOW: NetworkManager checks the file itself (lstat), not what a link points to.
    const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
    const handle = await open(file, flags);
    try {
      const stats = await handle.stat();
      const owner = stats.uid === 0 || stats.uid === process.geteuid?.();
      if (!stats.isFile() || !owner || (stats.mode & 0o077) !== 0) return warn(file, IGNORED);
      const text = await readAtMost(handle, MAX_CONF_BYTES);
      if (text === undefined) return warn(file, "larger than 1 MiB; file skipped");
      return parseKeyfile(text, file);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return warn(file, IGNORED);
    return warn(file, `cannot read: ${(error as Error).message}; file skipped`);
  }
}

const IGNORED =
  "NetworkManager ignores this file (it must be a regular file owned by root, mode 0600), so it is skipped";

function warn(file: string, message: string): Problem {
  return { severity: "warning", kind: "config", message, at: { file: stripControls(file) } };
}
