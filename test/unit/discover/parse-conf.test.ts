import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { discover } from "../../../src/discover/discover.js";
import { parseConf } from "../../../src/discover/parse-conf.js";
import { fixture } from "../../support/paths.js";

const read = (name: string) => readFileSync(fixture("conf", name), "utf8");

test("reads every [Peer] of a realistic file, whatever the case and spacing of keys", () => {
  const conf = parseConf(read("wg0.conf"), "wg0.conf", "wg0");
  assert.deepEqual(conf.problems, []);
  assert.equal(conf.saveConfig, false);
  assert.deepEqual(
    conf.peers.map((p) => [p.publicKey.slice(0, 8), p.endpoint, p.at.line]),
    [
      ["XXSeHNuO", { host: "vpn.example.test", port: 51820 }, 8],
      ["SkTpT4Zp", { host: "2001:db8::7", port: 51821 }, 16],
      ["ywySCY1e", undefined, 21],
      ["tbd3TCv1", { host: "198.51.100.9", port: 51820 }, 26],
    ],
  );
  assert.deepEqual(conf.peers[0]?.allowedIps, ["172.25.1.1/32", "fd25:5771:2371::1/128"]);
});

test("bad lines and bad peers are reported with file and line; good peers are kept", () => {
  const conf = parseConf(read("broken.conf"), "/etc/wireguard/wg9.conf", "wg9");
  assert.equal(conf.saveConfig, true);
  assert.deepEqual(
    conf.problems.map((p) => `${p.at?.file}:${p.at?.line}: ${p.message}`),
    [
      '/etc/wireguard/wg9.conf:7: Endpoint "vpn.example.test:99999": expected a port 1-65535, got "99999"; peer skipped',
      "/etc/wireguard/wg9.conf:11: PublicKey is not a 44-character base64 WireGuard key (it has 9 characters; not shown); peer skipped",
      '/etc/wireguard/wg9.conf:14: expected "Key = Value", got "this line has no equals sign"; peer skipped',
      "/etc/wireguard/wg9.conf:25: [Peer] has no PublicKey; peer skipped",
      '/etc/wireguard/wg9.conf:29: section "[Wireguard]" is neither [Interface] nor [Peer]; its lines are skipped',
    ],
  );
  // `wg` splits an unbracketed IPv6 endpoint at the last ":" and accepts it: a literal, left alone.
  assert.deepEqual(
    conf.peers.map((p) => p.endpoint),
    [
      { host: "good.example.test", port: 51820 },
      { host: "2001:db8::1", port: 51820 },
    ],
  );
  assert.equal(conf.problems[0]?.peer, "kX2UMrZk/SFtLJnpiflUwL5ZRJTk9HEM5OOfAww+5CU=");
  assert.equal(conf.problems[0]?.iface, "wg9");
});

test("no problem message ever contains the private key", () => {
  const conf = parseConf(read("broken.conf"), "wg9.conf", "wg9");
  for (const p of conf.problems) assert.ok(!p.message.includes("6KlCNMKA"), p.message);
});

test("discover reads a folder, applies filters, and reports a missing --interface", async () => {
  const all = await discover(fixture("conf"), { include: [], exclude: [] });
  assert.deepEqual(
    all.interfaces.map((i) => i.iface),
    ["broken", "wg0"],
  );
  const some = await discover(fixture("conf"), { include: ["wg0", "wg7"], exclude: [] });
  assert.deepEqual(
    some.interfaces.map((i) => i.iface),
    ["wg0"],
  );
  assert.match(
    some.problems[0]?.message ?? "",
    /^interface wg7 \(--interface or the interfaces setting\): no .*wg7\.conf$/,
  );
  const excluded = await discover(fixture("conf"), { include: [], exclude: ["broken"] });
  assert.deepEqual(
    excluded.interfaces.map((i) => i.iface),
    ["wg0"],
  );
});

test("a missing config folder is one clear sentence", async () => {
  const none = await discover("/nonexistent/wireguard", { include: [], exclude: [] });
  assert.equal(
    none.problems[0]?.message,
    "/nonexistent/wireguard does not exist; install wireguard-tools or pass --config-dir DIR",
  );
});
