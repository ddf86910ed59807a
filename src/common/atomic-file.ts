import { constants } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomHex } from "../util/random-hex.js";

/** How a new file is made: its mode (set exactly, whatever the umask) and whether it is fsynced. */
export interface NewFile {
  readonly mode: number;
  readonly sync: boolean;
}

/**
 * Creates a new file in `dir` under a random dot name (`.PREFIX.HEX.tmp`) with O_EXCL |
 * O_NOFOLLOW (a planted file or symbolic link is never followed nor reused), writes `text`, and
 * fsyncs it when asked. Returns the path; on failure nothing is left behind.
 */
export async function writeNewFile(
  dir: string,
  prefix: string,
  text: string,
  how: NewFile,
): Promise<string> {
  const temp = join(dir, `.${prefix}.${await randomHex(6)}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, how.mode);
  try {
    await handle.chmod(how.mode); // whatever the umask
    await handle.writeFile(text);
    if (how.sync) await handle.sync();
    await handle.close();
    return temp;
  } catch (error) {
    await handle.close().catch(() => undefined); // already closed, or closing fails too
    await unlink(temp).catch(() => undefined); // never leave an empty or partial file behind
    throw error;
  }
}

/**
 * Replaces `file` atomically: a new file beside it (writeNewFile, named after it, so a reader
 * that skips dot files never sees it), renamed over it. A reader sees the old text or the new,
 * never a part; the rename replaces a planted symbolic link itself, never its target. Throws
 * the error of the step that failed, with nothing left behind.
 */
export async function replaceFile(file: string, text: string, how: NewFile): Promise<void> {
  const temp = await writeNewFile(dirname(file), basename(file), text, how);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
