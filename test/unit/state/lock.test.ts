import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { StateError } from "../../../src/state/errors.js";
import { startTime } from "../../../src/state/holder.js";
import { acquireLock } from "../../../src/state/lock.js";

const dir = () => mkdtempSync(join(tmpdir(), "wgem-lock-"));
const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
const startOf = (pid: number) => startTime(readFileSync(`/proc/${pid}/stat`, "utf8")) ?? -1;
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill("SIGKILL");
});

/** A live process whose command line is `argv0 30` (a sleep), killed after the tests. */
async function sleeper(argv0: string): Promise<number> {
  const child = spawn("sleep", ["30"], { argv0, stdio: "ignore" });
  children.push(child);
  await new Promise((resolve) => child.once("spawn", resolve));
  assert.ok(child.pid !== undefined);
  return child.pid;
}

async function takes(d: string): Promise<void> {
  const lock = await acquireLock(d);
  assert.ok("release" in lock, `taken over: ${JSON.stringify(lock)}`);
  assert.equal(readFileSync(join(d, "lock"), "utf8").split("\n")[0], String(process.pid));
  await lock.release();
  assert.deepEqual(readdirSync(d), [], "no lock and no temporary file left");
}

test("a live wg-endpoint-manager keeps its lock; when it is gone the lock is taken over", async () => {
  const pid = await sleeper("wg-endpoint-manager");
  const d = dir();
  writeFileSync(join(d, "lock"), `${pid}\n${startOf(pid)}\n${bootId}\n`);
  assert.deepEqual(await acquireLock(d), { heldBy: pid });
  assert.deepEqual(await acquireLock(d), { heldBy: pid }, "asked twice, same answer");
  process.kill(pid, "SIGKILL");
  await new Promise((r) => setTimeout(r, 100));
  await takes(d);
});

test("a lock of an older version (PID only) naming a live wg-endpoint-manager is kept", async () => {
  const pid = await sleeper("wg-endpoint-manager");
  const d = dir();
  writeFileSync(join(d, "lock"), `${pid}\n`);
  assert.deepEqual(await acquireLock(d), { heldBy: pid });
});

test("PID 1 (a reused PID) is not wg-endpoint-manager: its lock is taken over", async () => {
  for (const text of ["1\n", `1\n${startOf(1)}\n${bootId}\n`, `1\n${startOf(1) + 7}\n`]) {
    const d = dir();
    writeFileSync(join(d, "lock"), text);
    await takes(d);
  }
});

test("a live wg-endpoint-manager with another start time or boot (a reused PID) holds nothing", async () => {
  const pid = await sleeper("wg-endpoint-manager");
  for (const text of [
    `${pid}\n${startOf(pid) + 1}\n`,
    `${pid}\n${startOf(pid)}\n00000000-0000-4000-8000-000000000000\n`,
  ]) {
    const d = dir();
    writeFileSync(join(d, "lock"), text);
    await takes(d);
  }
});

test("a live process that is not this tool, with the right start time, holds nothing", async () => {
  const pid = await sleeper("sleep");
  const d = dir();
  writeFileSync(join(d, "lock"), `${pid}\n${startOf(pid)}\n${bootId}\n`);
  await takes(d);
});

test("a lock holding our own PID (a container's PID 1 after a restart) is taken over", async () => {
  for (const text of [`${process.pid}\n`, `${process.pid}\n${startOf(process.pid)}\n${bootId}\n`]) {
    const d = dir();
    writeFileSync(join(d, "lock"), text);
    await takes(d);
  }
});

test("a dead PID, an empty or a garbage lock is taken over", async () => {
  for (const text of ["999999999\n", "", "garbage\n"]) {
    const d = dir();
    writeFileSync(join(d, "lock"), text);
    await takes(d);
  }
});

test("a lock that is a folder, a FIFO or a symbolic link is an error (exit 4) naming it", async () => {
  const cases: [string, (file: string) => void][] = [
    ["a folder", (f) => mkdirSync(f)],
    ["a FIFO", (f) => execFileSync("mkfifo", [f])],
    ["a symbolic link", (f) => symlinkSync("/etc/passwd", f)],
  ];
  for (const [what, make] of cases) {
    const d = dir();
    const file = join(d, "lock");
    make(file);
    const error = await acquireLock(d).catch((e: unknown) => e);
    assert.ok(error instanceof StateError, what);
    assert.equal(error.message, `${file}: the lock is ${what}, not a regular file; remove it`);
    assert.equal(error.exitCode, 4);
  }
});

test("a symbolic link planted under the old temporary name is never written through", async () => {
  const d = dir();
  const target = join(dir(), "victim");
  writeFileSync(target, "precious\n");
  symlinkSync(target, join(d, `lock.${process.pid}`));
  const lock = await acquireLock(d);
  assert.ok("release" in lock);
  await lock.release();
  assert.equal(readFileSync(target, "utf8"), "precious\n");
});

test("release removes only its own lock, and is safe twice", async () => {
  const d = dir();
  const lock = await acquireLock(d);
  assert.ok("release" in lock);
  await lock.release();
  await lock.release();
  assert.equal(existsSync(join(d, "lock")), false);
});
