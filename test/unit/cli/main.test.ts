import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { fixture } from "../../support/paths.js";

// These runs never reach DNS or ICMP: `wg` is a tiny fake on PATH, and no peer gets that far.

async function run(
  argv: string[],
  fakeWg?: string,
): Promise<{ code: number; out: string; err: string }> {
  const bin = mkdtempSync(join(tmpdir(), "wgem-bin-"));
  if (fakeWg !== undefined) {
    writeFileSync(join(bin, "wg"), `#!/bin/sh\n${fakeWg}\n`);
    chmodSync(join(bin, "wg"), 0o755);
  }
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  const path = process.env["PATH"];
  process.env["PATH"] = bin;
  let out = "";
  let err = "";
  try {
    const io = {
      stdout: (t: string) => {
        out += t;
      },
      stderr: (t: string) => {
        err += t;
      },
      cwd: state,
    };
    const code = await main([...argv, "--state-dir", state], io);
    return { code, out, err };
  } finally {
    process.env["PATH"] = path;
  }
}

test("wg not installed: exit 4 and one sentence saying what to do", async () => {
  const r = await run(["--config-dir", fixture("conf"), "--interface", "wg0"]);
  assert.equal(r.code, 4);
  assert.equal(
    r.err,
    "wg0: error: wg not found: install wireguard-tools (apt-get install wireguard-tools)\n",
  );
  assert.equal(r.out, "");
});

test("an interface that is not up is a warning, and the pass still succeeds", async () => {
  const r = await run(
    ["--config-dir", fixture("conf"), "--interface", "wg0"],
    'echo "Unable to access interface: No such device" >&2; exit 1',
  );
  assert.equal(r.code, 0);
  assert.equal(r.err, "wg0: warning: wg0 is not up (wg-quick up wg0); skipped\n");
});

test("a malformed file: exit 3, every problem with file and line, no key printed", async () => {
  const r = await run(
    ["--config-dir", fixture("conf"), "--interface", "broken"],
    'printf "priv\\tpub\\t51820\\toff\\n"',
  );
  assert.equal(r.code, 3);
  const file = fixture("conf", "broken.conf");
  assert.match(
    r.err,
    new RegExp(
      `${file}:7: broken peer kX2UMrZk: error: Endpoint "vpn.example.test:99999": expected a port 1-65535`,
    ),
  );
  assert.match(r.err, new RegExp(`${file}: broken: warning: SaveConfig = true`));
  assert.match(
    r.err,
    /broken peer 8CGm0fkG: warning: is in the file but not on the running interface/,
  );
  assert.ok(!r.err.includes("6KlCNMKA"), "private key printed");
});

test("no config files: exit 4 with advice", async () => {
  const empty = mkdtempSync(join(tmpdir(), "wgem-empty-"));
  const r = await run(["--config-dir", empty], "exit 0");
  assert.equal(r.code, 4);
  assert.equal(
    r.err,
    `error: no *.conf files in ${empty}; put WireGuard configs there or pass --config-dir DIR\n`,
  );
});

test("a bad flag: exit 2", async () => {
  const r = await run(["--frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^wg-endpoint-manager: Unknown option '--frobnicate'/);
});
