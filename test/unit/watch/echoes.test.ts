import assert from "node:assert/strict";
import { test } from "node:test";
import type { Clock } from "../../../src/clock.js";
import type { PeerOutcome } from "../../../src/decide/types.js";
import type { Suspect } from "../../../src/detect/detector.js";
import type { Candidate, ProbeResult } from "../../../src/model.js";
import type { EchoPolicy } from "../../../src/probe/echo-session.js";
import type { Pinger } from "../../../src/probe/icmp.js";
import { EarlyProbes, EndpointSweep } from "../../../src/watch/echoes.js";

const ECHO = { count: 1, intervalMs: 200, timeoutMs: 1000 };

/** A peer `n` whose pass left it on `address` (port 51820), answering ping or not. */
function outcome(n: number, address: string, answered: boolean): PeerOutcome {
  const publicKey = `${String(n).padStart(43, "A")}=`;
  const endpoint = address.includes(":") ? `[${address}]:51820` : `${address}:51820`;
  return {
    peer: {
      iface: "wg0",
      publicKey,
      endpoint: { host: "vpn.example", port: 51820 },
      allowedIps: [],
      at: { file: "wg0.conf" },
    },
    live: {
      publicKey,
      endpoint,
      allowedIps: [],
      latestHandshake: 0,
      rxBytes: 0,
      txBytes: 0,
    },
    original: endpoint,
    resolution: { ok: true, candidates: [] },
    probes: [{ address, alive: answered, ...(answered ? { rttMs: 1 } : { error: "timeout" }) }],
    steps: [],
  } as unknown as PeerOutcome;
}

/** A pinger that answers from `dead` (a set it reads at each echo) and records every echo. */
function pinger(dead: Set<string>): Pinger & { sent: string[]; settle: () => Promise<void> } {
  const sent: string[] = [];
  const pending: Promise<unknown>[] = [];
  return {
    sent,
    probe(c: Candidate): Promise<ProbeResult> {
      sent.push(c.address);
      const result = Promise.resolve(
        dead.has(c.address)
          ? { address: c.address, alive: false, error: "timeout" }
          : { address: c.address, alive: true, rttMs: 1 },
      );
      pending.push(result);
      return result;
    },
    close() {},
    async settle() {
      for (let i = 0; i < 5; i++) await Promise.all(pending);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

test("sweep: each answering endpoint gets one echo per period, spread over the ticks", async () => {
  const sweep = new EndpointSweep(3000);
  sweep.learn(Array.from({ length: 6 }, (_, i) => outcome(i, `192.0.2.${i + 1}`, true)));
  const p = pinger(new Set());
  const suspects: Suspect[] = [];
  let now = 0;
  const perTick: number[] = [];
  for (let tick = 0; tick <= 12; tick++) {
    const before = p.sent.length;
    sweep.tick(p, ECHO, now, (s) => suspects.push(s));
    await p.settle();
    perTick.push(p.sent.length - before);
    now += 500;
  }
  // 6 peers over 3 s in ticks of 0.5 s: one echo a tick, each peer twice in 6 s, none at once.
  assert.deepEqual(perTick, [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(
    p.sent.slice(0, 6).sort(),
    Array.from({ length: 6 }, (_, i) => `192.0.2.${i + 1}`),
  );
  assert.deepEqual(p.sent.slice(6), p.sent.slice(0, 6));
  assert.deepEqual(suspects, []);
});

test("sweep: 2,000 peers never burst; a long gap between ticks sends each at most once", async () => {
  const sweep = new EndpointSweep(3000);
  sweep.learn(
    Array.from({ length: 2000 }, (_, i) => outcome(i, `2001:db8:${(i + 1).toString(16)}::1`, true)),
  );
  const p = pinger(new Set());
  sweep.tick(p, ECHO, 0, () => {});
  sweep.tick(p, ECHO, 100, () => {});
  assert.equal(p.sent.length, 66); // 2000 x 100 / 3000, the fraction kept for later
  await p.settle();
  sweep.tick(p, ECHO, 60_100, () => {}); // the process slept a minute
  await p.settle();
  assert.equal(p.sent.length, 2066);
  assert.equal(new Set(p.sent.slice(66)).size, 2000);
});

test("sweep: a missed echo is asked again at once; two misses make a suspect, reported once", async () => {
  const sweep = new EndpointSweep(1000);
  sweep.learn([outcome(1, "2001:db8:1::1", true), outcome(2, "192.0.2.7", true)]);
  const dead = new Set<string>();
  const p = pinger(dead);
  const suspects: Suspect[] = [];
  sweep.tick(p, ECHO, 0, (s) => suspects.push(s));
  dead.add("2001:db8:1::1");
  for (const now of [1000, 2000, 3000]) {
    sweep.tick(p, ECHO, now, (s) => suspects.push(s));
    await p.settle();
  }
  assert.equal(suspects.length, 1);
  assert.equal(suspects[0]?.publicKey, `${"1".padStart(43, "A")}=`);
  assert.equal(
    suspects[0]?.reason,
    "[2001:db8:1::1]:51820 stopped answering ping (timeout) on an idle check",
  );
  // Asked twice in a row, then no more until a pass finds the endpoint answering again.
  assert.equal(p.sent.filter((a) => a === "2001:db8:1::1").length, 2);
  assert.equal(p.sent.filter((a) => a === "192.0.2.7").length, 3);
});

test("sweep: one lost echo is no alarm", async () => {
  const sweep = new EndpointSweep(1000);
  sweep.learn([outcome(1, "192.0.2.9", true)]);
  let lost = 1;
  const sent: string[] = [];
  const flaky: Pinger = {
    probe: async (c) => {
      sent.push(c.address);
      return lost-- > 0
        ? { address: c.address, alive: false, error: "timeout" }
        : { address: c.address, alive: true, rttMs: 1 };
    },
    close() {},
  };
  const suspects: Suspect[] = [];
  sweep.tick(flaky, ECHO, 0, (s) => suspects.push(s));
  sweep.tick(flaky, ECHO, 1000, (s) => suspects.push(s));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, ["192.0.2.9", "192.0.2.9"]);
  assert.deepEqual(suspects, []);
});

test("sweep: endpoints that did not answer in their pass, and peers gone from the files, are not watched", async () => {
  const sweep = new EndpointSweep(1000);
  sweep.learn([
    outcome(1, "192.0.2.1", false),
    outcome(2, "192.0.2.2", true),
    outcome(3, "192.0.2.3", true),
  ]);
  sweep.keepOnly(new Set([`wg0/${"2".padStart(43, "A")}=`]));
  const p = pinger(new Set());
  sweep.tick(p, ECHO, 0, () => {});
  sweep.tick(p, ECHO, 5000, () => {});
  await p.settle();
  assert.deepEqual(p.sent, ["192.0.2.2"]);
  // A later pass that finds peer 2 no longer answering stops its checks too.
  sweep.learn([outcome(2, "192.0.2.2", false)]);
  sweep.tick(p, ECHO, 10_000, () => {});
  assert.deepEqual(p.sent, ["192.0.2.2"]);
});

// --- early probes ---

const POLICY: EchoPolicy = { count: 3, intervalMs: 200, timeoutMs: 1000 };
const V6: Candidate = { address: "2001:db8:1::1", family: 6 };
const V4: Candidate = { address: "192.0.2.1", family: 4 };

function fakes(): {
  clock: Clock & { t: number };
  pinger: Pinger;
  sent: string[];
  used: Map<string, EchoPolicy>;
} {
  const sent: string[] = [];
  /** The policy of each address's last echoes. */
  const used = new Map<string, EchoPolicy>();
  const clock = { t: 0, now: () => clock.t, sleep: async () => {} };
  const pinger: Pinger = {
    probe: async (c, policy): Promise<ProbeResult> => {
      sent.push(c.address);
      used.set(c.address, policy);
      return c.family === 4
        ? { address: c.address, alive: true, rttMs: 1 }
        : { address: c.address, alive: false, error: "timeout" };
    },
    close() {},
  };
  return { clock, pinger, sent, used };
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

test("the address that answered the last pass is given 8 of its round trips, the others the passes' policy; the pass reuses both", async () => {
  const { clock, pinger, sent, used } = fakes();
  const early = new EarlyProbes(clock);
  early.learn("wg0/K", [V6, V4], { address: V6.address, rttMs: 1 });
  assert.equal(early.start("wg0/K", pinger, POLICY), 2);
  assert.deepEqual(used.get(V6.address), { count: 2, intervalMs: 125, timeoutMs: 250 });
  assert.deepEqual(used.get(V4.address), POLICY);
  const pass = early.wrap(pinger);
  assert.equal((await pass.probe(V6, POLICY)).alive, false);
  assert.equal((await pass.probe(V4, POLICY)).alive, true);
  assert.deepEqual(sent, [V6.address, V4.address], "the pass sent nothing of its own");
});

test("the round trip counts only for the address that answered; a faster sample halves it", () => {
  const deadline = (answers: { address: string; rttMs: number }[]) => {
    const { clock, pinger, used } = fakes();
    const early = new EarlyProbes(clock);
    for (const answered of answers) early.learn("wg0/K", [V6, V4], answered);
    early.start("wg0/K", pinger, POLICY);
    return [used.get(V6.address)?.timeoutMs, used.get(V4.address)?.timeoutMs];
  };
  assert.deepEqual(deadline([{ address: V6.address, rttMs: 50 }]), [400, 1000]);
  const faster = { address: V6.address, rttMs: 1 };
  assert.deepEqual(deadline([{ address: V6.address, rttMs: 80 }, faster]), [320, 1000]);
  const moved = { address: V4.address, rttMs: 1 };
  assert.deepEqual(deadline([{ address: V6.address, rttMs: 80 }, moved]), [1000, 250]);
  // A pass whose endpoint did not answer (ICMP filtered?): the passes' policy for all.
  const { clock, pinger, used } = fakes();
  const early = new EarlyProbes(clock);
  early.learn("wg0/K", [V6, V4], { address: V6.address, rttMs: 1 });
  early.learn("wg0/K", [V6, V4]);
  early.start("wg0/K", pinger, POLICY);
  assert.deepEqual([...used.values()], [POLICY, POLICY]);
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
