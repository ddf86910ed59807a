import assert from "node:assert/strict";
import { test } from "node:test";
import type { PeerOutcome, Step } from "../../../src/decide/types.js";
import { nextPeerState } from "../../../src/pass/peer-state.js";
import { formatPass } from "../../../src/report/format.js";
import { peerTable } from "../../../src/report/peer-table.js";
import { NOW, peer, switchedToFallback } from "../decide/builder.js";

// A peer on vpn.example.test:51820 whose UDP 51820 is blocked, with fallback 1 on port 443.
const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const P = "wg0 peer XXSeHNuO (vpn.example.test):";
const E4 = "192.0.2.1:51820";
const F4 = "192.0.2.1:443";
const reason = `${E4} carries no WireGuard traffic; ${F4} (fallback 1, vpn.example.test:443) answers in 1 ms`;
const move = switchedToFallback(
  E4,
  { number: 1, endpoint: "vpn.example.test:443" },
  "192.0.2.1",
  443,
  reason,
);
const obs = peer()
  .resolves("192.0.2.1")
  .fallback("vpn.example.test:443", "192.0.2.1")
  .fallback("vpn-c.example.test:4500")
  .answers("192.0.2.1")
  .on(E4)
  .observation();

function outcome(endpoint: string, steps: Step[]): PeerOutcome {
  return {
    peer: obs.peer,
    live: { ...obs.live, endpoint },
    original: E4,
    resolution: obs.resolution,
    fallbacks: obs.fallbacks ?? [],
    probes: [{ address: "192.0.2.1", alive: true, rttMs: 1 }],
    steps,
  };
}
const moved = outcome(F4, [
  {
    decision: move,
    applied: true,
    verdict: { ok: true, how: "172.25.1.1 answered through the tunnel" },
  },
]);

test("--verbose shows each fallback and what it resolved to; the move names the fallback", () => {
  const lines = formatPass({
    outcomes: [moved],
    unmanaged: [],
    problems: [],
  });
  assert.deepEqual(
    lines.map((l) => `${l.level}: ${l.text}`),
    [
      `info: ${P} Candidate addresses: 192.0.2.1`,
      `info: ${P} fallback 1, vpn.example.test:443: candidate addresses: 192.0.2.1`,
      `info: ${P} fallback 2, vpn-c.example.test:4500: vpn-c.example.test has no A or AAAA record`,
      `info: ${P} 192.0.2.1 is reachable (1 ms)`,
      `info: ${P} Existing endpoint is ${E4}`,
      `info: ${P} Chosen endpoint is ${F4}: ${reason}`,
      `info: ${P} Executing wg set wg0 peer ${KEY} endpoint ${F4}`,
      `change: ${P} moved ${E4} -> ${F4}: ${reason}; verified: 172.25.1.1 answered through the tunnel`,
    ],
  );
});

test("the state records which fallback the peer is on, and status shows it", () => {
  const memory = { failedUntil: { [E4]: NOW + 600_000 } };
  const state = nextPeerState(memory, moved, NOW, 135);
  assert.deepEqual(state.last?.fallback, { number: 1, endpoint: "vpn.example.test:443" });
  const rows = [{ iface: "wg0", publicKey: KEY, ...state }];
  assert.deepEqual(peerTable(rows, "/var/lib/wg-endpoint-manager", NOW + 2000), [
    "INTERFACE  PEER      HOSTNAME          ENDPOINT       SINCE    LAST CHECK  RESULT  ON",
    `wg0        XXSeHNuO  vpn.example.test  ${F4}  2 s ago  2 s ago     up      fallback 1, vpn.example.test:443`,
  ]);
});

test("on the peer's own Endpoint, no fallback is recorded", () => {
  const back = outcome(E4, [{ decision: { action: "keep", endpoint: E4, reason: "fine" } }]);
  const state = nextPeerState({ failedUntil: {} }, back, NOW, 135);
  assert.equal(state.last !== undefined && "fallback" in state.last, false);
});
