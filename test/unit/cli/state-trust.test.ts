import assert from "node:assert/strict";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { fixture } from "../../support/paths.js";

// `run` and `status` through main(), as cron runs them. `wg` is a tiny fake on PATH that says
// the interface is down, so no pass goes as far as DNS or ICMP.

const NOT_UP = 'echo "Unable to access interface: No such device" >&2; exit 1';

async function cli(argv: string[], stateDir: string): Promise<{ code: number; err: string }> {
  const bin = mkdtempSync(join(tmpdir(), "wgem-bin-"));
  writeFileSync(join(bin, "wg"), `#!/bin/sh\n${NOT_UP}\n`);
  chmodSync(join(bin, "wg"), 0o755);
  const path = process.env["PATH"];
  process.env["PATH"] = bin;
  let err = "";
  try {
    const stderr = (text: string) => {
      err += text;
    };
    const io = { stdout: () => undefined, stderr, cwd: bin };
    const code = await main([...argv, "--state-dir", stateDir], io);
    return { code, err };
  } finally {
    process.env["PATH"] = path;
  }
}

const runArgs = ["--config-dir", fixture("conf"), "--interface", "wg0"];
const stateDir = () => mkdtempSync(join(tmpdir(), "wgem-state-"));

test("status and run survive a state of the wrong shape, with one warning each", async () => {
  const d = stateDir();
  copyFileSync(fixture("state", "wrong-shape.json"), join(d, "state.json"));
  const status = await cli(["status"], d);
  assert.equal(status.code, 0, status.err);
  assert.match(status.err, /^warning: .*state\.json: dropped 5 entries of the wrong shape \(/);
  assert.equal(status.err.split("\n").length, 2, "one line");
  const run = await cli(runArgs, d);
  assert.equal(run.code, 0, run.err);
  assert.equal(run.err.split("\n").filter((l) => l.includes("wrong shape")).length, 1, run.err);
  const again = await cli(runArgs, d);
  assert.doesNotMatch(again.err, /wrong shape/, "the file was written back clean");
});

test("run keeps a lock of PID 1 no longer: the pass runs and the lock is released", async () => {
  const d = stateDir();
  writeFileSync(join(d, "lock"), "1\n");
  const r = await cli(runArgs, d);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /skipping/);
  assert.throws(() => readFileSync(join(d, "lock")), "the lock is released");
});

test("a lock that is a folder: exit 4 and a line naming it", async () => {
  const d = stateDir();
  mkdirSync(join(d, "lock"));
  const r = await cli(runArgs, d);
  assert.equal(r.code, 4);
  assert.equal(
    r.err,
    `wg-endpoint-manager: ${join(d, "lock")}: the lock is a folder, not a regular file; remove it\n`,
  );
});

test("a world-writable state folder: exit 4 for run and status", async () => {
  const d = stateDir();
  chmodSync(d, 0o777);
  const message = `wg-endpoint-manager: ${d}: the state folder is writable by group or others (mode 0777); refusing it (chmod go-w ${d})\n`;
  for (const argv of [runArgs, ["status"]]) {
    const r = await cli(argv, d);
    assert.equal(r.code, 4, r.err);
    assert.equal(r.err, message);
  }
});

test("a state folder that is a file: exit 4 and a clear line, no stack trace", async () => {
  const d = join(stateDir(), "file");
  writeFileSync(d, "");
  const r = await cli(runArgs, d);
  assert.equal(r.code, 4);
  assert.equal(
    r.err,
    `wg-endpoint-manager: ${d}: the state folder is not a folder; remove it, or set stateDir to a folder\n`,
  );
});

test("run forgets peers gone from the config files but keeps interfaces left out by -i", async () => {
  const d = stateDir();
  copyFileSync(fixture("state", "state.json"), join(d, "state.json"));
  const r = await cli(runArgs, d);
  assert.equal(r.code, 0, r.err);
  const peers = JSON.parse(readFileSync(join(d, "state.json"), "utf8")).peers;
  // wg0/fFZZy7EI… is in no config file; wg1 was left out of this run by --interface wg0.
  assert.deepEqual(Object.keys(peers), ["wg1/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c="]);
});
