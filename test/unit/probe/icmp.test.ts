import assert from "node:assert/strict";
import { test } from "node:test";
import type { Candidate } from "../../../src/model.js";
import { echoPlan } from "../../../src/probe/echo-session.js";
import { rawPinger } from "../../../src/probe/icmp.js";
import { type Echo, fakeSession } from "./fake-net-ping.js";

// rawPinger on a fake net-ping Session (it keeps net-ping's request rules: see fake-net-ping.ts):
// what it asks net-ping for, what goes out, and what it concludes from what comes back.

const POLICY = { count: 3, intervalMs: 40, timeoutMs: 200 };
const A: Candidate = { address: "2001:db8::1", family: 6 };
const B: Candidate = { address: "2001:db8::2", family: 6 };

test("echoPlan: up to `count` echoes, at least `intervalMs` apart, spread over `timeoutMs`", () => {
  assert.deepEqual(echoPlan({ count: 3, intervalMs: 200, timeoutMs: 1000 }), {
    echoes: 3,
    waitMs: 334,
  });
  assert.deepEqual(echoPlan({ count: 11, intervalMs: 1000, timeoutMs: 11000 }), {
    echoes: 11,
    waitMs: 1000,
  });
  assert.deepEqual(echoPlan({ count: 3, intervalMs: 500, timeoutMs: 1000 }), {
    echoes: 2,
    waitMs: 500,
  });
  assert.deepEqual(echoPlan({ count: 1, intervalMs: 200, timeoutMs: 1000 }), {
    echoes: 1,
    waitMs: 1000,
  });
  assert.deepEqual(echoPlan({ count: 3, intervalMs: 5000, timeoutMs: 1000 }), {
    echoes: 1,
    waitMs: 1000,
  });
});

test("alive on the first reply, with its round trip; no further echo is sent", async () => {
  const net = fakeSession((echo) => (echo.address === A.address ? "reply" : undefined));
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.equal(result.alive, true);
  assert.ok(typeof result.rttMs === "number" && result.rttMs < 60, `rtt ${result.rttMs}`);
  await sleep(150);
  assert.equal(net.sent(A.address).length, 1);
  assert.deepEqual(net.requests(), [{ address: A.address, retries: 2, timeout: 67 }]);
  pinger.close();
});

test("a silent address gets `count` echoes at least `intervalMs` apart and is dead at its deadline", async () => {
  const net = fakeSession(() => undefined);
  const pinger = rawPinger(net.open);
  const started = performance.now();
  const result = await pinger.probe(A, POLICY);
  const took = performance.now() - started;
  assert.deepEqual(result, { address: A.address, alive: false, error: "timeout" });
  assert.ok(took >= 195 && took < 400, `dead after ${Math.round(took)} ms`);
  const [first = 0, second = 0, third = 0] = net.sent(A.address);
  assert.equal(net.sent(A.address).length, 3);
  assert.ok(second - first >= 40 && third - second >= 40, "echoes at least 40 ms apart");
  pinger.close();
});

test("a lost first echo is not death: a later reply within the deadline counts", async () => {
  let seen = 0;
  const net = fakeSession(() => (++seen === 2 ? "reply" : undefined));
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.equal(result.alive, true);
  await sleep(150);
  assert.equal(net.sent(A.address).length, 2);
  pinger.close();
});

test("an ICMP error is one failed echo: the next goes out when it is due, and a reply counts", async () => {
  let seen = 0;
  const net = fakeSession(() => (++seen === 1 ? "unreachable" : "reply"));
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.equal(result.alive, true);
  const [first = 0, second = 0] = net.sent(A.address);
  assert.equal(net.sent(A.address).length, 2);
  assert.ok(second - first >= 60, `second echo ${Math.round(second - first)} ms after the first`);
  assert.deepEqual(net.requests(), [
    { address: A.address, retries: 2, timeout: 67 },
    { address: A.address, retries: 1, timeout: 67 },
  ]);
  pinger.close();
});

test("dead as soon as every echo got an ICMP error, with the error's words", async () => {
  const net = fakeSession(() => "unreachable");
  const pinger = rawPinger(net.open);
  const started = performance.now();
  const result = await pinger.probe(A, POLICY);
  assert.deepEqual(result, { address: A.address, alive: false, error: "host unreachable" });
  assert.equal(net.sent(A.address).length, 3);
  assert.ok(performance.now() - started < 190, "before the deadline");
  pinger.close();
});

test("an ICMP error then silence: dead at the deadline, with the error's words", async () => {
  let seen = 0;
  const net = fakeSession(() => (++seen === 1 ? "unreachable" : undefined));
  const pinger = rawPinger(net.open);
  const started = performance.now();
  const result = await pinger.probe(A, POLICY);
  assert.deepEqual(result, { address: A.address, alive: false, error: "host unreachable" });
  assert.equal(net.sent(A.address).length, 3);
  assert.ok(performance.now() - started >= 195, "at the deadline");
  pinger.close();
});

test("a send the firewall refuses counts as a failed echo", async () => {
  const refused = Object.assign(new Error("Operation not permitted"), { code: "EPERM" });
  const net = fakeSession(() => undefined, refused);
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.deepEqual(result, {
    address: A.address,
    alive: false,
    error: "blocked by the local firewall",
  });
  assert.equal(net.sent(A.address).length, 3);
  pinger.close();
});

test("first echoes go out before repeats; close() ends every probe under way", async () => {
  const net = fakeSession(() => undefined);
  const pinger = rawPinger(net.open);
  const pending = [pinger.probe(A, POLICY), pinger.probe(B, POLICY)];
  await sleep(120);
  assert.deepEqual(net.order().slice(0, 4), [A.address, B.address, A.address, B.address]);
  pinger.close();
  const results = await Promise.all(pending);
  assert.deepEqual(
    results.map((r) => r.error),
    ["probing stopped", "probing stopped"],
  );
  assert.deepEqual(await pinger.probe(A, POLICY), {
    address: A.address,
    alive: false,
    error: "probing stopped",
  });
});

test("close() also ends a probe that waits for its next echo after an ICMP error", async () => {
  const net = fakeSession(() => "unreachable");
  const pinger = rawPinger(net.open);
  const pending = pinger.probe(A, POLICY);
  await sleep(20);
  pinger.close();
  assert.deepEqual(await pending, { address: A.address, alive: false, error: "probing stopped" });
  await sleep(80);
  assert.equal(net.sent(A.address).length, 1, "no echo after close()");
});

test("the same address probed twice at once: each probe gets its own answer", async () => {
  const net = fakeSession((echo: Echo) => (echo.at - net.started >= 30 ? "reply" : undefined));
  const pinger = rawPinger(net.open);
  const first = pinger.probe(A, POLICY);
  await sleep(35);
  const second = pinger.probe(A, { count: 1, intervalMs: 40, timeoutMs: 200 });
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.alive, true);
  assert.equal(b.alive, true);
  pinger.close();
});

// --- internal ---

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
