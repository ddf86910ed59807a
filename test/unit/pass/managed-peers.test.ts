import assert from "node:assert/strict";
import { test } from "node:test";
import type { InterfaceConfig, Peer } from "../../../src/model.js";
import { managedPeers } from "../../../src/pass/managed-peers.js";
import { DEFAULTS, type Settings } from "../../../src/settings/schema.js";

const A = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const B = "qEvKunk1m1FJ5XBI+ueL8DvYLuXCfEmx7eydzn9wZgs=";

const peer = (publicKey: string, host: string): Peer => ({
  iface: "wg0",
  publicKey,
  endpoint: { host, port: 51820 },
  allowedIps: ["172.25.1.1/32"],
  at: { file: "/etc/wireguard/wg0.conf", line: 5 },
});
const config: InterfaceConfig = {
  iface: "wg0",
  file: "/etc/wireguard/wg0.conf",
  saveConfig: false,
  peers: [peer(A, "192.0.2.1"), peer(B, "2001:db8::1")],
  problems: [],
};

test("a literal Endpoint is left alone, unless the settings give the peer fallbacks", () => {
  const settings: Settings = {
    ...DEFAULTS,
    peers: { [A]: { fallbackEndpoints: [{ host: "vpn.example.test", port: 443 }] } },
  };
  const { managed, unmanaged } = managedPeers([config], settings);
  assert.deepEqual(
    managed.flatMap((m) => m.peers.map((p) => p.publicKey)),
    [A],
  );
  assert.deepEqual(unmanaged, [
    {
      iface: "wg0",
      publicKey: B,
      reason: "Endpoint is the literal address 2001:db8::1: not managed",
    },
  ]);
});

test("an ignored peer and a peer without Endpoint are left alone, each with its reason", () => {
  const settings: Settings = { ...DEFAULTS, peers: { [A]: { ignore: true } } };
  const bare: Peer = { ...peer(B, "x"), endpoint: undefined };
  const { managed, unmanaged } = managedPeers(
    [{ ...config, peers: [peer(A, "vpn.example.test"), bare] }],
    settings,
  );
  assert.deepEqual(managed, [{ iface: "wg0", peers: [] }]);
  assert.deepEqual(
    unmanaged.map((u) => u.reason),
    ["ignored by settings (peers.<key>.ignore)", "no Endpoint: not managed"],
  );
});

test("the file's problems come first, then the SaveConfig warning for its managed peers", () => {
  const problem = { severity: "error" as const, kind: "config" as const, message: "bad line" };
  const saving = {
    ...config,
    saveConfig: true,
    problems: [problem],
    peers: [peer(A, "vpn.example.test")],
  };
  const { problems } = managedPeers([saving], DEFAULTS);
  assert.equal(problems[0], problem);
  assert.match(
    problems[1]?.message ?? "",
    /^SaveConfig = true: .*1 managed peer \(vpn\.example\.test\)/,
  );
  assert.equal(problems.length, 2);
});
