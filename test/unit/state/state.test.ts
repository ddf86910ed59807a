import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EMPTY_STATE } from "../../../src/state/shape.js";
import { loadState, saveState, stateFile } from "../../../src/state/state.js";

const dir = () => mkdtempSync(join(tmpdir(), "wgem-state-"));

test("a missing state file is empty, without a warning", async () => {
  assert.deepEqual(await loadState(dir()), { state: EMPTY_STATE });
});

test("an empty or corrupt state file is empty, with a warning that names it", async () => {
  for (const text of ["", "{not json", '{"version": 2, "peers": {}}', "[]"]) {
    const d = dir();
    writeFileSync(stateFile(d), text);
    const loaded = await loadState(d);
    assert.deepEqual(loaded.state, EMPTY_STATE);
    assert.equal(loaded.warning, `${stateFile(d)}: empty or corrupt; starting with empty state`);
  }
});

test("saves atomically and reads back what it saved, leaving no temporary file", async () => {
  const d = dir();
  const state = {
    version: 1 as const,
    peers: { "wg0/KEY": { failedUntil: { "192.0.2.1": 5 }, preferredAnsweringSince: 3 } },
  };
  await saveState(d, state);
  assert.deepEqual((await loadState(d)).state, state);
  assert.deepEqual(readdirSync(d), ["state.json"]);
});
