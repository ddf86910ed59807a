import assert from "node:assert/strict";
import { test } from "node:test";
import { formatHolder, parseHolder, startTime } from "../../../src/state/holder.js";

test("the start time is field 22, even when the command name holds spaces and ')'", () => {
  const rest = "S 1 7 7 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 50";
  assert.equal(startTime(`4242 (node) ${rest}`), 123456);
  assert.equal(startTime(`4242 (a) b (c)) ${rest}`), 123456);
  assert.equal(startTime("4242 (node) S 1"), undefined);
  assert.equal(startTime(""), undefined);
});

test("a lock's text reads back as its holder; older PID-only locks are understood", () => {
  const holder = { pid: 812, start: 9001, boot: "5f0c1e2a-1b3c-4d5e-8f90-123456789abc" };
  assert.equal(formatHolder(holder), "812\n9001\n5f0c1e2a-1b3c-4d5e-8f90-123456789abc\n");
  assert.deepEqual(parseHolder(formatHolder(holder)), holder);
  assert.deepEqual(parseHolder("812\n"), { pid: 812, start: undefined, boot: undefined });
});

test("a lock that names no PID names no holder", () => {
  for (const text of ["", "0\n", "-5\n", "12abc\n", " \n", "99999999999\n"])
    assert.equal(parseHolder(text), undefined, JSON.stringify(text));
});
