import assert from "node:assert/strict";
import { test } from "node:test";
import { learnRtt, silenceThresholdMs } from "../../../src/watch/silence.js";

test("threshold: eight round trips, never below the floor; unknown RTT counts as 250 ms", () => {
  assert.equal(silenceThresholdMs(1000, 1), 1000);
  assert.equal(silenceThresholdMs(1000, 125), 1000);
  assert.equal(silenceThresholdMs(1000, 300), 2400);
  assert.equal(silenceThresholdMs(1000, 0.4), 1000);
  assert.equal(silenceThresholdMs(1000, undefined), 2000);
  assert.equal(silenceThresholdMs(5000, undefined), 5000, "the floor wins");
});

test("learning: a slower echo counts at once, a faster one only halves the estimate", () => {
  assert.equal(learnRtt(undefined, 40), 40);
  assert.equal(learnRtt(40, 300), 300);
  assert.equal(learnRtt(300, 1), 150);
  assert.equal(learnRtt(150, 1), 75);
  assert.equal(learnRtt(75, 100), 100);
});
