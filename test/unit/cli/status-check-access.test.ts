import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import type { State } from "../../../src/state/shape.js";
import { saveState } from "../../../src/state/state.js";

// `status --check` as the monitoring user runs it (NRPE: not root), in this process with its
// effective UID switched to nobody for the call.

const NOBODY = 65534;
const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

/** A fresh state of one peer that is up. */
function upState(): State {
  const last = {
    at: Date.now(),
    hostname: "vpn.example.test",
    endpoint: "192.0.2.1:51820",
    latestHandshake: 0,
    probes: [],
    action: "keep",
    reason: "works",
    up: true,
  };
  return { version: 1, peers: { [`wg0/${KEY}`]: { failedUntil: {}, last } } };
}

/** A state folder as the unit makes it (root, 0700) under a folder anyone may enter. */
async function stateDir(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "wgem-check-"));
  chmodSync(root, 0o755);
  const dir = join(root, "state");
  mkdirSync(dir, { mode: 0o700 });
  await saveState(dir, upState());
  return dir;
}

async function checkAs(uid: number, dir: string): Promise<{ code: number; out: string }> {
  let out = "";
  const io = {
    stdout: (text: string) => {
      out += text;
    },
    stderr: (text: string) => {
      out += text;
    },
    cwd: dir,
  };
  process.seteuid?.(uid);
  try {
    const code = await main(["status", "--check", "--state-dir", dir], io);
    return { code, out };
  } finally {
    process.seteuid?.(0);
  }
}

test("status --check by a user who cannot read the state: UNKNOWN, naming the file and why", async (t) => {
  if (process.geteuid?.() !== 0) return t.skip("needs root to act as another user");
  const dir = await stateDir();
  assert.deepEqual(await checkAs(0, dir), {
    code: 0,
    out: "OK: 1 peer up | up=1 down=0 age=0s\n",
  });
  assert.deepEqual(await checkAs(NOBODY, dir), {
    code: 3,
    out: `UNKNOWN: cannot read ${join(dir, "state.json")}: permission denied\n`,
  });
});

test("the README's ACL lets the monitoring user's check read the state", async (t) => {
  if (process.geteuid?.() !== 0) return t.skip("needs root to act as another user");
  const dir = await stateDir();
  // As README "status --check for Nagios and Icinga" says, with nobody as the monitoring user.
  execFileSync("setfacl", ["-m", `u:${NOBODY}:x`, dir]);
  execFileSync("setfacl", ["-d", "-m", `u:${NOBODY}:r`, dir]);
  await saveState(dir, upState()); // the next pass writes a new file, which takes the ACL
  assert.deepEqual(await checkAs(NOBODY, dir), {
    code: 0,
    out: "OK: 1 peer up | up=1 down=0 age=0s\n",
  });
});
