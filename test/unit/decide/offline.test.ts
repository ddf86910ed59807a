import assert from "node:assert/strict";
import { test } from "node:test";
import {
  hostOffline,
  offlineDecision,
  offlineMessage,
  type PeerReach,
} from "../../../src/decide/offline.js";

// The rule that tells "this host is offline" from "a peer is down", from one pass's evidence.

const peer = (over: Partial<PeerReach> = {}): PeerReach => ({
  iface: "wg0",
  addresses: 2,
  routed: 2,
  answered: false,
  ...over,
});

test("no route to any address of any peer: offline, even with one peer", () => {
  assert.equal(hostOffline([peer({ routed: 0 })]), "no route to any peer's address");
  assert.equal(
    hostOffline([peer({ routed: 0 }), peer({ iface: "wg1", routed: 0, answered: undefined })]),
    "no route to any peer's address",
  );
});

test("one peer with a route: not offline by routes", () => {
  assert.equal(hostOffline([peer({ routed: 0 }), peer({ routed: 1, answered: true })]), undefined);
});

test("two or more peers and none answered ping or WireGuard: offline", () => {
  assert.equal(
    hostOffline([peer(), peer({ iface: "wg1" })]),
    "none of 2 peers answered ping or WireGuard",
  );
});

test("a single silent peer is a peer that is down, not an offline host", () => {
  assert.equal(hostOffline([peer()]), undefined);
});

test("one answer anywhere, or a peer not asked (--dry-run), and the host is online", () => {
  assert.equal(hostOffline([peer(), peer({ iface: "wg1", answered: true })]), undefined);
  assert.equal(hostOffline([peer(), peer({ answered: undefined })]), undefined);
});

test("peers with no address at all (DNS failed, no endpoint) are no evidence", () => {
  assert.equal(hostOffline([]), undefined);
  assert.equal(hostOffline([peer({ addresses: 0, routed: 0 })]), undefined);
  assert.equal(hostOffline([peer(), peer({ addresses: 0, routed: 0 })]), undefined);
  assert.equal(
    hostOffline([peer({ routed: 0 }), peer({ addresses: 0, routed: 0 })]),
    "no route to any peer's address",
  );
});

test("the message and each peer's decision: keep the endpoint", () => {
  assert.equal(
    offlineMessage("no route to any peer's address"),
    "this host looks offline (no route to any peer's address): no endpoint changed, no address marked failed; trying again next pass",
  );
  assert.deepEqual(offlineDecision("[2001:db8::1]:51820", "no route to any peer's address"), {
    action: "keep",
    endpoint: "[2001:db8::1]:51820",
    reason: "this host looks offline (no route to any peer's address); keeping [2001:db8::1]:51820",
  });
  assert.equal(
    offlineDecision(undefined, "x").reason,
    "this host looks offline (x); keeping no endpoint",
  );
});
