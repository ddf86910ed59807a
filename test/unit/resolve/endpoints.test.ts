import assert from "node:assert/strict";
import { test } from "node:test";
import type { ManagedPeer, Resolution } from "../../../src/model.js";
import {
  fallbackResolutions,
  namesToResolve,
  peerEndpoints,
  resolutionOf,
  resolvedAddresses,
} from "../../../src/resolve/endpoints.js";
import { DEFAULTS, type Settings } from "../../../src/settings/schema.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const peer: ManagedPeer = {
  iface: "wg0",
  publicKey: KEY,
  endpoint: { host: "192.0.2.1", port: 51820 },
  allowedIps: ["172.25.1.1/32"],
  at: { file: "/etc/wireguard/wg0.conf", line: 5 },
};
const settings: Settings = {
  ...DEFAULTS,
  peers: {
    [KEY]: {
      fallbackEndpoints: [
        { host: "vpn.example.test", port: 443 },
        { host: "2001:db8::9", port: 51820 },
        { host: "vpn.example.test", port: 4500 },
      ],
    },
  },
};

test("names to resolve: each hostname once; literal addresses need no DNS", () => {
  assert.deepEqual(namesToResolve(peerEndpoints(peer, settings)), ["vpn.example.test"]);
});

test("a literal resolves to itself, a name to what DNS said", () => {
  const dns = new Map<string, Resolution>([
    ["vpn.example.test", { ok: true, candidates: [{ address: "198.51.100.7", family: 4 }] }],
  ]);
  assert.deepEqual(resolutionOf(peer.endpoint, dns), {
    ok: true,
    candidates: [{ address: "192.0.2.1", family: 4 }],
  });
  assert.deepEqual(
    fallbackResolutions(peer, settings, dns).map((f) => f.resolution),
    [
      { ok: true, candidates: [{ address: "198.51.100.7", family: 4 }] },
      { ok: true, candidates: [{ address: "2001:db8::9", family: 6 }] },
      { ok: true, candidates: [{ address: "198.51.100.7", family: 4 }] },
    ],
  );
  assert.deepEqual(resolutionOf({ host: "other.example.test", port: 1 }, dns), {
    ok: false,
    error: "other.example.test was not resolved",
  });
});

test("resolvedAddresses: the own Endpoint's then each fallback's, repeats kept, failures giving none", () => {
  const own: Resolution = { ok: true, candidates: [{ address: "192.0.2.1", family: 4 }] };
  const fallbacks = [
    { endpoint: { host: "a.example.test", port: 443 }, resolution: { ok: false, error: "e" } },
    {
      endpoint: { host: "b.example.test", port: 443 },
      resolution: {
        ok: true,
        candidates: [
          { address: "2001:db8::1", family: 6 },
          { address: "192.0.2.1", family: 4 },
        ],
      },
    },
  ] as const;
  assert.deepEqual(resolvedAddresses(own, fallbacks), ["192.0.2.1", "2001:db8::1", "192.0.2.1"]);
  assert.deepEqual(resolvedAddresses({ ok: false, error: "e" }), []);
});
