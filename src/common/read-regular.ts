import { constants, type Stats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";

/** The largest config file read: real ones are a few KiB, even with thousands of peers. */
export const MAX_CONF_BYTES = 1024 * 1024;

/** A file's text, or why it was not read (not a regular file, too large). */
export type ReadResult = { readonly text: string } | { readonly skipped: string };

/**
 * Reads a file without ever blocking on what the path turns out to be: a FIFO, a device or a
 * socket is opened non-blocking, recognised by fstat on the open descriptor (no race with a
 * rename), and skipped unread. Symbolic links are followed, as wg-quick follows them.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<ReadResult> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
  // O_NOCTTY: a terminal device never becomes our controlling terminal.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { skipped: `not a regular file (${kindOf(stats)})` };
    if (stats.size > maxBytes) return { skipped: `larger than ${sizeText(maxBytes)}` };
    const text = await readAtMost(handle, maxBytes);
    return text === undefined ? { skipped: `larger than ${sizeText(maxBytes)}` } : { text };
  } finally {
    await handle.close();
  }
}

/**
 * Reads an open file to its end, or undefined when it holds more than `maxBytes`: the file may
 * have grown since fstat, so the limit is checked on what is read.
 */
export async function readAtMost(
  handle: FileHandle,
  maxBytes: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return undefined;
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/** What a file that is not a regular file is, for messages ("a FIFO"). */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "a special file";
}

// --- internal ---

const CHUNK = 64 * 1024;

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
