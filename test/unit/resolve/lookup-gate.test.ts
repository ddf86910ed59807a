import assert from "node:assert/strict";
import { test } from "node:test";
import { type Getaddrinfo, systemResolver } from "../../../src/resolve/dns.js";
import { lookupGate, lookupLimit } from "../../../src/resolve/lookup-gate.js";
import { forEachBounded } from "../../../src/util/bounded.js";

// DNS down: getaddrinfo never answers (here a fake that never settles until released). 300 names,
// dns.concurrency 64, dns.timeoutMs 100.
test("DNS down: each name fails at its timeout, and no more lookups run than the gate allows", async () => {
  let started = 0;
  const hanging: (() => void)[] = [];
  const getaddrinfo: Getaddrinfo = () => {
    started++;
    return new Promise((_, reject) => {
      hanging.push(() => reject(Object.assign(new Error("EAI_AGAIN"), { code: "EAI_AGAIN" })));
    });
  };
  const gate = lookupGate(28);
  const resolve = systemResolver(100, getaddrinfo, gate);
  const names = Array.from({ length: 300 }, (_, i) => `n${i}.example.test`);
  const errors: string[] = [];
  const began = Date.now();
  await forEachBounded(names, 64, async (name) => {
    const r = await resolve(name);
    if (!r.ok) errors.push(r.error);
  });
  const tookMs = Date.now() - began;
  assert.equal(errors.length, 300);
  assert.ok(tookMs < 5 * 100 + 1000, `the pass's DNS took ${tookMs} ms`);
  assert.equal(started, 28, "lookups started: only as many as the gate has turns");
  assert.equal(gate.running, 28);
  assert.match(
    errors.at(-1) ?? "",
    /^resolving n\d+\.example\.test timed out after 100 ms \(28 lookups are still running: is DNS reachable\?\)$/,
  );
  for (const end of hanging) end();
  await new Promise((r) => setImmediate(r));
  assert.equal(gate.running, 0);
  // Once the stuck lookups end, new ones run again.
  const after = await systemResolver(
    100,
    async () => [{ address: "192.0.2.1", family: 4 }],
    gate,
  )("vpn.example.test");
  assert.deepEqual(after, { ok: true, candidates: [{ address: "192.0.2.1", family: 4 }] });
});

test("the gate's size: the thread pool less an eighth of it (at least one) kept for file I/O", () => {
  assert.equal(lookupLimit({ UV_THREADPOOL_SIZE: "32" }), 28);
  assert.equal(lookupLimit({ UV_THREADPOOL_SIZE: "16" }), 14);
  assert.equal(lookupLimit({}), 3);
  assert.equal(lookupLimit({ UV_THREADPOOL_SIZE: "junk" }), 3);
});
