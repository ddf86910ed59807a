import assert from "node:assert/strict";
import { test } from "node:test";
import { saveConfigWarning } from "../../../src/discover/save-config.js";
import type { InterfaceConfig, ManagedPeer, Peer } from "../../../src/model.js";

const KEY_A = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const KEY_B = "SkTpT4Zp1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6z7xA=";

const peer = (publicKey: string, endpoint?: { host: string; port: number }): Peer => ({
  iface: "wg0",
  publicKey,
  endpoint,
  allowedIps: [],
  at: { file: "/etc/wireguard/wg0.conf", line: 5 },
});
const managed = (publicKey: string, host: string): ManagedPeer => ({
  ...peer(publicKey),
  endpoint: { host, port: 51820 },
});
const config = (saveConfig: boolean, peers: readonly Peer[]): InterfaceConfig => ({
  iface: "wg0",
  file: "/etc/wireguard/wg0.conf",
  saveConfig,
  peers,
  problems: [],
});

test("SaveConfig = true with a managed peer: warns, naming the hostname that would be lost", () => {
  const a = managed(KEY_A, "vpn.example.test");
  assert.deepEqual(saveConfigWarning(config(true, [a]), [a]), {
    severity: "warning",
    kind: "config",
    iface: "wg0",
    at: { file: "/etc/wireguard/wg0.conf" },
    message:
      "SaveConfig = true: wg-quick down will write the live endpoint (a literal address) over the hostname of 1 managed peer (vpn.example.test), which will then silently stop being managed; set SaveConfig = false",
  });
});

test("several managed peers are counted and each hostname named once", () => {
  const a = managed(KEY_A, "a.example.test");
  const b = managed(KEY_B, "a.example.test");
  const warning = saveConfigWarning(config(true, [a, b]), [a, b]);
  assert.match(
    warning?.message ?? "",
    / over the hostname of 2 managed peers \(a\.example\.test\),/,
  );
});

test("nothing can be lost: no warning", () => {
  const literal = peer(KEY_A, { host: "192.0.2.1", port: 51820 });
  const noEndpoint = peer(KEY_B);
  const a = managed(KEY_A, "vpn.example.test");
  // The wg-quick(8) server example: peers without Endpoint.
  assert.equal(saveConfigWarning(config(true, [noEndpoint]), []), undefined);
  // A file wg-quick has already saved: literal endpoints only.
  assert.equal(saveConfigWarning(config(true, [literal]), []), undefined);
  // The tutorial server with no peers yet.
  assert.equal(saveConfigWarning(config(true, []), []), undefined);
  // A hostname peer that settings ignore is not managed now, so saving loses nothing.
  assert.equal(saveConfigWarning(config(true, [a]), []), undefined);
  // SaveConfig off.
  assert.equal(saveConfigWarning(config(false, [a]), [a]), undefined);
});
