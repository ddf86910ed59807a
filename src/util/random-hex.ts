import { closeSync, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * `bytes` random bytes as hex, for names of new files, read from /dev/urandom; node:crypto only
 * where /dev/urandom cannot be read (a bare chroot).
 * NOTE(perf): loading node:crypto is a measurable share of a no-op cron run, for twelve hex
 * digits (test/unit/cli/run.test.ts checks that a cron run does not load it).
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
