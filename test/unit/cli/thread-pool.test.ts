import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  commandLineOrUndefined,
  countAllEndpointLines,
  countEndpointLines,
  LARGE_POOL,
  leanRun,
  poolSize,
  poolSizeFor,
  SMALL_POOL,
} from "../../../src/cli/thread-pool.js";

/** The pool start-up picks for this command line. */
const poolSizeForArgv = (argv: string[], settingsDir?: string) =>
  poolSizeFor(commandLineOrUndefined(argv), settingsDir);

const dir = () => mkdtempSync(join(tmpdir(), "wgem-pool-"));

function peers(count: number): string {
  const one = "[Peer]\nPublicKey = K\n  endpoint= vpn.example:51820\n# Endpoint = old.example:1\n";
  return `[Interface]\nPrivateKey = P\n\n${one.repeat(count)}`;
}

/** A config folder with one file per entry of `counts` (peers with an Endpoint each). */
function configDir(...counts: number[]): string {
  const d = dir();
  for (const [i, n] of counts.entries()) writeFileSync(join(d, `wg${i}.conf`), peers(n));
  writeFileSync(join(d, "notes.txt"), peers(100));
  return d;
}

test("pool: as many threads as names, from libuv's 4 up to 32; watch alike, no DNS 4", () => {
  assert.equal(poolSize("run", 0), SMALL_POOL);
  assert.equal(poolSize("run", 1), SMALL_POOL);
  assert.equal(poolSize("run", 10), 10);
  assert.equal(poolSize("run", 2000), LARGE_POOL);
  assert.equal(poolSize("run", undefined), LARGE_POOL);
  assert.equal(poolSize("watch", 1), SMALL_POOL);
  assert.equal(poolSize("watch", 10), 10);
  assert.equal(poolSize("watch", undefined), LARGE_POOL);
  assert.equal(poolSize("status", undefined), SMALL_POOL);
  assert.equal(poolSize("version", undefined), SMALL_POOL);
});

test("pool: Endpoint lines of the *.conf files are counted, comments and other files not", () => {
  assert.equal(countEndpointLines(configDir(1)), 1);
  assert.equal(countEndpointLines(configDir(3, 5)), 8);
  assert.equal(countEndpointLines(join(dir(), "missing")), undefined);
});

test("pool: a FIFO named like a config makes the count unknown, without blocking", () => {
  const d = configDir(1);
  execFileSync("mkfifo", [join(d, "x.conf")]);
  assert.equal(countEndpointLines(d), undefined);
  assert.equal(poolSizeForArgv(["--config-dir", d], dir()), LARGE_POOL);
});

test("pool: from the command line and the config folder it names", () => {
  const noSettings = dir();
  assert.equal(poolSizeForArgv(["--config-dir", configDir(1)], noSettings), SMALL_POOL);
  assert.equal(poolSizeForArgv(["--config-dir", configDir(6, 6)], noSettings), 12);
  assert.equal(poolSizeForArgv(["--config-dir", configDir(40)], noSettings), LARGE_POOL);
  assert.equal(poolSizeForArgv(["watch", "--config-dir", configDir(1)], noSettings), SMALL_POOL);
  assert.equal(poolSizeForArgv(["watch", "--config-dir", configDir(40)], noSettings), LARGE_POOL);
  assert.equal(poolSizeForArgv(["status"], noSettings), SMALL_POOL);
  assert.equal(poolSizeForArgv(["--no-such-flag"], noSettings), LARGE_POOL);
  assert.equal(poolSizeForArgv(["--config", "/x/config.json"], noSettings), LARGE_POOL);
});

test("pool: settings that name a config folder make the count untrusted; comments do not", () => {
  const settings = dir();
  writeFileSync(join(settings, "config.yaml"), "# configDir: /etc/wireguard\n# stateDir: x\n");
  assert.equal(poolSizeForArgv([], settings), poolSizeForArgv(["--config-dir", "/etc/wireguard"]));
  writeFileSync(join(settings, "config.yaml"), "# the folder\nconfigDir: /srv/wireguard\n");
  assert.equal(poolSizeForArgv([], settings), LARGE_POOL);
  const json = dir();
  writeFileSync(join(json, "config.json"), '{ "stateDir": "/x", "configDir": "/srv/wg" }\n');
  assert.equal(poolSizeForArgv([], json), LARGE_POOL);
  // An explicit --config-dir wins over the settings file, so its count holds.
  assert.equal(poolSizeForArgv(["--config-dir", configDir(1)], settings), SMALL_POOL);
});

test("pool: networkd's and NetworkManager's peers count too; a missing manager folder holds none", () => {
  const networkd = dir();
  writeFileSync(
    join(networkd, "wg1.netdev"),
    "[WireGuardPeer]\nPublicKey=K\nEndpoint=vpn.example:51820\n",
  );
  writeFileSync(join(networkd, "lan.network"), "[Network]\nEndpoint=not-a-peer\n");
  const nm = dir();
  const peer = "[wireguard-peer.K]\nendpoint=vpn.example:51820\n";
  writeFileSync(join(nm, "wg2.nmconnection"), `[connection]\nid=wg2\n${peer}${peer}`);
  const managers = [
    { dir: networkd, suffix: ".netdev" },
    { dir: join(dir(), "missing"), suffix: ".netdev" },
    { dir: nm, suffix: ".nmconnection" },
  ];
  assert.equal(countAllEndpointLines(configDir(1), managers), 4);
  // The wg-quick folder itself must be readable: without it the count is not known.
  assert.equal(countAllEndpointLines(join(dir(), "missing"), managers), undefined);
});

/** What start-up runs lean as, for this command line and pool. */
const leanRunOf = (argv: string[], pool: number) => leanRun(commandLineOrUndefined(argv), pool);

test("lean V8: the service always, a pass only with the large pool", () => {
  assert.equal(leanRunOf(["watch"], SMALL_POOL), "service");
  assert.equal(leanRunOf(["watch", "--verbose"], LARGE_POOL), "service");
  assert.equal(leanRunOf([], LARGE_POOL), "large pass");
  assert.equal(leanRunOf(["--dry-run"], LARGE_POOL), "large pass");
  assert.equal(leanRunOf([], SMALL_POOL), undefined);
  assert.equal(leanRunOf(["--dry-run"], 12), undefined);
  assert.equal(leanRunOf(["status"], SMALL_POOL), undefined);
  assert.equal(leanRunOf(["--no-such-option"], LARGE_POOL), undefined);
});
