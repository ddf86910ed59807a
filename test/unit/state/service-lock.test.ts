import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ServiceLock } from "../../../src/state/service-lock.js";

// The service's lock in real temporary folders: what becomes of it when its folder is removed,
// and when stateDir changes.

function pidIn(dir: string): string | undefined {
  const file = join(dir, "lock");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n")[0] : undefined;
}

async function acquired(dir: string): Promise<ServiceLock> {
  const lock = await ServiceLock.acquire(dir);
  if (!(lock instanceof ServiceLock)) throw new Error(`held by ${lock.heldBy}`);
  return lock;
}

test("the state folder removed: the lock is taken again in a new folder, then simply held", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "wgem-lock-")), "state");
  const lock = await acquired(dir);
  assert.equal(pidIn(dir), String(process.pid));
  assert.deepEqual(await lock.hold(dir), { kind: "held" });
  rmSync(dir, { recursive: true });
  assert.deepEqual(await lock.hold(dir), { kind: "taken", moved: false });
  assert.equal(pidIn(dir), String(process.pid));
  assert.deepEqual(await lock.hold(dir), { kind: "held" });
  await lock.release();
  assert.equal(pidIn(dir), undefined);
});

test("a new stateDir: the lock moves there, and the old one is released", async () => {
  const root = mkdtempSync(join(tmpdir(), "wgem-lock-"));
  const [old, next] = [join(root, "old"), join(root, "new")];
  const lock = await acquired(old);
  assert.deepEqual(await lock.hold(next), { kind: "taken", moved: true });
  assert.equal(pidIn(next), String(process.pid));
  assert.equal(pidIn(old), undefined);
  await lock.release();
  assert.equal(pidIn(next), undefined);
});

test("holds asked for at once (a poll and a pass) take the lock once, not from each other", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "wgem-lock-")), "state");
  const lock = await acquired(dir);
  rmSync(dir, { recursive: true });
  const holds = await Promise.all([lock.hold(dir), lock.hold(dir), lock.hold(dir)]);
  assert.deepEqual(
    holds.map((h) => h.kind),
    ["taken", "held", "held"],
  );
  await lock.release();
});

test("a state folder that cannot be used: one error, not one per poll, until it is fixed", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "wgem-lock-")), "state");
  const lock = await acquired(dir);
  rmSync(dir, { recursive: true });
  writeFileSync(dir, "");
  const first = await lock.keep(dir);
  assert.equal(first.held, false);
  assert.equal(first.say?.level, "error");
  assert.match(
    first.say?.text ?? "",
    /^error: .*state\/lock: .*not a folder; no pass until it is fixed$/,
  );
  assert.deepEqual(await lock.keep(dir), { held: false }, "said once");
  rmSync(dir);
  const text = `warning: ${join(dir, "lock")} was gone (the state folder removed?); holding it again`;
  assert.deepEqual(await lock.keep(dir), { held: true, say: { level: "warning", text } });
  await lock.release();
});
