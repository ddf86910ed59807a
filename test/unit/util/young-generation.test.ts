import assert from "node:assert/strict";
import { test } from "node:test";
import { getHeapSpaceStatistics } from "node:v8";
import { keepYoungGenerationSmall } from "../../../src/util/young-generation.js";

// Runs in a process of its own (node --test), so the flag reaches no other test.

test("after keepYoungGenerationSmall(), V8 no longer grows the young generation", () => {
  const before = newSpaceSize();
  keepYoungGenerationSmall();
  keepYoungGenerationSmall(); // a second call changes nothing
  // Objects that survive several scavenges, as a big pass's probes do: V8 would grow the space.
  const kept: { n: number; text: string }[] = [];
  for (let i = 0; i < 600_000; i++) kept.push({ n: i, text: `address ${i}` });
  // V8 starts at 1 MB and, left alone, grows to 16 MB or more here; it may take one step.
  assert.ok(newSpaceSize() <= 2 * before, `new space grew from ${before} to ${newSpaceSize()}`);
});

// --- internal ---

function newSpaceSize(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? -1;
}
