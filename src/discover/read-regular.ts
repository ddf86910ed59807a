import { constants, type Stats } from "node:fs";
import { open } from "node:fs/promises";

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
    // Read one byte past the limit: a file that grew since fstat is still caught.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { skipped: `larger than ${sizeText(maxBytes)}` };
    }
    return { text: buffer.subarray(0, length).toString("utf8") };
  } finally {
    await handle.close();
  }
}

// --- internal ---

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "not a file";
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
