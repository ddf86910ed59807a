import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { type State, saveState } from "../../../src/state/state.js";

// `status --check` as the monitoring user runs it (NRPE: not root), in this process with its
// effective UID switched to nobody for the call.

const NOBODY = 65534;
const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

/** A fresh state of one peer that is up, in a root-only state folder under a public folder. */
async function stateDir(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "wgem-check-"));
  chmodSync(root, 0o755);
  const dir = join(root, "state");
  mkdirSync(dir, { mode: 0o700 });
  const last = {
    at: Date.now(),
    hostname: "vpn.example.test",
    endpoint: "192.0.2.1:51820",
    latestHandshake: 0,
    candidates: [],
    action: "keep",
    reason: "works",
    up: true,
  };
  const state: State = { version: 1, peers: { [`wg0/${KEY}`]: { failedUntil: {}, last } } };
  await saveState(dir, state);
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
