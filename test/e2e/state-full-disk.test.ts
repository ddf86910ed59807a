/**
 * A full disk under the state folder: the run exits 4 with one clear line, and no empty or partial
 * temporary file is left. The disk is a 16 KiB tmpfs that this test mounts and unmounts itself
 * (needs root); the fake `wg` says the interface is down, so no traffic is sent anywhere.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { saveState } from "../../src/state/state.js";
import { fakeWgDir, runMain } from "../support/main-fake-wg.js";
import { fixture } from "../support/paths.js";

const mountpoint = mkdtempSync(join(tmpdir(), "wgem-full-"));
const skip = mountTmpfs(mountpoint);
after(() => {
  if (skip === undefined) execFileSync("umount", [mountpoint]);
  rmSync(mountpoint, { recursive: true, force: true });
});

function mountTmpfs(dir: string): string | undefined {
  if (process.geteuid?.() !== 0) return "needs root to mount a tmpfs";
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", dir]);
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs: ${error}`;
  }
}

/** Fills the disk, then frees `spare` bytes again (a page each). */
function fill(dir: string, spare: number): void {
  const filler = join(dir, "filler");
  const fd = openSync(filler, "w");
  const page = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (let i = 0; i < 64; i++) size += writeSync(fd, page); // 64 pages: far past 16 KiB
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, "ENOSPC");
  } finally {
    closeSync(fd);
  }
  truncateSync(filler, Math.max(0, size - spare));
}

const opts = skip === undefined ? {} : { skip };
const state = { version: 1 as const, peers: { "wg0/KEY": { failedUntil: { "192.0.2.1": 5 } } } };

test(
  "saveState on a full disk: a StateError naming the file, no temporary file left",
  opts,
  async () => {
    const dir = join(mountpoint, "a");
    mkdirSync(dir, { mode: 0o700 });
    fill(mountpoint, 0);
    const error = await saveState(dir, state).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.equal(
      error.message,
      `${join(dir, "state.json")}: cannot write the state: no space left on device`,
    );
    assert.deepEqual(readdirSync(dir), []);
    rmSync(join(mountpoint, "filler"));
  },
);

test("a run with a full state disk: exit 4, one line, nothing left behind", opts, async () => {
  const dir = join(mountpoint, "b");
  mkdirSync(dir, { mode: 0o700 });
  const bin = fakeWgDir('echo "No such device" >&2; exit 1');
  for (const spare of [0, 4096]) {
    // With one page spare the lock fits and the state does not.
    fill(mountpoint, spare);
    const argv = ["--config-dir", fixture("conf"), "-i", "wg0", "--state-dir", dir];
    const { code, err } = await runMain(argv, bin);
    const what =
      spare === 0
        ? `${join(dir, "lock")}: cannot create the lock`
        : `${join(dir, "state.json")}: cannot write the state`;
    assert.equal(code, 4, err);
    assert.ok(
      err.endsWith(`wg-endpoint-manager: ${what}: no space left on device\n`),
      `spare ${spare}: ${err}`,
    );
    assert.deepEqual(readdirSync(dir), [], `spare ${spare}: no lock, no temporary file`);
    rmSync(join(mountpoint, "filler"));
  }
});
