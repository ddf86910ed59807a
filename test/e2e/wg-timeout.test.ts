/**
 * A `wg` whose child keeps stdout open cannot hold a cron run: the run ends 10 s after `wg`
 * started (the documented timeout), says so truthfully, and no child of `wg` is left running.
 * `wg` is a fake on PATH; no traffic is sent anywhere.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main.js";
import { fixture } from "../support/paths.js";

test("a wg wrapper whose child holds stdout: the run ends after 10 s, not 60", async () => {
  const bin = mkdtempSync(join(tmpdir(), "wgem-bin-"));
  const childPid = join(bin, "child.pid");
  writeFileSync(join(bin, "wg"), `#!/bin/sh\nsleep 60 &\necho $! > ${childPid}\nexit 0\n`);
  chmodSync(join(bin, "wg"), 0o755);
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  let err = "";
  const io = {
    stdout: () => undefined,
    stderr: (text: string) => {
      err += text;
    },
    cwd: bin,
  };
  const path = process.env["PATH"];
  process.env["PATH"] = `${bin}:${path}`;
  const started = performance.now();
  const argv = ["--config-dir", fixture("conf"), "-i", "wg0", "--state-dir", state];
  const code = await main(argv, io).finally(() => {
    process.env["PATH"] = path;
  });
  const ms = performance.now() - started;
  assert.ok(ms >= 9_900 && ms < 12_000, `ended after ${Math.round(ms)} ms`);
  assert.equal(
    err,
    "wg0: error: wg show wg0 did not finish within 10 s; killed it and the processes it started\n",
  );
  assert.notEqual(code, 0);
  const child = readFileSync(childPid, "utf8").trim();
  const stat = readStat(child); // gone, or a zombie that PID 1 has not reaped yet
  assert.ok(stat === "" || /\) [ZX] /.test(stat), `the child of wg is gone: ${stat}`);
});

function readStat(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return "";
  }
}
