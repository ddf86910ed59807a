import { readFile, readlink, realpath } from "node:fs/promises";
import { resolve } from "node:path";

/** Who wrote a lock: a process is known by its PID, its start time and the boot it ran in. */
export interface Holder {
  readonly pid: number;
  /** `/proc/PID/stat` field 22 (clock ticks since boot); absent when /proc could not tell. */
  readonly start?: number | undefined;
  /** `/proc/sys/kernel/random/boot_id`; a lock from an earlier boot names no live process. */
  readonly boot?: string | undefined;
}

/** This process, as its lock records it. */
export async function selfHolder(): Promise<Holder> {
  const stat = await readFile(`/proc/${process.pid}/stat`, "utf8").catch(() => "");
  return { pid: process.pid, start: startTime(stat), boot: await bootId() };
}

/** The text of a lock: the PID on the first line, then start and boot (empty when unknown). */
export function formatHolder(holder: Holder): string {
  return [holder.pid, holder.start ?? "", holder.boot ?? ""].join("\n").concat("\n");
}

/** Reads a lock's text; undefined when it names no PID (empty or garbage: nobody holds it). */
export function parseHolder(text: string): Holder | undefined {
  const [pidText = "", startText = "", boot = ""] = text.split("\n").map((l) => l.trim());
  if (!/^[1-9][0-9]{0,9}$/.test(pidText)) return undefined;
  const start = /^[0-9]{1,20}$/.test(startText) ? Number(startText) : undefined;
  return { pid: Number(pidText), start, boot: /^[0-9a-f-]{1,64}$/.test(boot) ? boot : undefined };
}

/**
 * Whether the holder is a live wg-endpoint-manager other than this process: the same PID, start
 * time and boot, and a command line that runs this tool. Anything else (a dead PID, a PID reused
 * by another program, our own PID after a container restart) holds nothing.
 */
export async function isLiveManager(holder: Holder): Promise<boolean> {
  if (holder.pid === process.pid) return false;
  let stat: string;
  try {
    stat = await readFile(`/proc/${holder.pid}/stat`, "utf8");
  } catch (error) {
    // Gone. Any other failure (/proc mounted with hidepid, say): assume it runs, never steal.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
  if (processState(stat) === "Z") return false; // a zombie holds nothing
  if (holder.start !== undefined && holder.start !== startTime(stat)) return false;
  if (holder.boot !== undefined && holder.boot !== (await bootId())) return false;
  return runsThisTool(holder.pid);
}

/** Field 22 of a `/proc/PID/stat` line; the command name in field 2 may hold spaces and `)`. */
export function startTime(stat: string): number | undefined {
  const fields = afterCommand(stat);
  const value = fields[19]; // field 22: fields after the name start at field 3
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

// --- internal ---

const TOOL = "wg-endpoint-manager";

function processState(stat: string): string | undefined {
  return afterCommand(stat)[0];
}

function afterCommand(stat: string): string[] {
  const end = stat.lastIndexOf(")");
  return end < 0
    ? []
    : stat
        .slice(end + 1)
        .trim()
        .split(/\s+/);
}

async function bootId(): Promise<string | undefined> {
  const text = await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => "");
  return text.trim() === "" ? undefined : text.trim();
}

/** The tool's name in its command line, or the same script as this process runs. */
async function runsThisTool(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  if (cmdline === undefined) return true; // cannot tell: never steal
  const args = cmdline
    .split("\0")
    .filter((a) => a !== "")
    .slice(0, 3);
  // The name anywhere in the program or script path: /usr/local/bin/wg-endpoint-manager, or an
  // install in /opt/wg-endpoint-manager/ run as `node …/dist/bin/bin.js`.
  if (args.some((a) => a.includes(TOOL))) return true;
  const own = process.argv[1];
  if (own === undefined) return false;
  const ownPath = await realpath(own).catch(() => resolve(own));
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "/");
  for (const arg of args) {
    const path = await realpath(resolve(cwd, arg)).catch(() => undefined);
    if (path === ownPath) return true;
  }
  return false;
}
