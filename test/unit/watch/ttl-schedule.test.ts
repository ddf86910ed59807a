import assert from "node:assert/strict";
import { test } from "node:test";
import { delayFor, type TtlBounds, TtlSchedule } from "../../../src/watch/ttl-schedule.js";

// The pure schedule of TTL-driven re-resolution, on a fake clock with injected randomness.

const BOUNDS: TtlBounds = { floorMs: 5_000, ceilingMs: 60_000, jitter: 0.1 };
const T0 = 1_000_000;
const none = () => 0;

test("a TTL between floor and ceiling is the wait, plus up to 10% jitter", () => {
  assert.equal(delayFor(30, BOUNDS, none), 30_000);
  assert.equal(
    delayFor(30, BOUNDS, () => 0.5),
    31_500,
  );
  assert.equal(
    delayFor(30, BOUNDS, () => 0.999),
    32_997,
  );
});

test("TTL 0 and tiny TTLs wait the floor; jitter never goes below it", () => {
  assert.equal(delayFor(0, BOUNDS, none), 5_000);
  assert.equal(delayFor(1, BOUNDS, none), 5_000);
  assert.equal(
    delayFor(0, BOUNDS, () => 0.5),
    5_250,
  );
});

test("a long TTL, or none (a name from /etc/hosts), waits the ceiling; its jitter is taken off", () => {
  assert.equal(delayFor(86_400, BOUNDS, none), 60_000);
  assert.equal(delayFor(undefined, BOUNDS, none), 60_000);
  assert.equal(
    delayFor(undefined, BOUNDS, () => 0.5),
    57_000,
  );
  assert.equal(
    delayFor(59, BOUNDS, () => 0.5),
    56_050,
  );
});

test("a floor above the ceiling gives way to the ceiling", () => {
  const bounds = { floorMs: 120_000, ceilingMs: 60_000, jitter: 0 };
  assert.equal(delayFor(0, bounds, none), 60_000);
  assert.equal(delayFor(300, bounds, none), 60_000);
});

test("2,000 names with one TTL spread over the jitter window instead of one millisecond", () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const s = new TtlSchedule(BOUNDS, random);
  const names = Array.from({ length: 2_000 }, (_, i) => `peer${i}.example.test`);
  s.track(names, T0);
  assert.equal(s.take(T0 + 5_000).length, 2_000);
  const due = names.map((n) => s.done(n, 30, T0 + 5_000) as number);
  const distinct = new Set(due).size;
  assert.ok(distinct > 1_000, `${distinct} distinct times`);
  assert.ok(Math.min(...due) >= T0 + 35_000 && Math.max(...due) <= T0 + 38_000);
  // No more than a handful fire in any one millisecond.
  const perMs = new Map<number, number>();
  for (const at of due) perMs.set(at, (perMs.get(at) ?? 0) + 1);
  assert.ok(Math.max(...perMs.values()) <= 6, `${Math.max(...perMs.values())} in one ms`);
});

test("new names are first due after the floor; a name is handed out once until done", () => {
  const s = new TtlSchedule(BOUNDS, none);
  s.track(["a.test", "b.test"], T0);
  assert.deepEqual(s.take(T0 + 4_999), []);
  assert.equal(s.nextDue(), T0 + 5_000);
  assert.deepEqual(s.take(T0 + 5_000), ["a.test", "b.test"]);
  // Both are busy: nothing more is handed out, however late, until done() comes back.
  assert.deepEqual(s.take(T0 + 999_999), []);
  assert.equal(s.nextDue(), undefined);
  s.track(["a.test", "b.test"], T0 + 6_000);
  assert.deepEqual(s.take(T0 + 999_999), [], "tracking again does not queue a second one");
  assert.equal(s.done("a.test", 7, T0 + 6_000), T0 + 13_000);
  assert.equal(s.done("b.test", undefined, T0 + 6_000), T0 + 66_000);
  assert.deepEqual(s.take(T0 + 13_000), ["a.test"]);
  assert.equal(s.size, 2);
});

test("names no longer in the configs are dropped, even while being resolved", () => {
  const s = new TtlSchedule(BOUNDS, none);
  s.track(["a.test", "b.test"], T0);
  s.take(T0 + 5_000);
  s.track(["b.test", "c.test"], T0 + 5_000);
  assert.equal(s.done("a.test", 30, T0 + 5_100), undefined);
  assert.equal(s.size, 2);
  assert.equal(s.nextDue(), T0 + 10_000);
  assert.deepEqual(s.take(T0 + 10_000), ["c.test"]);
});
