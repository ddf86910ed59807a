import assert from "node:assert/strict";
import { test } from "node:test";
import { settle } from "../../../src/apply/settle.js";
import type { TunnelChecker } from "../../../src/apply/tunnel-check.js";
import type { Clock } from "../../../src/clock.js";
import type { LivePeer } from "../../../src/model.js";
import type { Wg } from "../../../src/observe/wg.js";
import { NOW, peer } from "../decide/builder.js";

const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";
const POLICY = {
  family: "auto",
  handshakeFreshSeconds: 135,
  holdDownSeconds: 300,
  canVerify: true,
  maxAddressesPerName: 8,
  maxTriesPerPass: 4,
} as const;

/** A fake interface: remembers `wg set`, and a checker that says which endpoints carry traffic. */
function fakes(working: readonly string[]) {
  const sets: string[] = [];
  let endpoint: string | undefined;
  const wg: Wg = {
    show: async () => [],
    showAll: async () => new Map<string, LivePeer[]>(),
    setEndpoint: async (_iface, _key, to) => {
      sets.push(to);
      endpoint = to;
    },
  };
  const check: TunnelChecker = async () => {
    const ok = endpoint !== undefined && working.includes(endpoint);
    return { ok, how: ok ? "answered" : "nothing came back" };
  };
  const clock: Clock = { now: () => NOW, sleep: async () => {} };
  const deps = (start: string | undefined) => {
    endpoint = start;
    return { wg, check, clock, dryRun: false, failedHoldMs: 600_000, verifyAddress: undefined };
  };
  return { sets, deps };
}

test("a failed move back to IPv6 ends on the working IPv4 endpoint, and IPv6 is remembered as failed", async () => {
  const obs = peer()
    .resolves("2001:db8::1", "192.0.2.1")
    .on(E4)
    .answers("2001:db8::1")
    .answers("192.0.2.1")
    .observation();
  const f = fakes([E4]);
  const r = await settle(
    obs,
    { failedUntil: {}, preferredAnsweringSince: NOW - 301_000 },
    POLICY,
    f.deps(E4),
  );
  assert.deepEqual(f.sets, [E6, E4]);
  assert.equal(r.live.endpoint, E4);
  assert.deepEqual(r.memory.failedUntil, { [E6]: NOW + 600_000 });
  assert.deepEqual(
    r.steps.map((s) => [s.decision.action, s.verdict?.ok]),
    [
      ["switch", false],
      ["switch", true],
    ],
  );
});

test("when no candidate carries traffic the peer ends where it was and the pass says so", async () => {
  const obs = peer().resolves("2001:db8::1", "192.0.2.1").on(E6).answers("192.0.2.1").observation();
  const f = fakes([]);
  const r = await settle(obs, { failedUntil: {} }, POLICY, f.deps(E6));
  assert.equal(r.live.endpoint, E6);
  // IPv4 answers ping but fails WireGuard; IPv6 is tried through WireGuard too; both fail.
  assert.deepEqual(
    r.steps.map((s) => [s.decision.action, s.verdict?.ok]),
    [
      ["switch", false],
      ["switch", false],
      ["unreachable", undefined],
    ],
  );
  assert.deepEqual(f.sets, [E4, E6]);
});

test("--dry-run decides but neither sets nor verifies", async () => {
  const obs = peer().resolves("2001:db8::1", "192.0.2.1").on(E6).answers("192.0.2.1").observation();
  const f = fakes([E4]);
  const r = await settle(
    obs,
    { failedUntil: {} },
    { ...POLICY, canVerify: false },
    { ...f.deps(E6), dryRun: true },
  );
  assert.deepEqual(f.sets, []);
  assert.deepEqual(
    r.steps.map((s) => [s.decision.action, s.applied]),
    [["switch", false]],
  );
});

test("SIGTERM while a move is being verified: the move is undone, nothing is marked failed, no new round", async () => {
  const obs = peer().resolves("2001:db8::1", "192.0.2.1").on(E6).answers("192.0.2.1").observation();
  const f = fakes([]);
  const controller = new AbortController();
  const waitingCheck: TunnelChecker = (_iface, _key, _address, signal) =>
    new Promise((resolve) => {
      signal?.addEventListener("abort", () =>
        resolve({ ok: false, how: "interrupted", interrupted: true }),
      );
      // The signal arrives while WireGuard's answer is awaited.
      controller.abort(Object.assign(new Error("interrupted by SIGTERM"), { signal: "SIGTERM" }));
    });
  const deps = { ...f.deps(E6), check: waitingCheck, signal: controller.signal };
  const r = await settle(obs, { failedUntil: {} }, POLICY, deps);
  assert.deepEqual(f.sets, [E4, E6]);
  assert.equal(r.live.endpoint, E6);
  assert.deepEqual(r.memory.failedUntil, {});
  assert.deepEqual(
    r.steps.map((s) => [s.decision.action, s.applied, s.verdict?.interrupted]),
    [
      ["switch", true, true],
      ["restore", true, undefined],
    ],
  );
  assert.deepEqual(r.steps[1]?.decision, {
    action: "restore",
    from: E4,
    to: E6,
    reason: `interrupted by SIGTERM before ${E4} was verified`,
  });
});

test("SIGTERM before any round: nothing is decided or changed", async () => {
  const obs = peer().resolves("2001:db8::1", "192.0.2.1").on(E6).answers("192.0.2.1").observation();
  const f = fakes([]);
  const controller = new AbortController();
  controller.abort(new Error("interrupted by SIGINT"));
  const r = await settle(obs, { failedUntil: {} }, POLICY, {
    ...f.deps(E6),
    signal: controller.signal,
  });
  assert.deepEqual(f.sets, []);
  assert.deepEqual(r.steps, []);
});
