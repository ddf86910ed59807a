/**
 * Who owns a lab or an oracle namespace: an owner file (`{"ownerPid":…,"createdAt":…}`) in its
 * tmp dir, written before anything else of it exists, so that `cleanupStaleLabs()` removes the
 * leftovers of dead processes only and never those of a run still going.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { processArgv } from "./exec.js";

/** Creates `file`'s directory (0700) and marks it as owned by this process. */
export async function claimOwner(file: string, options: { exclusive: boolean }): Promise<void> {
  // Exclusive: an id already in use (a live run's dir) makes this throw instead of sharing it.
  await mkdir(dirname(file), { recursive: !options.exclusive, mode: 0o700 });
  const owner = { ownerPid: process.pid, createdAt: new Date().toISOString() };
  await writeFile(file, `${JSON.stringify(owner)}\n`);
}

/** Whether the process named in owner file `file` still runs (a missing or bad file: no). */
export async function ownerAlive(file: string): Promise<boolean> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof parsed !== "object" || parsed === null || !("ownerPid" in parsed)) return false;
    const pid = parsed.ownerPid;
    return typeof pid === "number" && (await processArgv(pid)) !== undefined;
  } catch {
    return false;
  }
}
