import { constants } from "node:fs";
import { link, lstat, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { writeNewFile } from "../common/atomic-file.js";
import { randomHex } from "../util/random-hex.js";
import { stateDirReady } from "./dir.js";
import { errnoText, StateError } from "./errors.js";
import { formatHolder, type Holder, isLiveManager, parseHolder, selfHolder } from "./holder.js";

/** A held lock; release() is safe to call twice. */
export interface Lock {
  /** Whether the lock file is still this one (not removed with its folder, nor replaced). */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the host-wide lock so that two runs (a slow pass and the next cron minute, or cron and
 * the service) never interleave. Returns the holder's PID instead when a live wg-endpoint-manager
 * has it (same PID, start time and boot; see holder.ts); any other lock is taken over. A lock
 * path that is not a regular file is a StateError.
 */
export async function acquireLock(dir: string): Promise<Lock | { heldBy: number }> {
  await stateDirReady(dir, true);
  const file = join(dir, "lock");
  const text = formatHolder(await selfHolder());
  for (let attempt = 0; attempt < 3; attempt++) {
    // The lock is written under a new random name and linked into place, so it never exists
    // without its holder, and a file or link planted under any name is never written through.
    // No fsync: after a power loss an empty lock is simply taken over.
    const temp = await writeNewFile(dir, "lock", text, { mode: 0o600, sync: false }).catch(
      (error: unknown) => {
        throw new StateError(`${file}: cannot create the lock: ${errnoText(error)}`);
      },
    );
    try {
      await link(temp, file);
      return heldLock(file, (await lstat(file)).ino);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StateError(`${file}: cannot create the lock: ${errnoText(error)}`);
      }
      const found = await readLock(file);
      if (found === undefined) continue; // released meanwhile: try again
      if (found.holder !== undefined && (await isLiveManager(found.holder)))
        return { heldBy: found.holder.pid };
      await takeOver(dir, file, found.ino);
    } finally {
      await unlink(temp).catch(() => undefined); // the link in place keeps the lock
    }
  }
  const last = await readLock(file);
  return { heldBy: last?.holder?.pid ?? 0 };
}

// --- internal ---

/** The largest lock read: three short lines. */
const MAX_LOCK_BYTES = 256;

function heldLock(file: string, ino: number): Lock {
  let released = false;
  return {
    async held() {
      if (released) return false;
      // NOTE: a removed file's inode number is soon reused: the PID in it must be ours too.
      const now = await readLock(file);
      return now?.ino === ino && now.holder?.pid === process.pid;
    },
    async release() {
      if (released) return;
      released = true;
      // Only our own lock is removed (the same inode and PID), never one taken over meanwhile.
      const now = await readLock(file).catch(() => undefined);
      if (now?.ino === ino && now.holder?.pid === process.pid)
        await unlink(file).catch(() => undefined);
    },
  };
}

/** The lock's holder (if it names one) and inode; undefined when there is no lock any more. */
async function readLock(file: string): Promise<{ holder?: Holder; ino: number } | undefined> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw notRegular(file, "a symbolic link");
    throw new StateError(`${file}: cannot read the lock: ${errnoText(error)}`);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw notRegular(file, "a folder");
    if (!stats.isFile()) throw notRegular(file, stats.isFIFO() ? "a FIFO" : "a special file");
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    const holder = parseHolder(buffer.subarray(0, bytesRead).toString("utf8"));
    return holder === undefined ? { ino: stats.ino } : { holder, ino: stats.ino };
  } finally {
    await handle.close();
  }
}

/**
 * Removes a stale lock, but only the very one judged stale: it is renamed aside first (atomic),
 * and put back if another run replaced it between the check and the rename.
 */
async function takeOver(dir: string, file: string, staleIno: number): Promise<void> {
  const aside = join(dir, `.lock.${await randomHex(6)}.stale`);
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // someone else removed it
    throw new StateError(`${file}: cannot remove a stale lock: ${errnoText(error)}`);
  }
  const moved = await lstat(aside).catch(() => undefined);
  if (moved !== undefined && moved.ino !== staleIno) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function notRegular(file: string, what: string): StateError {
  return new StateError(`${file}: the lock is ${what}, not a regular file; remove it`);
}
