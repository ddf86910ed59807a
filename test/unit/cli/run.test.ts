import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { fixture, repoRoot } from "../../support/paths.js";

// The cron run as cron runs it: the bundled bin.js in a process of its own, here with a fake
// `wg` on PATH that says the interface is down, so the pass takes the lock and saves its state
// without any traffic. (With metrics.textfile set, prom-client loads node:https and with it
// node:crypto; that is the price of the metrics, not of every run.)

test("a cron run that takes the lock and saves the state loads no node:crypto", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-cron-"));
  const fake = mkdtempSync(join(tmpdir(), "wgem-bin-"));
  writeFileSync(
    join(fake, "wg"),
    '#!/bin/sh\necho "Unable to access interface: No such device" >&2\nexit 1\n',
  );
  chmodSync(join(fake, "wg"), 0o755);
  const settings = join(dir, "config.json");
  writeFileSync(settings, JSON.stringify({ stateDir: join(dir, "state") }));
  chmodSync(settings, 0o600);
  // Reports, as the process exits, every built-in module it loaded whose name has "crypto".
  const loaded = join(dir, "loaded.json");
  const preload = join(dir, "preload.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList.filter((m) => m.includes("crypto")))));\n`,
  );
  const result = await promisify(execFile)(
    process.execPath,
    [
      "--require",
      preload,
      join(repoRoot, "dist/bin/bin.js"),
      "--config",
      settings,
      "--config-dir",
      fixture("conf"),
      "--interface",
      "wg0",
    ],
    { env: { ...process.env, PATH: `${fake}:/usr/bin:/bin` } },
  );
  assert.match(result.stderr, /wg0 is not up/);
  assert.ok(existsSync(join(dir, "state", "state.json")), "the state was saved");
  assert.deepEqual(JSON.parse(readFileSync(loaded, "utf8")), []);
});
