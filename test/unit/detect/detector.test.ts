import assert from "node:assert/strict";
import { test } from "node:test";
import { Detector, learnRtt, silenceThresholdMs } from "../../../src/detect/detector.js";
import type { LivePeer } from "../../../src/model.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const T0 = 1_764_050_000_000;

function snap(rx: number, tx: number, handshakeAgeS = 10, now = T0): Map<string, LivePeer[]> {
  const live: LivePeer = {
    publicKey: KEY,
    endpoint: "[2001:db8::1]:51820",
    allowedIps: [],
    latestHandshake: now / 1000 - handshakeAgeS,
    rxBytes: rx,
    txBytes: tx,
  };
  return new Map([["wg0", [live]]]);
}

test("data sent and nothing back for the silence window: suspect, once", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  assert.deepEqual(d.observe(snap(1000, 1000), T0).suspects, []);
  assert.deepEqual(d.observe(snap(1000, 1148, 10, T0 + 1000), T0 + 1000).suspects, []);
  // The data left after the poll at T0: two seconds of silence are up at T0 + 2000.
  assert.deepEqual(d.observe(snap(1000, 1296, 11, T0 + 1500), T0 + 1500).suspects, []);
  const s = d.observe(snap(1000, 1444, 12, T0 + 2000), T0 + 2000).suspects;
  assert.deepEqual(s, [
    { iface: "wg0", publicKey: KEY, reason: "sent data 2 s ago and received nothing since" },
  ]);
  assert.deepEqual(
    d.observe(snap(1000, 1592, 13, T0 + 3000), T0 + 3000).suspects,
    [],
    "reported once",
  );
});

test("unanswered PersistentKeepalive (32 bytes) is not a failure", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  d.observe(snap(1000, 1000, 200), T0);
  for (let i = 1; i <= 10; i++) {
    assert.deepEqual(
      d.observe(snap(1000, 1000 + 32 * i, 200 + i * 25, T0 + i * 25_000), T0 + i * 25_000).suspects,
      [],
    );
  }
});

test("an answer clears the suspicion", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  d.observe(snap(1000, 1000), T0);
  d.observe(snap(1000, 1148), T0 + 1000);
  d.observe(snap(1148, 1296), T0 + 2000);
  assert.deepEqual(d.observe(snap(1148, 1296), T0 + 3500).suspects, []);
});

test("data on a stale handshake is suspect at once", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  d.observe(snap(1000, 1000, 300), T0);
  const s = d.observe(snap(1000, 1148, 301, T0 + 1000), T0 + 1000).suspects;
  assert.equal(s[0]?.reason, "sending data on a handshake 301 s old");
});

test("sends failing locally: the host offers packets, no peer's counter moves; suspect once", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  const at = (offered: number, tx: number) => new Map([["wg0", { offered, txBytes: tx }]]);
  assert.deepEqual(d.observe(snap(1000, 1000), T0, at(10, 1000)).suspects, []);
  // The host keeps handing the interface packets; WireGuard sends nothing (EPERM, no route).
  assert.deepEqual(d.observe(snap(1000, 1000), T0 + 1000, at(12, 1000)).suspects, []);
  assert.deepEqual(d.observe(snap(1000, 1000), T0 + 1500, at(13, 1000)).suspects, []);
  const s = d.observe(snap(1000, 1000), T0 + 2000, at(14, 1000)).suspects;
  assert.equal(s.length, 1);
  assert.match(s[0]?.reason ?? "", /host sends into wg0 but WireGuard has sent nothing for 2 s/);
  assert.equal(s[0]?.endpoint, "[2001:db8::1]:51820", "to be confirmed by an echo to it");
  assert.deepEqual(
    d.observe(snap(1000, 1000), T0 + 3000, at(16, 1000)).suspects,
    [],
    "reported once",
  );
  // WireGuard sends again (moved to a working endpoint): the interface is judged afresh.
  assert.deepEqual(d.observe(snap(1000, 1148), T0 + 3500, at(17, 1148)).suspects, []);
});

test("offered dips while wireguard-go has yet to read a multicast packet: no stall", () => {
  const d = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  const at = (offered: number) => new Map([["wg0", { offered, txBytes: 1000 }]]);
  d.observe(snap(1000, 1000), T0, at(10));
  // A router solicitation: counted as multicast at once, by the tun device a moment later.
  d.observe(snap(1000, 1000), T0 + 500, at(9));
  for (let i = 2; i <= 8; i++)
    assert.deepEqual(d.observe(snap(1000, 1000), T0 + 500 * i, at(10)).suspects, [], `poll ${i}`);
  // A send that really fails still counts, and so does growth after the interface is made again.
  d.observe(snap(1000, 1000), T0 + 4500, at(11));
  assert.equal(d.observe(snap(1000, 1000), T0 + 5500, at(12)).suspects.length, 1);
  const again = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  again.observe(snap(1000, 1000), T0, at(5000));
  again.observe(snap(1000, 1000), T0 + 500, at(3));
  again.observe(snap(1000, 1000), T0 + 1000, at(4));
  assert.equal(again.observe(snap(1000, 1000), T0 + 2000, at(5)).suspects.length, 1);
});

test("an idle interface, or one whose packets WireGuard sends, is not suspect", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  const at = (offered: number, tx: number) => new Map([["wg0", { offered, txBytes: tx }]]);
  d.observe(snap(1000, 1000), T0, at(10, 1000));
  for (let i = 1; i <= 8; i++) {
    const now = T0 + i * 1000;
    // Idle for the first half, then traffic to some peer (managed or not) every second.
    const offered = i <= 4 ? 10 : 10 + i;
    const tx = i <= 4 ? 1000 : 1000 + 148 * i;
    assert.deepEqual(d.observe(snap(1000 + 148 * i, 1000), now, at(offered, tx)).suspects, []);
  }
});

test("timing() holds the polls while a silence is measured", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  d.observe(snap(1000, 1000), T0);
  assert.equal(d.timing(), false, "idle: nothing to time");
  d.observe(snap(1000, 1148), T0 + 500);
  assert.equal(d.timing(), true, "data out, no answer yet");
  d.observe(snap(1148, 1148), T0 + 1000);
  assert.equal(d.timing(), false, "answered");
});

test("skipped polls: keepalives of the gap are no data, silence counts from the last poll", () => {
  const d = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  d.observe(snap(1000, 1000), T0);
  // Ten minutes without a packet from the host: 1,200 polls skipped, 20 keepalives went out.
  for (let i = 1; i <= 1200; i++) d.skipped(T0 + i * 500);
  assert.deepEqual(d.observe(snap(1000, 1640, 100, T0 + 600_500), T0 + 600_500).suspects, []);
  assert.equal(d.timing(), false, "keepalives are not data");
  // Then data, right after a skipped poll: its silence is timed from that poll, not from T0.
  d.skipped(T0 + 601_000);
  assert.deepEqual(d.observe(snap(1000, 1788, 100, T0 + 601_500), T0 + 601_500).suspects, []);
  assert.equal(d.timing(), true);
  const s = d.observe(snap(1000, 1788, 100, T0 + 603_000), T0 + 603_000).suspects;
  assert.equal(s[0]?.reason, "sent data 2 s ago and received nothing since");
});

test("a known round trip sets the threshold: eight RTTs, at least silenceMs", () => {
  const fast = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  fast.learnRtt("wg0", KEY, 2);
  assert.equal(fast.thresholdMs("wg0", KEY), 1000);
  fast.observe(snap(1000, 1000), T0);
  assert.deepEqual(fast.observe(snap(1000, 1148, 10, T0 + 500), T0 + 500).suspects, []);
  const s = fast.observe(snap(1000, 1148, 11, T0 + 1000), T0 + 1000).suspects;
  assert.equal(s[0]?.reason, "sent data 1 s ago and received nothing since");

  const slow = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  slow.learnRtt("wg0", KEY, 300);
  assert.equal(slow.thresholdMs("wg0", KEY), 2400);
  slow.observe(snap(1000, 1000), T0);
  slow.observe(snap(1000, 1148, 10, T0 + 500), T0 + 500);
  assert.deepEqual(
    slow.observe(snap(1000, 1148, 11, T0 + 2000), T0 + 2000).suspects,
    [],
    "2 s < 8 RTTs",
  );
  assert.equal(slow.observe(snap(1000, 1148, 12, T0 + 2500), T0 + 2500).suspects.length, 1);
});

test("configure(): the new limits judge the next snapshots; the round trip and the silence timed are kept", () => {
  const d = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  d.learnRtt("wg0", KEY, 200);
  d.observe(snap(1000, 1000), T0);
  d.observe(snap(1000, 1148, 10, T0 + 500), T0 + 500); // data out after T0: the silence starts
  d.configure({ silenceMs: 3000, handshakeStaleSeconds: 135 });
  assert.equal(d.thresholdMs("wg0", KEY), 3000);
  assert.deepEqual(d.observe(snap(1000, 1148, 11, T0 + 2000), T0 + 2000).suspects, [], "2 s < 3 s");
  const s = d.observe(snap(1000, 1148, 12, T0 + 3000), T0 + 3000).suspects;
  assert.equal(s[0]?.reason, "sent data 3 s ago and received nothing since");
  d.configure({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  assert.equal(d.thresholdMs("wg0", KEY), 1600, "eight round trips of the RTT learned before");

  const stale = new Detector({ silenceMs: 2000, handshakeStaleSeconds: 135 });
  stale.observe(snap(1000, 1000, 100), T0);
  stale.configure({ silenceMs: 2000, handshakeStaleSeconds: 60 });
  const old = stale.observe(snap(1000, 1148, 101, T0 + 1000), T0 + 1000).suspects;
  assert.equal(old[0]?.reason, "sending data on a handshake 101 s old");

  const iface = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  const at = (offered: number) => new Map([["wg0", { offered, txBytes: 1000 }]]);
  iface.observe(snap(1000, 1000), T0, at(10));
  iface.observe(snap(1000, 1000), T0 + 500, at(11)); // offered, nothing sent: timed from T0
  iface.configure({ silenceMs: 3000, handshakeStaleSeconds: 135 });
  assert.deepEqual(iface.observe(snap(1000, 1000), T0 + 2000, at(12)).suspects, [], "2 s < 3 s");
  assert.equal(iface.observe(snap(1000, 1000), T0 + 3000, at(13)).suspects.length, 1);
});

test("unknown round trip: 2 s; the RTT outlives reset() but not the peer", () => {
  const d = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  assert.equal(d.thresholdMs("wg0", KEY), 2000);
  d.learnRtt("wg0", KEY, 5);
  d.reset("wg0", KEY);
  d.observe(snap(1000, 1000), T0);
  assert.equal(d.thresholdMs("wg0", KEY), 1000, "kept across reset()");
  d.observe(new Map([["wg0", []]]), T0 + 500);
  assert.equal(d.thresholdMs("wg0", KEY), 2000, "forgotten with the peer");
});

test("newlySilent: the peer once, at the poll its data first goes unanswered", () => {
  const d = new Detector({ silenceMs: 1000, handshakeStaleSeconds: 135 });
  const silent = (...args: Parameters<Detector["observe"]>) => d.observe(...args).newlySilent;
  assert.deepEqual(silent(snap(1000, 1148), T0), [], "a first snapshot says nothing");
  assert.deepEqual(silent(snap(1000, 1180, 10, T0 + 500), T0 + 500), [], "a keepalive is not data");
  assert.deepEqual(silent(snap(1000, 1328, 10, T0 + 1000), T0 + 1000), [
    { iface: "wg0", publicKey: KEY },
  ]);
  assert.deepEqual(
    silent(snap(1000, 1476, 10, T0 + 1500), T0 + 1500),
    [],
    "still the same silence",
  );
  silent(snap(1092, 1476, 10, T0 + 2000), T0 + 2000);
  assert.deepEqual(
    silent(snap(1092, 1624, 10, T0 + 2500), T0 + 2500),
    [{ iface: "wg0", publicKey: KEY }],
    "a new silence",
  );
});

test("threshold: eight round trips, never below the floor; unknown RTT counts as 250 ms", () => {
  assert.equal(silenceThresholdMs(1000, 1), 1000);
  assert.equal(silenceThresholdMs(1000, 125), 1000);
  assert.equal(silenceThresholdMs(1000, 300), 2400);
  assert.equal(silenceThresholdMs(1000, 0.4), 1000);
  assert.equal(silenceThresholdMs(1000, undefined), 2000);
  assert.equal(silenceThresholdMs(5000, undefined), 5000, "the floor wins");
});

test("learning: a slower echo counts at once, a faster one only halves the estimate", () => {
  assert.equal(learnRtt(undefined, 40), 40);
  assert.equal(learnRtt(40, 300), 300);
  assert.equal(learnRtt(300, 1), 150);
  assert.equal(learnRtt(150, 1), 75);
  assert.equal(learnRtt(75, 100), 100);
});
