import assert from "node:assert/strict";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

test("wg that prints garbage or nothing instead of a dump: exit 4, and the output is never shown", async () => {
  for (const fake of ["echo 'cHJpdmF0ZS1rZXktbm90LXJlYWwtYnV0LTQ0LWNoYXJzPQ== garbage'", "true"]) {
    const r = await run(["--config-dir", fixture("conf"), "--interface", "wg0"], fake);
    assert.equal(r.code, 4, r.err);
    const why = fake === "true" ? "empty output" : "line 1 is not an interface line";
    assert.equal(
      r.err,
      `wg0: error: wg show wg0 dump printed something that is not a dump (${why}); check that wg is wireguard-tools' wg\n`,
    );
  }
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

test("status: a table of the recorded peers, --json the same, --interface filters", async () => {
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  copyFileSync(fixture("state", "state.json"), join(state, "state.json"));
  let out = "";
  const io = {
    stdout: (t: string) => {
      out += t;
    },
    stderr: () => {},
  };
  assert.equal(await main(["status", "--state-dir", state], io), 0);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 3);
  assert.match(
    lines[0] ?? "",
    /^INTERFACE {2}PEER {6}HOSTNAME {9}ENDPOINT {15}SINCE +LAST CHECK +RESULT {2}ON$/,
  );
  assert.match(
    lines[1] ?? "",
    /^wg0 {8}fFZZy7EI {2}vpn\.example\.com {2}203\.0\.113\.1:51820 {6}\d+ \w+ ago +\d+ \w+ ago +up {6}primary$/,
  );
  assert.match(
    lines[2] ?? "",
    /^wg1 {8}XXSeHNuO {2}hub\.example\.net {2}\[2001:db8:5::1\]:51820 {2}- +\d+ \w+ ago +up {6}primary$/,
  );

  out = "";
  assert.equal(await main(["status", "--json", "--interface", "wg1", "--state-dir", state], io), 0);
  const rows = JSON.parse(out) as { iface: string; publicKey: string; last: { action: string } }[];
  assert.deepEqual(
    rows.map((r) => [r.iface, r.publicKey, r.last.action]),
    [["wg1", "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=", "keep"]],
  );
});

test("status --check: one Nagios line and its exit status; a stale state is UNKNOWN (3)", async () => {
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  const at = Date.now() - 5_000;
  const fleet = readFileSync(fixture("state", "fleet.json"), "utf8").replaceAll(
    /"at": 17640499[49]0000/g,
    `"at": ${at}`,
  );
  writeFileSync(join(state, "state.json"), fleet);
  const check = async (extra: string[]) => {
    let out = "";
    const write = (t: string) => {
      out += t;
    };
    const io = { stdout: write, stderr: write };
    const code = await main(["status", "--check", "--state-dir", state, ...extra], io);
    return { code, out };
  };
  assert.deepEqual(await check(["-i", "wg0"]), {
    code: 1,
    out: "WARNING: 1 of 2 peers not up: wg0 kX2UMrZk (branch.example.org) | up=1 down=1 age=5s\n",
  });
  assert.deepEqual(await check(["-x", "wg0", "-x", "wg1"]), {
    code: 3,
    out: `UNKNOWN: no peers recorded in ${state}\n`,
  });
  writeFileSync(
    join(state, "state.json"),
    fleet.replaceAll(`"at": ${at}`, `"at": ${at - 120_000}`),
  );
  const stale = await check([]);
  assert.equal(stale.code, 3);
  assert.match(
    stale.out,
    /^UNKNOWN: the last pass was 2 min ago, more than twice the pass interval \(60 s\)/,
  );
  chmodSync(state, 0o777);
  const unsafe = await check([]);
  assert.equal(unsafe.code, 3);
  assert.match(unsafe.out, /^UNKNOWN: .* writable by/);
  chmodSync(state, 0o700);
});
