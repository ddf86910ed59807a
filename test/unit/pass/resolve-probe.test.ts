import assert from "node:assert/strict";
import { test } from "node:test";
import type { Candidate } from "../../../src/model.js";
import type { ObservedPeer } from "../../../src/observe/live-peers.js";
import type { PassDeps } from "../../../src/pass/deps.js";
import { resolveAndProbe } from "../../../src/pass/resolve-probe.js";
import type { Pinger } from "../../../src/probe/icmp.js";
import { DEFAULTS } from "../../../src/settings/schema.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

test("the live endpoint is probed too, even when its name no longer lists it", async () => {
  const probed: Candidate[] = [];
  const pinger: Pinger = {
    probe: async (c) => {
      probed.push(c);
      return { address: c.address, alive: false, error: "timeout" };
    },
    close: () => {},
  };
  const observed: ObservedPeer[] = [
    {
      peer: {
        iface: "wg0",
        publicKey: KEY,
        endpoint: { host: "vpn.example.test", port: 51820 },
        allowedIps: [],
        at: { file: "wg0.conf" },
      },
      live: {
        publicKey: KEY,
        endpoint: "[2001:db8::9]:51820",
        allowedIps: [],
        latestHandshake: 0,
        rxBytes: 0,
        txBytes: 0,
      },
    },
  ];
  const deps = {
    resolve: async () => ({ ok: false, error: "vpn.example.test has no A or AAAA record" }),
    pinger,
    systemPinger: () => pinger,
  } as const;
  const { probes } = await resolveAndProbe(
    observed,
    DEFAULTS,
    deps as unknown as PassDeps,
    undefined,
  );
  assert.deepEqual(probed, [{ address: "2001:db8::9", family: 6 }]);
  assert.equal(probes.results.get("2001:db8::9")?.alive, false);
});
