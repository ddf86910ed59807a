import assert from "node:assert/strict";
import { test } from "node:test";
import { rttDeadlinePolicy } from "../../../src/probe/echo-deadline.js";
import { echoPlan } from "../../../src/probe/echo-session.js";

const PASSES = { count: 3, intervalMs: 200, timeoutMs: 1000 };

test("8 round trips, at least 250 ms, two echoes spread over them", () => {
  assert.deepEqual(rttDeadlinePolicy(PASSES, 0), { count: 2, intervalMs: 125, timeoutMs: 250 });
  assert.deepEqual(rttDeadlinePolicy(PASSES, 1), { count: 2, intervalMs: 125, timeoutMs: 250 });
  assert.deepEqual(rttDeadlinePolicy(PASSES, 40), { count: 2, intervalMs: 160, timeoutMs: 320 });
  assert.deepEqual(rttDeadlinePolicy(PASSES, 0.4), { count: 2, intervalMs: 125, timeoutMs: 250 });
  // Both echoes really go out within the deadline.
  assert.deepEqual(echoPlan(rttDeadlinePolicy(PASSES, 1)), { echoes: 2, waitMs: 125 });
});

test("a slow path, or a policy already as short: the policy itself", () => {
  assert.equal(rttDeadlinePolicy(PASSES, 125), PASSES);
  assert.equal(rttDeadlinePolicy(PASSES, 300), PASSES);
  const short = { count: 3, intervalMs: 50, timeoutMs: 200 };
  assert.equal(rttDeadlinePolicy(short, 1), short);
});

test("never more echoes or closer ones than the policy asks", () => {
  const one = { count: 1, intervalMs: 200, timeoutMs: 1000 };
  assert.deepEqual(rttDeadlinePolicy(one, 1), { count: 1, intervalMs: 200, timeoutMs: 250 });
  const sparse = { count: 5, intervalMs: 100, timeoutMs: 2000 };
  assert.deepEqual(rttDeadlinePolicy(sparse, 1), { count: 2, intervalMs: 100, timeoutMs: 250 });
});
