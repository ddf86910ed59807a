import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { durableChange } from "../../../src/state/durable.js";
import type { PeerSnapshot, PeerState, State } from "../../../src/state/shape.js";
import { parseState } from "../../../src/state/state.js";

const fixture = parseState(readFileSync("fixtures/state/state.json", "utf8")) as State;
const HUB = "wg1/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const hubLast = (fixture.peers[HUB] as PeerState).last as PeerSnapshot;

/** The fixture with the hub peer's entry changed by `change`. */
function withHub(change: (peer: PeerState) => PeerState): State {
  const hub = fixture.peers[HUB] as PeerState;
  return { version: 1, peers: { ...fixture.peers, [HUB]: change(hub) } };
}

test("durable: a new pass time, round trip, handshake and reason alone are no durable change", () => {
  const later = withHub((p) => ({
    ...p,
    last: {
      ...hubLast,
      at: hubLast.at + 60_000,
      latestHandshake: 1764050055,
      probes: [{ address: "2001:db8:5::1", alive: true, rttMs: 4 }],
      reason: "[2001:db8:5::1]:51820 works (answers ping in 4 ms)",
    },
  }));
  assert.equal(durableChange(fixture, later), false);
  assert.equal(durableChange(fixture, fixture), false);
});

test("durable: what a later pass reads is a durable change", () => {
  const changes: ((p: PeerState) => PeerState)[] = [
    (p) => ({ ...p, failedUntil: { "2001:db8:5::1": 1764050600000 } }),
    (p) => ({ ...p, preferredAnsweringSince: 1764050000000 }),
    (p) => ({ ...p, endpointSince: 1764050000000 }),
    (p) => ({ ...p, changes: 1 }),
    (p) => ({
      ...p,
      last: {
        ...hubLast,
        endpoint: "192.0.2.7:51820",
      },
    }),
    (p) => ({
      ...p,
      last: {
        ...hubLast,
        action: "switch",
      },
    }),
    (p) => ({
      ...p,
      last: {
        ...hubLast,
        up: false,
      },
    }),
    (p) => ({
      ...p,
      last: {
        ...hubLast,
        dnsError: "NXDOMAIN",
      },
    }),
    (p) => ({ failedUntil: p.failedUntil }),
  ];
  for (const change of changes) assert.equal(durableChange(fixture, withHub(change)), true);
});

test("durable: a peer added or forgotten, or no state to compare with, is a durable change", () => {
  const { [HUB]: _gone, ...rest } = fixture.peers;
  assert.equal(durableChange(fixture, { version: 1, peers: rest }), true);
  assert.equal(durableChange({ version: 1, peers: rest }, fixture), true);
  assert.equal(durableChange(undefined, fixture), true);
});
