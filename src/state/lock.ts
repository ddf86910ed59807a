import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A held lock; release() is safe to call twice. */
export interface Lock {
  release(): Promise<void>;
}

/**
 * Takes the host-wide lock so that two runs (a slow pass and the next cron minute, or cron and
 * the service) never interleave. Returns the holder's PID instead when another live process has it;
 * a lock left by a dead process is taken over.
 */
export async function acquireLock(dir: string): Promise<Lock | { heldBy: number }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    // The PID is written first and linked into place, so the lock never exists without its holder.
    const temp = `${file}.${process.pid}`;
    await writeFile(temp, `${process.pid}\n`, { mode: 0o600 });
    try {
      await link(temp, file);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await unlink(file).catch(() => undefined); // already gone: nothing to release
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = await readHolder(file);
      if (holder !== undefined && isAlive(holder)) return { heldBy: holder };
      await unlink(file).catch(() => undefined); // stale: its holder is gone
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
  return { heldBy: (await readHolder(file)) ?? 0 };
}

// --- internal ---

async function readHolder(file: string): Promise<number | undefined> {
  const text = await readFile(file, "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
