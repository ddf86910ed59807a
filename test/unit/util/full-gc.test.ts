import assert from "node:assert/strict";
import { test } from "node:test";
import { collectGarbageNow } from "../../../src/util/full-gc.js";

// Runs in a process of its own (node --test), so the exposed gc reaches no other test.

test("collectGarbageNow() really collects: an object held only weakly is gone", async () => {
  let big: number[] | undefined = Array.from({ length: 100_000 }, (_, i) => i);
  const ref = new WeakRef(big);
  big = undefined;
  // WeakRef targets are kept until the end of the current job: collect in a later one.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbageNow();
  collectGarbageNow(); // a second call works the same
  assert.equal(ref.deref(), undefined);
});
