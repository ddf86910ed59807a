import assert from "node:assert/strict";
import { test } from "node:test";
import type { InterfaceConfig, LivePeer, Peer } from "../../../src/model.js";
import { observePeers } from "../../../src/observe/live-peers.js";
import type { Wg } from "../../../src/observe/wg.js";
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
const live = (publicKey: string): LivePeer => ({
  publicKey,
  endpoint: "192.0.2.1:51820",
  allowedIps: ["172.25.1.1/32"],
  latestHandshake: 0,
  rxBytes: 0,
  txBytes: 0,
});
const wg: Wg = {
  show: async () => [live(A), live(B)],
  showAll: async () => new Map(),
  setEndpoint: async () => {},
};
const config: InterfaceConfig = {
  iface: "wg0",
  file: "/etc/wireguard/wg0.conf",
  saveConfig: false,
  peers: [peer(A, "192.0.2.1"), peer(B, "2001:db8::1")],
  problems: [],
};

test("a literal Endpoint is left alone, unless the settings give the peer fallbacks", async () => {
  const settings: Settings = {
    ...DEFAULTS,
    peers: { [A]: { fallbackEndpoints: [{ host: "vpn.example.test", port: 443 }] } },
  };
  const { observed, unmanaged } = await observePeers(wg, [config], settings);
  assert.deepEqual(
    observed.map((o) => o.peer.publicKey),
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
