import assert from "node:assert/strict";
import { test } from "node:test";
import type { Clock } from "../../../src/clock.js";
import type { Candidate, ProbeResult } from "../../../src/model.js";
import type { EchoPolicy } from "../../../src/probe/echo-session.js";
import type { Pinger } from "../../../src/probe/icmp.js";
import { EarlyProbes } from "../../../src/watch/stall-poll.js";

const POLICY: EchoPolicy = { count: 3, intervalMs: 200, timeoutMs: 1000 };
const V6: Candidate = { address: "2001:db8:1::1", family: 6 };
const V4: Candidate = { address: "192.0.2.1", family: 4 };

function fakes(): { clock: Clock & { t: number }; pinger: Pinger; sent: string[] } {
  const sent: string[] = [];
  const clock = { t: 0, now: () => clock.t, sleep: async () => {} };
  const pinger: Pinger = {
    probe: async (c): Promise<ProbeResult> => {
      sent.push(c.address);
      return c.family === 4
        ? { address: c.address, alive: true, rttMs: 1 }
        : { address: c.address, alive: false, error: "timeout" };
    },
    close() {},
  };
  return { clock, pinger, sent };
}

test("a peer's addresses are probed once per reuse window, and a pass gets those echoes", async () => {
  const { clock, pinger, sent } = fakes();
  const early = new EarlyProbes(clock, 5000);
  assert.equal(early.start("wg0/K", pinger, POLICY), 0, "addresses not known yet");
  early.learn("wg0/K", [V6, V4]);
  assert.equal(early.start("wg0/K", pinger, POLICY), 2);
  clock.t = 4000;
  assert.equal(early.start("wg0/K", pinger, POLICY), 0, "still fresh");
  const pass = early.wrap(pinger);
  assert.deepEqual(await pass.probe(V6, POLICY), {
    address: V6.address,
    alive: false,
    error: "timeout",
  });
  assert.deepEqual(sent, [V6.address, V4.address], "the pass sent nothing of its own");
  assert.equal(early.total, 2);
});

test("another policy, an unknown address or a stale echo: the pass probes itself", async () => {
  const { clock, pinger, sent } = fakes();
  const early = new EarlyProbes(clock, 5000);
  early.learn("wg0/K", [V6]);
  early.start("wg0/K", pinger, POLICY);
  const pass = early.wrap(pinger);
  await pass.probe(V6, { ...POLICY, count: 1 });
  await pass.probe(V4, POLICY);
  clock.t = 5001;
  await pass.probe(V6, POLICY);
  assert.deepEqual(sent, [V6.address, V6.address, V4.address, V6.address]);
  assert.equal(early.start("wg0/K", pinger, POLICY), 1, "stale: probed again");
});

test("echoes of a Pinger since replaced (settings reloaded) are not reused", async () => {
  const { clock, pinger, sent } = fakes();
  const early = new EarlyProbes(clock);
  early.learn("wg0/K", [V4]);
  early.start("wg0/K", pinger, POLICY);
  const { pinger: next, sent: sentByNext } = fakes();
  await early.wrap(next).probe(V4, POLICY);
  assert.deepEqual(sent, [V4.address]);
  assert.deepEqual(sentByNext, [V4.address], "probed again by the Pinger in force");
});

test("a failed early probe reaches the pass as the same failure, never as an unhandled one", async () => {
  const { clock } = fakes();
  const failing: Pinger = {
    probe: () => Promise.reject(new Error("cannot open a raw ICMP socket")),
    close() {},
  };
  const early = new EarlyProbes(clock);
  early.learn("wg0/K", [V4]);
  early.start("wg0/K", failing, POLICY);
  await new Promise((r) => setImmediate(r));
  await assert.rejects(early.wrap(failing).probe(V4, POLICY), /raw ICMP socket/);
});

test("keepOnly() forgets the addresses of peers no longer managed", () => {
  const { clock, pinger } = fakes();
  const early = new EarlyProbes(clock);
  early.learn("wg0/K", [V4]);
  early.keepOnly(new Set(["wg0/OTHER"]));
  assert.equal(early.start("wg0/K", pinger, POLICY), 0);
});
