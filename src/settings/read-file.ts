import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open } from "node:fs/promises";
import { kindOf, readAtMost } from "../common/read-regular.js";
import { SettingsError } from "./validate.js";

/**
 * Reads a settings file only if it can be trusted, the way sshd's StrictModes does: a regular
 * file (not a symbolic link, FIFO or device), at most 1 MiB, owned by root (or by the user
 * running the tool) and writable by nobody else. Looked at first without opening it (opening a
 * device can have effects), then opened non-blocking (a FIFO cannot hang the run) and without
 * following a final symbolic link, and checked again on the descriptor, so the file checked is
 * the file read. Throws SettingsError saying what to do; a permission error is rethrown.
 */
export async function readTrustedFile(file: string): Promise<string> {
  assertTrusted(await lstat(file).catch((error: unknown) => openError(file, error)), file);
  const handle = await open(file, FLAGS).catch((error: unknown) => openError(file, error));
  try {
    assertTrusted(await handle.stat(), file);
    return await readBounded(handle, file);
  } finally {
    await handle.close();
  }
}

// --- internal ---

/** Far above any real settings file; a bigger one is a mistake or an attack. */
const MAX_SETTINGS_BYTES = 1024 * 1024;
const distrustLink =
  "is a symbolic link; settings are read from the file itself: give its real path";
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Why the file is not to be trusted, or undefined. Its owner may be root or the user running
// the tool (as sshd allows), which for the root service is root.
function distrust(stats: Stats, file: string): string | undefined {
  const uid = process.getuid?.() ?? 0;
  if (stats.isSymbolicLink()) return distrustLink;
  if (!stats.isFile()) return `is ${kindOf(stats)}, not a regular file`;
  if (stats.size > MAX_SETTINGS_BYTES) return `is ${stats.size} bytes; settings are at most 1 MiB`;
  if (stats.uid !== 0 && stats.uid !== uid)
    return `is owned by uid ${stats.uid}, not root: run chown root ${file}`;
  if ((stats.mode & 0o022) !== 0)
    return `can be written by ${who(stats.mode)} (mode ${mode(stats.mode)}): run chmod go-w ${file}`;
  return undefined;
}

function openError(file: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") throw error;
  if (code === "ENOENT") throw new SettingsError(`${file}: no such settings file`);
  if (code === "ELOOP") throw new SettingsError(`${file}: ${distrustLink}`);
  const why = code ?? (error as Error).message;
  throw new SettingsError(`${file}: cannot open: ${why}`, { cause: error });
}

function assertTrusted(stats: Stats, file: string): void {
  const why = distrust(stats, file);
  if (why !== undefined) throw new SettingsError(`${file}: ${why}`);
}

// Never more than the limit: the file may have grown since fstat.
async function readBounded(handle: FileHandle, file: string): Promise<string> {
  const text = await readAtMost(handle, MAX_SETTINGS_BYTES);
  if (text === undefined)
    throw new SettingsError(`${file}: is over 1 MiB; settings are at most 1 MiB`);
  return text;
}

function who(fileMode: number): string {
  const group = (fileMode & 0o020) !== 0;
  const others = (fileMode & 0o002) !== 0;
  return group && others ? "group and others" : group ? "its group" : "others";
}

function mode(fileMode: number): string {
  return (fileMode & 0o7777).toString(8).padStart(4, "0");
}
