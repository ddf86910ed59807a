import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** What readRegularFileSync found: the bytes, no such file, or a file it will not read. */
export type SyncRead = Buffer | "absent" | "refused";

/**
 * The synchronous twin of read-regular.ts, for start-up before the CLI bundle runs: the file is
 * opened non-blocking (a FIFO never waits for a writer), judged by fstat on the open descriptor
 * (no race with a rename) and read to at most `maxBytes`. "refused": it could not be opened, or
 * it is not a regular file, is larger, or fails the caller's own `accept` (its owner, say).
 */
export function readRegularFileSync(
  file: string,
  maxBytes: number,
  options: { readonly noFollow?: boolean; readonly accept?: (stats: Stats) => boolean } = {},
): SyncRead {
  const flags =
    constants.O_RDONLY |
    constants.O_NONBLOCK |
    constants.O_NOCTTY |
    (options.noFollow === true ? constants.O_NOFOLLOW : 0);
  let fd: number;
  try {
    fd = openSync(file, flags);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "absent" : "refused";
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > maxBytes || options.accept?.(stats) === false)
      return "refused";
    const data = Buffer.alloc(stats.size);
    let length = 0;
    while (length < data.length) {
      const read = readSync(fd, data, length, data.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return data.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
