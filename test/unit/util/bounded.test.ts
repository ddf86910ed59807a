import assert from "node:assert/strict";
import { test } from "node:test";
import { limiter } from "../../../src/util/bounded.js";

test("limiter runs at most `limit` tasks at once and every task to the end", async () => {
  const gate = limiter(3);
  let running = 0;
  let most = 0;
  const task = (i: number) => async () => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 2 + (i % 3)));
    running--;
    return i;
  };
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => gate(task(i))));
  assert.deepEqual(
    results,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(most, 3);
});

test("a failing task frees its slot", async () => {
  const gate = limiter(1);
  await assert.rejects(gate(() => Promise.reject(new Error("no"))));
  assert.equal(await gate(async () => "next"), "next");
});
