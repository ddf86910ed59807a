import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NOW, peer, switched } from "./builder.js";

const V6 = "2001:db8::1";
const V6B = "2001:db8::2";
const V4 = "192.0.2.1";
const V4B = "192.0.2.2";
const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";

describe("rule 3: the current endpoint does not work, another answers", () => {
  test("the peer has no endpoint: takes the best answering address", () => {
    const d = peer().resolves(V6, V4).on(undefined).answers(V4).decide();
    assert.deepEqual(d, switched(undefined, V4, `the peer has no endpoint; ${V4} answers in 1 ms`));
  });
  test("silent: moves to the preferred family's answering address first", () => {
    const d = peer().resolves(V6, V6B, V4).on(E6).answers(V4).answers(V6B, 4).decide();
    const reason = `${E6} does not answer ping (timeout); ${V6B} answers in 4 ms`;
    assert.deepEqual(d, switched(E6, V6B, reason));
  });
  test("IPv6 silent: falls back to IPv4", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V4, 3).decide();
    const reason = `${E6} does not answer ping (timeout); ${V4} answers in 3 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("the probe's own error is the reason", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .unanswered(V6, "host unreachable")
      .answers(V4)
      .decide();
    const reason = `${E6} does not answer ping (host unreachable); ${V4} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("a probe without an error text reads 'no answer'", () => {
    const d = peer().resolves(V6, V4).on(E6).unanswered(V6).answers(V4).decide();
    const reason = `${E6} does not answer ping (no answer); ${V4} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("answers ping but WireGuard failed through it in this pass: moves on", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V6).answers(V4).wg(E6, false).decide();
    const reason = `${E6} carries no WireGuard traffic; ${V4} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("answers ping but failed WireGuard verification recently: moves on", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V6)
      .answers(V4)
      .memory({ failedUntil: { [E6]: NOW + 1000 } })
      .decide();
    const reason = `${E6} failed WireGuard verification recently; ${V4} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("skips an answering address that failed WireGuard verification recently", () => {
    const d = peer()
      .resolves(V6, V4, V4B)
      .on(E6)
      .answers(V4)
      .answers(V4B)
      .memory({ failedUntil: { [E4]: NOW + 1000 } })
      .decide();
    const reason = `${E6} does not answer ping (timeout); ${V4B} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4B, reason));
  });
  test("a failure held until now has expired", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V4)
      .memory({ failedUntil: { [E4]: NOW } })
      .decide();
    const reason = `${E6} does not answer ping (timeout); ${V4} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("round-trip times do not rank: the resolver's order does", () => {
    const d = peer().resolves(V6, V4, V4B).on(E6).answers(V4, 50).answers(V4B, 1).decide();
    const reason = `${E6} does not answer ping (timeout); ${V4} answers in 50 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("a switch is decided again after moving: the new endpoint is kept once it answers", () => {
    const d = peer().resolves(V6, V4).on(E6).now(E4).answers(V4).wg(E4, true).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E4,
      reason: `${E4} works (WireGuard traffic confirmed)`,
    });
  });
});
