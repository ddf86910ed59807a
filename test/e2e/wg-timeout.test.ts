/**
 * A `wg` whose child keeps stdout open cannot hold a cron run: the run ends 10 s after `wg`
 * started (the documented timeout), says so truthfully, and no child of `wg` is left running.
 * `wg` is a fake on PATH; no traffic is sent anywhere.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fakeWgDir, runMain } from "../support/main-fake-wg.js";
import { fixture } from "../support/paths.js";

test("a wg wrapper whose child holds stdout: the run ends after 10 s, not 60", async () => {
  const bin = fakeWgDir('sleep 60 &\necho $! > "$(dirname "$0")/child.pid"\nexit 0');
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  const started = performance.now();
  const argv = ["--config-dir", fixture("conf"), "-i", "wg0", "--state-dir", state];
  const { code, err } = await runMain(argv, `${bin}:${process.env["PATH"]}`);
  const ms = performance.now() - started;
  assert.ok(ms >= 9_900 && ms < 12_000, `ended after ${Math.round(ms)} ms`);
  assert.equal(
    err,
    "wg0: error: wg show wg0 did not finish within 10 s; killed it and the processes it started\n",
  );
  assert.notEqual(code, 0);
  const child = readFileSync(join(bin, "child.pid"), "utf8").trim();
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
