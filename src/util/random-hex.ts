import { closeSync, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * `bytes` random bytes as hex, for names of new files. Read from /dev/urandom: loading
 * node:crypto cost about 2.6 ms of every cron run, for twelve hex digits. node:crypto is the
 * fallback where /dev/urandom cannot be read (a bare chroot).
 */
export async function randomHex(bytes: number): Promise<string> {
  const buffer = Buffer.alloc(bytes);
  try {
    const fd = openSync("/dev/urandom", "r");
    try {
      // NOTE: Linux returns up to 256 bytes from /dev/urandom in one read, never fewer.
      if (readSync(fd, buffer, 0, bytes, null) === bytes) return buffer.toString("hex");
    } finally {
      closeSync(fd);
    }
  } catch {
    // fall through to node:crypto
  }
  // createRequire, not import(): the bundle runs through vm.Script (cli/code-cache.ts).
  const crypto = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return crypto.randomBytes(bytes).toString("hex");
}
