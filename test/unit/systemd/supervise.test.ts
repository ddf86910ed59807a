import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { State } from "../../../src/state/shape.js";
import { supervise } from "../../../src/systemd/supervise.js";

const STATE: State = { version: 1, peers: {} };

function recorder() {
  const sent: { at: number; fields: Record<string, string> }[] = [];
  return {
    sent,
    send: (fields: Record<string, string>) => sent.push({ at: performance.now(), fields }),
  };
}

test("READY=1 with the STATUS of the first pass; STATUS after every pass; STOPPING=1 on stop", () => {
  const r = recorder();
  const s = supervise(undefined, r, () => 60_000);
  s.passDone({ state: STATE, lastPass: { at: 48_000, durationMs: 5, hostOffline: false } });
  s.ready();
  s.stopping();
  s.ready();
  s.close();
  assert.deepEqual(
    r.sent.map((m) => m.fields),
    [
      { STATUS: "0 peers up, last pass 12 s ago" },
      { READY: "1", STATUS: "0 peers up, last pass 12 s ago" },
      { STOPPING: "1", STATUS: "stopping: finishing the pass under way" },
    ],
  );
});

test("watchdog pings come from a timer on the event loop: none while the loop is blocked", async () => {
  const r = recorder();
  const s = supervise(40, r, Date.now);
  try {
    await sleep(300);
    const before = r.sent.length;
    assert.ok(before >= 2, `${before} pings in 300 ms at one per 20 ms`);
    const blocked = performance.now();
    while (performance.now() - blocked < 200) {
      // A wedged event loop: nothing else runs.
    }
    const unblocked = performance.now();
    assert.equal(r.sent.length, before, "no ping while the loop is blocked");
    for (let i = 0; i < 50 && r.sent.length === before; i++) await sleep(20);
    assert.ok(r.sent.length > before, "pings again once it runs");
    for (const m of r.sent) assert.ok(m.at < blocked || m.at >= unblocked);
    assert.deepEqual(r.sent[0]?.fields, { WATCHDOG: "1", STATUS: "first pass under way" });
  } finally {
    s.close();
  }
  const stopped = r.sent.length;
  await sleep(100);
  assert.equal(r.sent.length, stopped, "close() stops the pings");
});

test("SIGHUP once ready: RELOADING=1 with MONOTONIC_USEC=, then READY=1 when the last reload is done", () => {
  const r = recorder();
  const s = supervise(
    undefined,
    r,
    () => 60_000,
    () => 123_456_789n,
  );
  s.reloading()(); // still starting: systemd hears nothing of it
  s.ready();
  const first = s.reloading();
  const second = s.reloading(); // joins the reload under way
  first();
  first();
  second();
  s.close();
  assert.deepEqual(
    r.sent.map((m) => m.fields),
    [
      { READY: "1", STATUS: "first pass under way" },
      { RELOADING: "1", MONOTONIC_USEC: "123456789", STATUS: "reloading the settings" },
      { READY: "1", STATUS: "first pass under way" },
    ],
  );
});

test("MONOTONIC_USEC= is CLOCK_MONOTONIC in µs: within the span of the process's monotonic reads", () => {
  const before = process.hrtime.bigint() / 1000n;
  const r = recorder();
  const s = supervise(undefined, r, Date.now);
  s.ready();
  s.reloading();
  const after = process.hrtime.bigint() / 1000n;
  s.close();
  const usec = BigInt(r.sent[1]?.fields["MONOTONIC_USEC"] ?? "-1");
  assert.ok(before <= usec && usec <= after, `${before} <= ${usec} <= ${after}`);
});
