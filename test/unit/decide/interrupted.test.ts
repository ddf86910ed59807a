import assert from "node:assert/strict";
import { test } from "node:test";
import { afterInterruption } from "../../../src/decide/interrupted.js";
import type { Step } from "../../../src/decide/types.js";

const A = "192.0.2.1:51820";
const B = "198.51.100.7:51820";
const WHY = "interrupted by SIGTERM";
const CANDIDATE = { address: "198.51.100.7", family: 4 as const, port: 51820 };
const moved = (verdict?: Step["verdict"]): Step => ({
  decision: {
    action: "switch",
    from: A,
    to: B,
    candidate: { ...CANDIDATE, origin: { kind: "primary" } },
    reason: "r",
  },
  applied: true,
  ...(verdict === undefined ? {} : { verdict }),
});

test("a move not verified yet is undone: back to the endpoint the pass began with", () => {
  const interrupted = { ok: false, how: "interrupted", interrupted: true };
  assert.deepEqual(afterInterruption(A, B, moved(interrupted), WHY), {
    action: "restore",
    from: B,
    to: A,
    reason: `${WHY} before ${B} was verified`,
  });
  assert.equal(afterInterruption(A, B, moved(), WHY)?.to, A, "no verdict at all: undone too");
});

test("nothing to undo: a verified move, no move, no endpoint to go back to, already there", () => {
  assert.equal(afterInterruption(A, B, moved({ ok: true, how: "new handshake" }), WHY), undefined);
  assert.equal(
    afterInterruption(A, A, { decision: { action: "check", endpoint: A, reason: "r" } }, WHY),
    undefined,
  );
  assert.equal(afterInterruption(undefined, B, moved(), WHY), undefined);
  assert.equal(afterInterruption(B, B, moved(), WHY), undefined);
  assert.equal(afterInterruption(A, B, { ...moved(), applied: false }, WHY), undefined);
  assert.equal(afterInterruption(A, B, undefined, WHY), undefined);
});
