import assert from "node:assert/strict";
import { test } from "node:test";
import type { Candidate } from "../../../src/model.js";
import { type Pinger, RawSocketError } from "../../../src/probe/icmp.js";
import { probeAll, startProbing } from "../../../src/probe/probe.js";
import { parsePingOutput } from "../../../src/probe/system-ping.js";

const POLICY = { count: 3, intervalMs: 200, timeoutMs: 1000, concurrency: 2 };
const V4: Candidate = { address: "192.0.2.1", family: 4 };
const V6: Candidate = { address: "2001:db8::1", family: 6 };

test("every distinct address is probed once, with at most `concurrency` in flight", async () => {
  let inFlight = 0;
  let most = 0;
  const probed: string[] = [];
  const pinger: Pinger = {
    async probe(c) {
      probed.push(c.address);
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { address: c.address, alive: c.family === 4 };
    },
    close() {},
  };
  const r = await probeAll(
    [V4, V6, V4, { address: "192.0.2.2", family: 4 }],
    POLICY,
    pinger,
    () => pinger,
  );
  assert.deepEqual(probed.sort(), ["192.0.2.1", "192.0.2.2", "2001:db8::1"]);
  assert.equal(most, 2);
  assert.equal(r.results.get("2001:db8::1")?.alive, false);
  assert.equal(r.systemPingReason, undefined);
});

test("without raw sockets, says so once and uses the fallback", async () => {
  const raw: Pinger = {
    probe: async () => {
      throw new RawSocketError("cannot open a raw ICMP socket: Operation not permitted");
    },
    close() {},
  };
  const system: Pinger = {
    probe: async (c) => ({ address: c.address, alive: true, rttMs: 3 }),
    close() {},
  };
  const r = await probeAll([V4, V6], POLICY, raw, () => system);
  assert.equal(r.results.get("192.0.2.1")?.alive, true);
  assert.equal(
    r.systemPingReason,
    "cannot open a raw ICMP socket: Operation not permitted; using the system ping instead (slower)",
  );
});

test("addresses added while DNS answers are probed at once, each once", async () => {
  const started: string[] = [];
  const pinger: Pinger = {
    async probe(c) {
      started.push(c.address);
      return { address: c.address, alive: true, rttMs: 1 };
    },
    close() {},
  };
  const batch = startProbing(POLICY, pinger, () => pinger);
  batch.add([V6]);
  await new Promise((r) => setImmediate(r));
  // The first name's address is already probed before the second name resolves.
  assert.deepEqual(started, ["2001:db8::1"]);
  batch.add([V4, V6]);
  const r = await batch.finish();
  assert.deepEqual(started, ["2001:db8::1", "192.0.2.1"]);
  assert.equal(r.results.size, 2);
});

test("a pinger with start() is used without promises; its RawSocketError still falls back", async () => {
  const started: string[] = [];
  const raw: Pinger = {
    probe: () => Promise.reject(new Error("probe() must not be called")),
    start(c, _policy, done) {
      if (c.family === 4) throw new RawSocketError("cannot open a raw ICMP socket: EPERM");
      started.push(c.address);
      setTimeout(() => done({ address: c.address, alive: true, rttMs: 2 }), 1);
    },
    close() {},
  };
  const system: Pinger = {
    probe: async (c) => ({ address: c.address, alive: false, error: "timeout" }),
    close() {},
  };
  const r = await probeAll([V6, { address: "2001:db8::2", family: 6 }], POLICY, raw, () => system);
  assert.deepEqual(started, ["2001:db8::1", "2001:db8::2"]);
  assert.deepEqual(r.results.get("2001:db8::2"), { address: "2001:db8::2", alive: true, rttMs: 2 });
  assert.equal(r.systemPingReason, undefined);
  const both = await probeAll([V6, V4], POLICY, raw, () => system);
  assert.equal(both.results.get("2001:db8::1")?.alive, false, "every address probed again");
  assert.equal(
    both.systemPingReason,
    "cannot open a raw ICMP socket: EPERM; using the system ping instead (slower)",
  );
});

test("a pinger bug surfaces from finish(), not as an unhandled rejection", async () => {
  const pinger: Pinger = {
    probe: async () => {
      throw new TypeError("bug");
    },
    close() {},
  };
  const batch = startProbing(POLICY, pinger, () => pinger);
  batch.add([V4]);
  await new Promise((r) => setTimeout(r, 5));
  await assert.rejects(batch.finish(), /bug/);
});

test("reads iputils ping output", () => {
  const alive = [
    "PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.",
    "",
    "--- 192.0.2.1 ping statistics ---",
    "3 packets transmitted, 3 received, 0% packet loss, time 401ms",
    "rtt min/avg/max/mdev = 0.031/0.048/0.061/0.012 ms",
  ].join("\n");
  assert.deepEqual(parsePingOutput("192.0.2.1", 0, alive), {
    address: "192.0.2.1",
    alive: true,
    rttMs: 0.048,
  });
  const dead =
    "--- 192.0.2.9 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2041ms\n";
  assert.deepEqual(parsePingOutput("192.0.2.9", 1, dead), {
    address: "192.0.2.9",
    alive: false,
    error: "timeout",
  });
  const unreachable =
    "From 192.0.2.2 icmp_seq=1 Destination Host Unreachable\n3 packets transmitted, 0 received, +3 errors\n";
  assert.deepEqual(parsePingOutput("192.0.2.9", 1, unreachable), {
    address: "192.0.2.9",
    alive: false,
    error: "host unreachable",
  });
});
