import assert from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { StateError } from "../../../src/state/errors.js";
import { acquireLock } from "../../../src/state/lock.js";
import { EMPTY_STATE } from "../../../src/state/shape.js";
import { loadState, saveState, stateFile } from "../../../src/state/state.js";

const dir = () => mkdtempSync(join(tmpdir(), "wgem-dir-"));
const state = { version: 1 as const, peers: { "wg0/KEY": { failedUntil: { "192.0.2.1": 5 } } } };

async function refused(d: string, message: string): Promise<void> {
  for (const use of [() => acquireLock(d), () => saveState(d, state), () => loadState(d)]) {
    const error = await use().catch((e: unknown) => e);
    assert.ok(error instanceof StateError, `${use}: ${error}`);
    assert.equal(error.message, message);
    assert.equal(error.exitCode, 4);
  }
  assert.equal(existsSync(join(d, "lock")), false, "no lock was made");
  assert.equal(existsSync(stateFile(d)), false, "no state was written");
}

test("a state folder that group or others can write is refused", async () => {
  for (const mode of [0o777, 0o1777, 0o720]) {
    const d = dir();
    chmodSync(d, mode);
    const shown = mode.toString(8).padStart(4, "0");
    await refused(
      d,
      `${d}: the state folder is writable by group or others (mode ${shown}); refusing it (chmod go-w ${d})`,
    );
  }
});

test("a state folder owned by another user is refused", async (t) => {
  if (process.geteuid?.() !== 0) return t.skip("needs root to chown");
  const d = dir();
  chownSync(d, 1000, 1000);
  await refused(
    d,
    `${d}: the state folder is owned by UID 1000, not root; refusing it (chown root ${d})`,
  );
});

test("a state folder that is a file is refused", async () => {
  const d = join(dir(), "state");
  writeFileSync(d, "");
  await refused(
    d,
    `${d}: the state folder is not a folder; remove it, or set stateDir to a folder`,
  );
  const below = join(d, "sub");
  const error = await saveState(below, state).catch((e: unknown) => e);
  assert.ok(error instanceof StateError);
  assert.equal(
    error.message,
    `${below}: a part of the state folder's path is a file, not a folder`,
  );
});

test("a missing state folder is created 0700 when writing, and left alone when reading", async () => {
  const d = join(dir(), "state");
  assert.deepEqual(await loadState(d), { state: EMPTY_STATE });
  assert.equal(existsSync(d), false);
  await saveState(d, state);
  assert.equal(statSync(d).mode & 0o777, 0o700);
  assert.equal(statSync(stateFile(d)).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(d), ["state.json"]);
});

test("symbolic links planted as the state file or its old temporary name are not followed", async () => {
  const d = dir();
  const victim = join(dir(), "victim");
  writeFileSync(victim, "precious\n");
  symlinkSync(victim, join(d, `state.json.${process.pid}.tmp`));
  symlinkSync(victim, stateFile(d));
  const loaded = await loadState(d);
  assert.equal(
    loaded.warning,
    `${stateFile(d)}: cannot read (it is a symbolic link); starting with empty state`,
  );
  await saveState(d, state);
  assert.equal(readFileSync(victim, "utf8"), "precious\n");
  assert.ok(lstatSync(stateFile(d)).isFile(), "the link itself was replaced");
  assert.deepEqual((await loadState(d)).state, state);
});

test("a state that did not change is not written again", async () => {
  const d = dir();
  await saveState(d, state);
  const loaded = await loadState(d);
  const before = statSync(stateFile(d)).ino;
  await saveState(d, loaded.state, loaded.text);
  assert.equal(statSync(stateFile(d)).ino, before, "same file: no rename happened");
  await saveState(d, EMPTY_STATE, loaded.text);
  assert.notEqual(statSync(stateFile(d)).ino, before, "a change is written");
});
