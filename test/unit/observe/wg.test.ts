import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { systemWg, WgCommandError } from "../../../src/observe/wg.js";

// Tiny fake `wg` executables: each writes the PID of the child it leaves behind to a file.

function fakeWg(body: string): { bin: string; childPidFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "wgem-wg-"));
  const childPidFile = join(dir, "child.pid");
  const bin = join(dir, "wg");
  writeFileSync(bin, `#!/bin/sh\n${body.replaceAll("PIDFILE", childPidFile)}\n`);
  chmodSync(bin, 0o755);
  return { bin, childPidFile };
}

// NOTE: a killed child is re-parented to PID 1, which may leave it a zombie for a while.
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\S+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

async function timed<T>(f: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await f();
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

test("wg's child holding stdout: the timeout kills the whole group and says so", async () => {
  const { bin, childPidFile } = fakeWg("sleep 30 &\necho $! > PIDFILE\nexit 0");
  const { error, ms } = await timed(() => systemWg(bin, 400).show("wg0"));
  assert.ok(ms < 1_400, `ended ${Math.round(ms)} ms after the start`);
  assert.ok(error instanceof WgCommandError);
  assert.equal(
    error.message,
    `${bin} show wg0 did not finish within 0.4 s; killed it and the processes it started`,
  );
  const child = Number(readFileSync(childPidFile, "utf8"));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(child), false, "the child holding stdout was killed");
});

test("a hanging wg is killed at the timeout", async () => {
  const { bin } = fakeWg("sleep 30");
  const { error, ms } = await timed(() => systemWg(bin, 300).showAll());
  assert.ok(ms < 1_300, `ended ${Math.round(ms)} ms after the start`);
  assert.ok(error instanceof WgCommandError);
  assert.equal(
    error.message,
    `${bin} show all did not finish within 0.3 s; killed it and the processes it started`,
  );
});

test("a child that left wg's process group cannot hold the call past the timeout + 1 s", async () => {
  const { bin, childPidFile } = fakeWg("setsid sleep 30 &\necho $! > PIDFILE\nsleep 30");
  const { error, ms } = await timed(() => systemWg(bin, 300).show("wg0"));
  const child = Number(readFileSync(childPidFile, "utf8"));
  if (alive(child)) process.kill(child, "SIGKILL"); // it escaped the group by design of this test
  assert.ok(ms < 2_300, `ended ${Math.round(ms)} ms after the start`);
  assert.ok(error instanceof WgCommandError);
  assert.equal(error.reason, "failed");
});

test("a quick wg is not disturbed by the timeout", async () => {
  const { bin } = fakeWg('printf "priv\\tpub\\t51820\\toff\\n"');
  assert.deepEqual(await systemWg(bin, 2_000).show("wg0"), []);
});
