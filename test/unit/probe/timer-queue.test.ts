import assert from "node:assert/strict";
import { test } from "node:test";
import { type Due, TimerQueue } from "../../../src/probe/timer-queue.js";

interface Item extends Due {
  readonly name: string;
}

test("fires every item once, earliest first, never before its time, with one timer", async () => {
  const fired: string[] = [];
  const early: string[] = [];
  const queue = new TimerQueue<Item>((item, now) => {
    fired.push(item.name);
    if (now < item.at - 1) early.push(item.name);
  });
  const now = performance.now();
  // Added out of order, with a tie: the heap must sort them.
  for (const [name, offset] of [
    ["c", 60],
    ["a", 20],
    ["d", 60],
    ["b", 40],
    ["e", 5],
  ] as const)
    queue.add({ name, at: now + offset });
  assert.equal(queue.size, 5);
  await until(() => fired.length === 5);
  assert.deepEqual(fired.slice(0, 3), ["e", "a", "b"]);
  assert.deepEqual(fired.slice(3).sort(), ["c", "d"]);
  assert.deepEqual(early, []);
  assert.equal(queue.size, 0);
});

test("an item can wait again from its own firing; clear() forgets the rest", async () => {
  const fired: string[] = [];
  const queue = new TimerQueue<Item>((item, now) => {
    fired.push(item.name);
    if (item.name === "again" && fired.length < 3) {
      item.at = now + 10;
      queue.add(item);
    }
  });
  const now = performance.now();
  queue.add({ name: "late", at: now + 60_000 });
  queue.add({ name: "again", at: now + 10 });
  await until(() => fired.length === 3);
  assert.deepEqual(fired, ["again", "again", "again"]);
  assert.equal(queue.size, 1);
  queue.clear();
  assert.equal(queue.size, 0);
});

test("thousands of items come out in order of time", async () => {
  const fired: number[] = [];
  const queue = new TimerQueue<Item & { n: number }>((item) => fired.push(item.n));
  const now = performance.now();
  const times = Array.from({ length: 5000 }, (_, n) => ({ n, at: now + ((n * 7919) % 40) }));
  for (const t of times) queue.add({ ...t, name: String(t.n) });
  await until(() => fired.length === 5000);
  const at = (n: number) => (times[n] as { at: number }).at;
  for (let i = 1; i < fired.length; i++)
    assert.ok(at(fired[i - 1] as number) <= at(fired[i] as number));
});

// --- internal ---

/** Waits until `done()` holds, for at most 5 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.ok(done(), "timed out");
}
