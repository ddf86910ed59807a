import { constants, type Stats } from "node:fs";
import { mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { randomHex } from "../util/random-hex.js";
import { errnoText, StateError } from "./errors.js";

/**
 * Makes sure `dir` is a state folder root can trust: a folder owned by root (or by the user
 * running the tool) that neither group nor others can write, so that nobody else can plant a
 * file or a symbolic link in it. A missing folder is created (mode 0700) when `create` is set;
 * otherwise false says it is missing.
 */
export async function stateDirReady(dir: string, create: boolean): Promise<boolean> {
  let stats = await statOrUndefined(dir);
  if (stats === undefined) {
    if (!create) return false;
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw new StateError(`${dir}: cannot create the state folder: ${errnoText(error)}`);
    });
    stats = await statOrUndefined(dir);
    if (stats === undefined) throw new StateError(`${dir}: the state folder vanished`);
  }
  refuseUnsafe(dir, stats);
  return true;
}

/**
 * Creates a new file in `dir` under a random name with O_EXCL | O_NOFOLLOW and mode 0600 (a
 * planted file or symbolic link is never followed nor reused), writes `text`, and fsyncs it when
 * `sync` is set. Returns the path; on failure nothing is left behind.
 */
export async function writeNewFile(
  dir: string,
  prefix: string,
  text: string,
  sync: boolean,
): Promise<string> {
  const temp = join(dir, `.${prefix}.${await randomHex(6)}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, 0o600);
  try {
    await handle.writeFile(text);
    if (sync) await handle.sync();
    await handle.close();
    return temp;
  } catch (error) {
    await handle.close().catch(() => undefined); // already closed, or closing fails too
    await unlink(temp).catch(() => undefined); // never leave an empty or partial file behind
    throw error;
  }
}

/** Writes `file` (in a checked state folder) atomically: a new file, fsync, then rename. */
export async function writeAtomically(dir: string, file: string, text: string): Promise<void> {
  let temp: string | undefined;
  try {
    temp = await writeNewFile(dir, "state.json", text, true);
    await rename(temp, file); // replaces a planted symbolic link itself, never its target
  } catch (error) {
    if (temp !== undefined) await unlink(temp).catch(() => undefined);
    throw new StateError(`${file}: cannot write the state: ${errnoText(error)}`);
  }
}

// --- internal ---

async function statOrUndefined(dir: string): Promise<Stats | undefined> {
  try {
    // NOTE: stat, not lstat: a state folder may be a symbolic link that root made.
    return await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR")
      throw new StateError(`${dir}: a part of the state folder's path is a file, not a folder`);
    throw new StateError(`${dir}: cannot use the state folder: ${errnoText(error)}`);
  }
}

function refuseUnsafe(dir: string, stats: Stats): void {
  if (!stats.isDirectory())
    throw new StateError(
      `${dir}: the state folder is not a folder; remove it, or set stateDir to a folder`,
    );
  const self = process.geteuid?.() ?? 0;
  if (stats.uid !== 0 && stats.uid !== self)
    throw new StateError(
      `${dir}: the state folder is owned by UID ${stats.uid}, not root; refusing it (chown root ${dir})`,
    );
  if ((stats.mode & 0o022) !== 0) {
    const mode = (stats.mode & 0o7777).toString(8).padStart(4, "0");
    throw new StateError(
      `${dir}: the state folder is writable by group or others (mode ${mode}); refusing it (chmod go-w ${dir})`,
    );
  }
}
