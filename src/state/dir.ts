import type { Stats } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { replaceFile } from "../common/atomic-file.js";
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
 * Writes `file` (in a checked state folder) atomically: a new file, fsync if `sync`, then rename.
 * Mode 0640: no secret is in it, group root has no other members on Debian, and the group bits
 * are the ACL mask that lets a folder's default ACL give a monitoring user read access (README,
 * `status --check`); the folder (0700) admits nobody else.
 */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await replaceFile(file, text, { mode: 0o640, sync: true }).catch((error: unknown) => {
    throw new StateError(`${file}: cannot write the state: ${errnoText(error)}`);
  });
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
