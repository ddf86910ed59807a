import assert from "node:assert/strict";
import { test } from "node:test";
import type { Clock } from "../../../src/clock.js";
import type { InterfaceConfig, Resolution } from "../../../src/model.js";
import { TtlWatch } from "../../../src/watch/ttl-watch.js";

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
