/**
 * End-to-end: what lies in the config and state folders cannot hang or wedge the cron run. A FIFO
 * named like a config file is skipped at once with one warning; a lock left by a process that is
 * not wg-endpoint-manager (PID 1) is taken over; a lock that is a folder is exit 4 naming it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { SERVER_V6 as V6 } from "./lab/index.js";
import { cron, endpoint, labFor, labOpts, linesWith, peerPrefix, show } from "./support/cron.js";

test(
  "a FIFO named x.conf: the run ends at once with one warning, the real interface is handled",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const fifo = join(dirname(lab.clientConfFile), "x.conf");
    execFileSync("mkfifo", ["-m", "0600", fifo]);
    const result = await lab.runTool(["--verbose"], { timeoutMs: 20_000 });
    t.diagnostic(`exit ${result.exitCode} in ${result.durationMs} ms`);
    assert.equal(result.timedOut, false, show(result));
    assert.ok(result.durationMs < 10_000, show(result));
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(
      result.stderr,
      // The tool sees the namespace's /etc/netns/NS/wireguard at /etc/wireguard.
      "/etc/wireguard/x.conf: warning: not a regular file (a FIFO); file skipped\n",
      show(result),
    );
    const v6 = endpoint(lab, 0, V6);
    assert.equal(linesWith(result, `${peerPrefix(lab, 0)} ${v6} works`).length, 1, show(result));
  },
);

test(
  "a lock naming PID 1 is taken over; a lock that is a folder is exit 4 naming it",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const lock = join(lab.stateDir, "lock");
    await writeFile(lock, "1\n", { mode: 0o600 });
    const taken = await cron(t, lab);
    assert.equal(taken.exitCode, 0, show(taken));
    assert.equal(taken.stderr, "", `no "skipping": ${show(taken)}`);
    assert.deepEqual(await readdir(lab.stateDir), ["state.json"], "the lock was released");

    await mkdir(lock);
    const refused = await cron(t, lab);
    assert.equal(refused.exitCode, 4, show(refused));
    assert.equal(
      refused.stderr,
      `wg-endpoint-manager: ${lock}: the lock is a folder, not a regular file; remove it\n`,
    );
    await rmdir(lock);
  },
);
