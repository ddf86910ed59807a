import assert from "node:assert/strict";
import { test } from "node:test";
import type { Decision, PeerOutcome, Step } from "../../../src/decide/types.js";
import type { Resolution } from "../../../src/model.js";
import { nextPeerState, peerUp, stateAfterPass } from "../../../src/pass/peer-state.js";
import type { PeerState, State } from "../../../src/state/shape.js";

// What a pass keeps of a peer: the counters behind wgem_endpoint_changes_total and
// wgem_verify_failures_total, since when the endpoint is in place, and whether the peer is up.

const KEY = "qEvKunk1m1FJ5XBI+ueL8DvYLuXCfEmx7eydzn9wZgs=";
const V6 = "[2001:db8:1::1]:51820";
const V4 = "192.0.2.1:51820";
const V4B = "198.51.100.1:51820";
const NOW = 1764050000000;
const FRESH = 135;
const RESOLVED: Resolution = { ok: true, candidates: [{ address: "192.0.2.1", family: 4 }] };

const keep = (warning = false): Decision => ({
  action: "keep",
  endpoint: V6,
  reason: "r",
  warning,
});
const move = (to: string): Decision => ({
  action: "switch",
  from: V6,
  to,
  candidate: {
    address: to.slice(0, to.lastIndexOf(":")),
    family: 4,
    port: Number(to.slice(to.lastIndexOf(":") + 1)),
    origin: { kind: "primary" },
  },
  reason: "r",
});
const ok = { ok: true, how: "echo" };
const failed = { ok: false, how: "nothing" };

function outcome(
  steps: Step[],
  end = V6,
  { handshakeAgo = 10, resolution = RESOLVED } = {},
): PeerOutcome {
  return {
    peer: {
      iface: "wg0",
      publicKey: KEY,
      endpoint: { host: "vpn.example.test", port: 51820 },
      allowedIps: ["172.25.1.1/32"],
      at: { file: "/etc/wireguard/wg0.conf", line: 7 },
    },
    live: {
      publicKey: KEY,
      endpoint: end,
      allowedIps: ["172.25.1.1/32"],
      latestHandshake: handshakeAgo === 0 ? 0 : NOW / 1000 - handshakeAgo,
      rxBytes: 0,
      txBytes: 0,
    },
    original: V6,
    resolution,
    probes: [],
    steps,
  };
}

const next = (previous: PeerState | undefined, o: PeerOutcome, now = NOW) =>
  nextPeerState(previous ?? { failedUntil: {} }, o, now, FRESH);

test("a verified move counts one change; its failed tries count as verification failures", () => {
  const o = outcome(
    [
      { decision: move(V4B), applied: true, verdict: failed },
      { decision: move(V4), applied: true, verdict: ok },
    ],
    V4,
  );
  const s = next({ failedUntil: {}, changes: 2, verifyFailures: 5 }, o);
  assert.equal(s.changes, 3);
  assert.equal(s.verifyFailures, 6);
  assert.equal(s.endpointSince, NOW);
  assert.equal(s.last?.up, true);
  assert.equal(s.last?.endpoint, V4);
});

test("a restore (every move failed) ends where it began: no change counted, down", () => {
  const restore: Decision = { action: "restore", from: V4, to: V6, reason: "r" };
  const o = outcome([
    { decision: move(V4), applied: true, verdict: failed },
    { decision: restore, applied: true },
  ]);
  const previous = { failedUntil: {}, endpointSince: NOW - 5000, last: snapshot(V6) };
  const s = next(previous, o);
  assert.equal(s.changes, 0);
  assert.equal(s.verifyFailures, 1);
  assert.equal(s.endpointSince, NOW - 5000);
  assert.equal(s.last?.up, false);
});

test("a keep: the counters and since-when carry over; a state from before them starts at 0", () => {
  const s = next(
    { failedUntil: {}, changes: 4, endpointSince: 7, last: snapshot(V6) },
    outcome([{ decision: keep() }]),
  );
  assert.equal(s.changes, 4);
  assert.equal(s.endpointSince, 7);
  const old = next({ failedUntil: {}, last: snapshot(V6) }, outcome([{ decision: keep() }]));
  assert.equal(old.changes, 0);
  assert.equal(old.verifyFailures, 0);
  assert.equal(old.endpointSince, NOW, "first seen now");
});

test("since-when: reset when someone else moved the endpoint", () => {
  const o = outcome([{ decision: keep() }]);
  const moved = next({ failedUntil: {}, endpointSince: 42, last: snapshot(V4) }, o);
  assert.equal(moved.endpointSince, NOW);
  assert.equal(moved.changes, 0, "wg-quick or a person moved it, not this tool");
});

test("up: a kept endpoint the pass saw work, or a fallback keep with a fresh handshake", () => {
  assert.equal(peerUp(outcome([{ decision: keep() }]), NOW, FRESH), true);
  assert.equal(
    peerUp(outcome([{ decision: keep(true) }], V6, { handshakeAgo: 134 }), NOW, FRESH),
    true,
  );
  assert.equal(
    peerUp(outcome([{ decision: keep(true) }], V6, { handshakeAgo: 135 }), NOW, FRESH),
    false,
  );
  assert.equal(
    peerUp(outcome([{ decision: keep(true) }], V6, { handshakeAgo: 0 }), NOW, FRESH),
    false,
  );
});

test("up: not for a move --dry-run did not make, nor a wg set that failed, nor unreachable", () => {
  const unreachable: Decision = { action: "unreachable", endpoint: V6, reason: "r" };
  assert.equal(peerUp(outcome([{ decision: move(V4), applied: false }]), NOW, FRESH), false);
  assert.equal(
    peerUp(outcome([{ decision: move(V4), applied: false, error: "EPERM" }]), NOW, FRESH),
    false,
  );
  assert.equal(peerUp(outcome([{ decision: unreachable }]), NOW, FRESH), false);
});

test("a DNS failure is kept in the snapshot, for wgem_dns_up", () => {
  const o = outcome([{ decision: keep(true) }], V6, {
    resolution: { ok: false, error: "vpn.example.test has no A or AAAA record" },
  });
  assert.equal(next(undefined, o).last?.dnsError, "vpn.example.test has no A or AAAA record");
  assert.equal(next(undefined, outcome([{ decision: keep() }])).last?.dnsError, undefined);
});

function snapshot(endpoint: string): NonNullable<PeerState["last"]> {
  return {
    at: NOW - 60_000,
    hostname: "vpn.example.test",
    endpoint,
    latestHandshake: 0,
    probes: [],
    action: "keep",
    reason: "r",
    up: true,
  };
}

test("stateAfterPass: each result's entry made anew, every other entry kept, the input untouched", () => {
  const o = outcome([{ decision: keep() }]);
  const key = `${o.peer.iface}/${o.peer.publicKey}`;
  const other = "wg9/fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
  const before: State = {
    version: 1,
    peers: { [other]: { failedUntil: {} }, [key]: { failedUntil: {}, changes: 4 } },
  };
  const held = { failedUntil: { "192.0.2.9:51820": NOW + 1 }, changes: 4 };
  const after = stateAfterPass(before, [{ outcome: o, state: held, at: NOW }], FRESH);
  assert.deepEqual(Object.keys(after.peers), [other, key]);
  assert.equal(after.peers[other], before.peers[other]);
  assert.deepEqual(after.peers[key], nextPeerState(held, o, NOW, FRESH));
  assert.deepEqual(after.peers[key]?.failedUntil, held.failedUntil, "the state decide left");
  assert.deepEqual(before.peers[key], { failedUntil: {}, changes: 4 });
});
