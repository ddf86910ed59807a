import assert from "node:assert/strict";
import { test } from "node:test";
import type { Clock } from "../../../src/clock.js";
import type { InterfaceConfig, Resolution } from "../../../src/model.js";
import { delayFor, type TtlBounds, TtlSchedule, TtlWatch } from "../../../src/watch/ttl-follow.js";

// TtlWatch on a fake clock with fake DNS: ticks are called by hand.

const KEY_A = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const KEY_B = "YYSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const BOUNDS = { floorMs: 5_000, ceilingMs: 60_000, jitter: 0 };

function configs(): InterfaceConfig[] {
  const at = { file: "/etc/wireguard/wg0.conf" };
  const peer = (publicKey: string, host: string) => ({
    iface: "wg0",
    publicKey,
    endpoint: { host, port: 51820 },
    allowedIps: [],
    at,
  });
  return [
    {
      iface: "wg0",
      file: at.file,
      saveConfig: false,
      problems: [],
      peers: [
        peer(KEY_A, "vpn.example.test"),
        peer(KEY_B, "vpn.example.test"),
        peer(KEY_B, "192.0.2.77"),
      ],
    },
  ];
}

class Fixture {
  now = 1_000_000;
  answer: Resolution = { ok: true, candidates: [{ address: "192.0.2.1", family: 4 }] };
  ttl: number | undefined = 7;
  asked: string[] = [];
  changes: string[] = [];
  ttls: string[] = [];
  readonly clock: Clock = { now: () => this.now, sleep: async () => {} };
  readonly watch = new TtlWatch(BOUNDS, {
    clock: this.clock,
    resolve: async (name) => {
      this.asked.push(name);
      return this.answer;
    },
    ttl: async () => this.ttl,
    concurrency: 4,
    changed: (name, keys, addresses) =>
      this.changes.push(`${name} [${[...keys].join(" ")}] ${addresses}`),
    ttlSeen: (name, ttl) => this.ttls.push(`${name} ${ttl}`),
  });
}

test("a name is asked again when its TTL runs out; a changed set names the name's peers", async () => {
  const f = new Fixture();
  f.watch.follow(configs());
  await f.watch.tick();
  assert.deepEqual(f.asked, [], "not before the floor: the pass has just resolved it");
  f.now += 5_000;
  await f.watch.tick();
  assert.deepEqual(f.asked, ["vpn.example.test"], "literal addresses are not resolved");
  assert.deepEqual(f.changes, [], "the first answer is the baseline");
  assert.deepEqual(f.ttls, ["vpn.example.test 7"]);
  f.now += 6_999;
  await f.watch.tick();
  assert.equal(f.asked.length, 1, "TTL 7 s: not yet");
  f.now += 1;
  f.answer = {
    ok: true,
    candidates: [
      { address: "2001:db8:5::1", family: 6 },
      { address: "192.0.2.1", family: 4 },
    ],
  };
  await f.watch.tick();
  assert.deepEqual(f.changes, [
    `vpn.example.test [wg0/${KEY_A} wg0/${KEY_B}] 192.0.2.1, 2001:db8:5::1`,
  ]);
  await f.watch.stop();
});

test("no trusted TTL waits the ceiling; a failed resolution changes nothing", async () => {
  const f = new Fixture();
  f.ttl = undefined;
  f.watch.follow(configs());
  f.now += 5_000;
  await f.watch.tick();
  f.now += 59_999;
  await f.watch.tick();
  assert.equal(f.asked.length, 1);
  f.now += 1;
  f.answer = { ok: false, error: "resolving vpn.example.test failed temporarily (EAI_AGAIN)" };
  await f.watch.tick();
  assert.equal(f.asked.length, 2);
  assert.deepEqual(f.changes, []);
  f.answer = { ok: true, candidates: [{ address: "192.0.2.1", family: 4 }] };
  f.now += 60_000;
  await f.watch.tick();
  assert.deepEqual(f.changes, [], "the same set as before the failure");
  assert.deepEqual(f.ttls, ["vpn.example.test undefined"], "told once, not on every answer");
  await f.watch.stop();
  await f.watch.stop();
});

test("a pass's resolution is the baseline: a change before the first TTL check is seen", async () => {
  const f = new Fixture();
  f.watch.follow(configs());
  f.watch.saw("vpn.example.test", { ok: true, candidates: [{ address: "192.0.2.9", family: 4 }] });
  f.watch.saw("other.example.test", { ok: true, candidates: [] });
  f.now += 5_000;
  await f.watch.tick();
  assert.deepEqual(f.changes, [`vpn.example.test [wg0/${KEY_A} wg0/${KEY_B}] 192.0.2.1`]);
  await f.watch.stop();
});

// The pure schedule of TTL-driven re-resolution, on a fake clock with injected randomness.

const JITTERED: TtlBounds = { floorMs: 5_000, ceilingMs: 60_000, jitter: 0.1 };
const T0 = 1_000_000;
const none = () => 0;

test("a TTL between floor and ceiling is the wait, plus up to 10% jitter", () => {
  assert.equal(delayFor(30, JITTERED, none), 30_000);
  assert.equal(
    delayFor(30, JITTERED, () => 0.5),
    31_500,
  );
  assert.equal(
    delayFor(30, JITTERED, () => 0.999),
    32_997,
  );
});

test("TTL 0 and tiny TTLs wait the floor; jitter never goes below it", () => {
  assert.equal(delayFor(0, JITTERED, none), 5_000);
  assert.equal(delayFor(1, JITTERED, none), 5_000);
  assert.equal(
    delayFor(0, JITTERED, () => 0.5),
    5_250,
  );
});

test("a long TTL, or none (a name from /etc/hosts), waits the ceiling; its jitter is taken off", () => {
  assert.equal(delayFor(86_400, JITTERED, none), 60_000);
  assert.equal(delayFor(undefined, JITTERED, none), 60_000);
  assert.equal(
    delayFor(undefined, JITTERED, () => 0.5),
    57_000,
  );
  assert.equal(
    delayFor(59, JITTERED, () => 0.5),
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
  const s = new TtlSchedule(JITTERED, random);
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
  const s = new TtlSchedule(JITTERED, none);
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
  const s = new TtlSchedule(JITTERED, none);
  s.track(["a.test", "b.test"], T0);
  s.take(T0 + 5_000);
  s.track(["b.test", "c.test"], T0 + 5_000);
  assert.equal(s.done("a.test", 30, T0 + 5_100), undefined);
  assert.equal(s.size, 2);
  assert.equal(s.nextDue(), T0 + 10_000);
  assert.deepEqual(s.take(T0 + 10_000), ["c.test"]);
});
