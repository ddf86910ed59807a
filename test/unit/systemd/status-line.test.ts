import assert from "node:assert/strict";
import { test } from "node:test";
import type { PeerSnapshot, State } from "../../../src/state/shape.js";
import { statusLine } from "../../../src/systemd/status-line.js";

const KEY = "fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";

function snapshot(over: Partial<PeerSnapshot>): PeerSnapshot {
  return {
    at: 0,
    hostname: "vpn.example.com",
    endpoint: "192.0.2.1:51820",
    latestHandshake: 0,
    probes: [],
    action: "keep",
    reason: "works",
    up: true,
    ...over,
  };
}

function state(...lasts: (PeerSnapshot | undefined)[]): State {
  const peers = Object.fromEntries(
    lasts.map((last, i) => [`wg${i}/${KEY}`, { failedUntil: {}, ...(last ? { last } : {}) }]),
  );
  return { version: 1, peers };
}

test("peers up, down and on fallback, and the age of the last pass", () => {
  const fallback = { number: 1, endpoint: "vpn.example.com:443" };
  const s = state(
    snapshot({}),
    snapshot({}),
    snapshot({ fallback }),
    snapshot({ up: false, action: "unreachable" }),
    undefined,
  );
  assert.equal(
    statusLine({ state: s, lastPass: { at: 1_000, durationMs: 9, hostOffline: false } }, 13_000),
    "3 peers up, 1 down, 1 on fallback, last pass 12 s ago",
  );
});

test("one peer, no trouble; and before the first pass", () => {
  const lastPass = { at: 0, durationMs: 9, hostOffline: false };
  assert.equal(
    statusLine({ state: state(snapshot({})), lastPass }, 600_000),
    "1 peer up, last pass 10 min ago",
  );
  assert.equal(statusLine({ state: state(), lastPass: undefined }, 0), "first pass under way");
});

test("a pass that found this host offline says so", () => {
  const lastPass = { at: 0, durationMs: 9, hostOffline: true };
  const s = state(snapshot({ up: false, action: "unreachable" }));
  assert.equal(
    statusLine({ state: s, lastPass }, 5_000),
    "0 peers up, 1 down, this host looks offline, last pass 5 s ago",
  );
});
