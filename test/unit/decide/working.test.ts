import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { handshakeAge } from "../../../src/decide/types.js";
import { NOW, peer, switched } from "./builder.js";

const V6 = "2001:db8::1";
const V4 = "192.0.2.1";
const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";
const WATCH = "sent data 3 s ago and received nothing since";

describe("rule 2: the current endpoint works", () => {
  const both = () => peer().resolves(V6, V4).answers(V6).answers(V4);
  test("answers ping with a fresh handshake: kept (a peer already there gets no wg set)", () => {
    const d = both().on(E6).answers(V6, 7).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `${E6} works (answers ping in 7 ms)`,
    });
  });
  test("WireGuard confirmed it in this pass: kept, even though nothing answers ping", () => {
    const d = peer().resolves(V6, V4).on(E6).wg(E6, true).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `${E6} works (WireGuard traffic confirmed)`,
    });
  });
  test("with a handshake 134 s old: kept", () => {
    const d = both().on(E6).handshake(134).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `${E6} works (answers ping in 1 ms)`,
    });
  });
});

describe("rule 2, first exception: answers ping, but checked through WireGuard", () => {
  const both = () => peer().resolves(V6, V4).answers(V6).answers(V4);
  test("a handshake 135 s old (handshakeFreshSeconds) is stale", () => {
    const d = both().on(E6).handshake(135).decide();
    assert.deepEqual(d, {
      action: "check",
      endpoint: E6,
      reason: `${E6} answers ping but last handshake 135 s ago: checking through WireGuard`,
    });
  });
  test("no handshake yet", () => {
    const d = both().on(E6).handshake(undefined).decide();
    assert.deepEqual(d, {
      action: "check",
      endpoint: E6,
      reason: `${E6} answers ping but no handshake yet: checking through WireGuard`,
    });
  });
  test("watch mode called it suspect: checked despite a fresh handshake", () => {
    const d = both().on(E6).handshake(5).suspect(WATCH).decide();
    assert.deepEqual(d, {
      action: "check",
      endpoint: E6,
      reason: `${E6} answers ping but ${WATCH}: checking through WireGuard`,
    });
  });
  test("suspect and stale at once: the reason is watch mode's", () => {
    const d = both().on(E6).handshake(500).suspect(WATCH).decide();
    assert.deepEqual(d, {
      action: "check",
      endpoint: E6,
      reason: `${E6} answers ping but ${WATCH}: checking through WireGuard`,
    });
  });
  test("suspect, and the check confirmed it: kept", () => {
    const d = both().on(E6).suspect(WATCH).wg(E6, true).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `${E6} works (WireGuard traffic confirmed)`,
    });
  });
  test("without verification (--dry-run), neither suspect nor stale triggers a check", () => {
    const d = both().on(E6).handshake(500).suspect(WATCH).policy({ canVerify: false }).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `${E6} works (answers ping in 1 ms)`,
    });
  });
  test("the check comes before moving back to the preferred family", () => {
    const d = both()
      .on(E4)
      .handshake(200)
      .memory({ preferredAnsweringSince: NOW - 999_000 })
      .decide();
    assert.deepEqual(d, {
      action: "check",
      endpoint: E4,
      reason: `${E4} answers ping but last handshake 200 s ago: checking through WireGuard`,
    });
  });
});

describe("rule 2, second exception: the preferred family answers again (hold-down)", () => {
  const onV4 = () => peer().resolves(V6, V4).on(E4).answers(V6).answers(V4);
  test("one lucky ping (no streak yet) does not move a working tunnel", () => {
    const d = onV4().decide();
    const reason = `${E4} works; IPv6 answers again but must do so for 300 s first (0 s so far)`;
    assert.deepEqual(d, { action: "keep", endpoint: E4, reason });
  });
  test("kept while IPv6 has answered for less than the hold-down", () => {
    const d = onV4()
      .memory({ preferredAnsweringSince: NOW - 299_999 })
      .decide();
    const reason = `${E4} works; IPv6 answers again but must do so for 300 s first (299 s so far)`;
    assert.deepEqual(d, { action: "keep", endpoint: E4, reason });
  });
  test("moves back to IPv6 once it has answered for the whole hold-down", () => {
    const d = onV4()
      .memory({ preferredAnsweringSince: NOW - 300_000 })
      .decide();
    const reason = "IPv6 has answered for 300 s (hold-down 300 s): moving back to IPv6";
    assert.deepEqual(d, switched(E4, V6, reason));
  });
  test("a per-peer holdDownSeconds is honoured", () => {
    const d = onV4()
      .policy({ holdDownSeconds: 60 })
      .memory({ preferredAnsweringSince: NOW - 60_000 })
      .decide();
    const reason = "IPv6 has answered for 60 s (hold-down 60 s): moving back to IPv6";
    assert.deepEqual(d, switched(E4, V6, reason));
  });
  test("an IPv6 address held by a recent WireGuard failure is no reason to move back", () => {
    const d = onV4()
      .memory({ preferredAnsweringSince: NOW - 999_000, failedUntil: { [E6]: NOW + 1000 } })
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E4,
      reason: `${E4} works (answers ping in 1 ms)`,
    });
  });
});

describe("handshakeAge", () => {
  test("0 means never", () => assert.equal(handshakeAge(0, NOW), undefined));
  test("seconds since the handshake, rounded", () => {
    assert.equal(handshakeAge(NOW / 1000 - 42.4, NOW), 42);
  });
  test("a handshake in the future (clock step) counts as just now", () => {
    assert.equal(handshakeAge(NOW / 1000 + 30, NOW), 0);
  });
});
