import assert from "node:assert/strict";
import { test } from "node:test";
import { carriesAnswer, tunnelChecker } from "../../../src/apply/tunnel-check.js";
import type { Clock } from "../../../src/clock.js";
import type { LivePeer, ProbeResult } from "../../../src/model.js";
import type { Wg } from "../../../src/observe/wg.js";
import type { Pinger } from "../../../src/probe/icmp.js";

// The check with a fake clock (sleep() moves it on at once), a fake `wg` whose counters change
// at a given poll, and a fake pinger: racing the echo against the counters, and the deadline.

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const INSIDE = { address: "172.25.1.1", family: 4 as const };
const T0 = 1_764_050_000_000;

class Fake {
  now = T0;
  polls = 0;
  /** The peer as each `wg show` gives it: the first call is the "before". */
  peers: (LivePeer | undefined)[] = [];
  echo: Promise<ProbeResult> = new Promise(() => {});
  echoes: { count: number; timeoutMs: number }[] = [];
  readonly clock: Clock = {
    now: () => this.now,
    sleep: async (ms) => {
      this.now += ms;
    },
  };
  readonly wg: Wg = {
    show: async () => {
      const peer = this.peers[Math.min(this.polls++, this.peers.length - 1)];
      return peer === undefined ? [] : [peer];
    },
    showAll: async () => new Map(),
    setEndpoint: async () => {},
  };
  readonly pinger: Pinger = {
    probe: (_candidate, policy) => {
      this.echoes.push({ count: policy.count, timeoutMs: policy.timeoutMs });
      return this.echo;
    },
    close: () => {},
  };
  check(timeoutMs = 5000) {
    return tunnelChecker(this.wg, this.pinger, this.clock, timeoutMs, 200);
  }
}

const peer = (rxBytes: number, latestHandshake = 100): LivePeer => ({
  publicKey: KEY,
  endpoint: "192.0.2.1:51820",
  allowedIps: ["172.25.1.1/32"],
  latestHandshake,
  rxBytes,
  txBytes: 0,
});

test("an echo answered through the tunnel proves it; the echoes span the timeout", async () => {
  const f = new Fake();
  f.peers = [peer(0)];
  f.echo = Promise.resolve({ address: INSIDE.address, alive: true, rttMs: 3 });
  const verdict = await f.check(5000)("wg0", KEY, INSIDE);
  assert.deepEqual(verdict, { ok: true, how: "172.25.1.1 answered through the tunnel" });
  assert.deepEqual(f.echoes, [{ count: 5, timeoutMs: 5000 }]);
});

test("without an echo answer, received bytes or a newer handshake prove it, at the poll they show", async () => {
  const f = new Fake();
  f.peers = [peer(100), peer(100), peer(100), peer(292)];
  assert.deepEqual(await f.check()("wg0", KEY, INSIDE), { ok: true, how: "received 192 bytes" });
  assert.equal(f.now, T0 + 600, "three polls 200 ms apart");
  const g = new Fake();
  g.peers = [peer(100, 100), peer(100, 160)];
  assert.deepEqual(await g.check()("wg0", KEY, undefined), { ok: true, how: "new handshake" });
  assert.deepEqual(g.echoes, [], "no address inside the tunnel: no echo");
});

test("the peer's own handshake initiations (148 bytes each) prove nothing; an answer among them does", async () => {
  const f = new Fake();
  // One initiation at once, a second 5.2 s later (one per 5 s at most): still no answer.
  f.peers = [peer(100), ...Array<LivePeer>(25).fill(peer(248)), peer(396)];
  const verdict = await f.check(6000)("wg0", KEY, undefined);
  assert.deepEqual(verdict, { ok: false, how: "nothing came back through the tunnel within 6 s" });
  const g = new Fake();
  g.peers = [peer(100), peer(248), peer(248 + 32)];
  assert.deepEqual(await g.check()("wg0", KEY, undefined), { ok: true, how: "received 180 bytes" });
  const at = (ms: number) => (bytes: number) => carriesAnswer(bytes, ms);
  assert.deepEqual(
    [0, 148, 296, 444, 592, 92, 32, 148 + 92, 148 + 32, 64].map(at(11_000)),
    [false, false, false, false, true, true, true, true, true, true],
    "592 bytes are data (37 packets' worth): 11 s hold at most 3 initiations",
  );
  assert.deepEqual([148, 296].map(at(1_000)), [false, true], "1 s holds one initiation");
  assert.equal(at(30_000)(592), false, "30 s may hold 4 initiations");
});

test("nothing back by the deadline fails, saying how long it waited", async () => {
  const f = new Fake();
  f.peers = [peer(100)];
  f.echo = Promise.resolve({ address: INSIDE.address, alive: false, error: "timeout" });
  const verdict = await f.check(2000)("wg0", KEY, INSIDE);
  assert.deepEqual(verdict, {
    ok: false,
    how: "nothing came back through the tunnel within 2 s",
  });
  assert.equal(f.now, T0 + 2000, "polled until the deadline, not beyond");
});

test("a peer gone from the interface fails at once, before or while waiting", async () => {
  const f = new Fake();
  f.peers = [undefined];
  assert.deepEqual(await f.check()("wg0", KEY, INSIDE), {
    ok: false,
    how: "peer is no longer on wg0",
  });
  const g = new Fake();
  g.peers = [peer(0), undefined];
  g.echo = Promise.resolve({ address: INSIDE.address, alive: false });
  const verdict = await g.check()("wg0", KEY, INSIDE);
  assert.equal(verdict.ok, false);
  assert.equal(g.now, T0 + 200, "stopped at the poll that found it gone");
});

test("an abort ends the wait at once with an interrupted verdict", async () => {
  const f = new Fake();
  f.peers = [peer(0)];
  const controller = new AbortController();
  controller.abort(new Error("interrupted by SIGTERM"));
  const verdict = await f.check()("wg0", KEY, INSIDE, controller.signal);
  assert.deepEqual(verdict, { ok: false, how: "interrupted", interrupted: true });
});
