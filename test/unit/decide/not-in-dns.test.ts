import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rememberVerdict } from "../../../src/decide/memory.js";
import { NOW, peer, switched } from "./builder.js";

// The peer was on OLD; DNS now lists only NEW.
const OLD = "203.0.113.5:51820";
const NEW = "198.51.100.7";
const NEW_E = "198.51.100.7:51820";
const GONE = `${OLD} is no longer an address of vpn.example.test`;
const HELD = { failedUntil: { [OLD]: NOW + 60_000 } };

describe("the current endpoint is no longer in DNS", () => {
  test("the peer moved: goes to the answering address", () => {
    const d = peer().resolves(NEW).on(OLD).answers(NEW).unanswered("203.0.113.5").decide();
    assert.deepEqual(d, switched(OLD, NEW, `${GONE}; ${NEW} answers in 1 ms`));
  });
  test("it answers ping: checked through WireGuard before any move (DNS may alternate)", () => {
    const d = peer().resolves(NEW).on(OLD).answers("203.0.113.5").answers(NEW).decide();
    const reason = `${GONE}: checking ${OLD} through WireGuard before moving`;
    assert.deepEqual(d, { action: "check", endpoint: OLD, reason });
  });
  test("with --dry-run nothing can be checked: it goes to the answering address", () => {
    const d = peer()
      .resolves(NEW)
      .on(OLD)
      .answers("203.0.113.5")
      .answers(NEW)
      .policy({ canVerify: false })
      .decide();
    assert.deepEqual(d, switched(OLD, NEW, `${GONE}; ${NEW} answers in 1 ms`));
  });
  test("roaming: WireGuard confirms it, so it is kept although a DNS address answers", () => {
    const d = peer().resolves(NEW).on(OLD).answers(NEW).wg(OLD, true).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: OLD,
      reason: `${OLD} works (WireGuard traffic confirmed)`,
    });
  });
  test("WireGuard failed through it: goes to the answering address", () => {
    const d = peer().resolves(NEW).on(OLD).answers(NEW).wg(OLD, false).decide();
    const reason = `${OLD} carries no WireGuard traffic; ${NEW} answers in 1 ms`;
    assert.deepEqual(d, switched(OLD, NEW, reason));
  });
  test("nothing answers ping: it is checked through WireGuard first (it may be a roamed peer)", () => {
    const d = peer().resolves(NEW).on(OLD).decide();
    const reason = `no address answers ping: checking ${OLD} through WireGuard`;
    assert.deepEqual(d, { action: "check", endpoint: OLD, reason });
  });
});

describe("a failed address no longer in DNS stays held", () => {
  test("it is not checked ahead of the DNS addresses, as if fresh", () => {
    const d = peer().resolves(NEW).on(OLD).memory(HELD).decide();
    assert.deepEqual(d, switched(OLD, NEW, `no address answers ping: trying ${NEW}`));
  });
  test("the memory a failed check writes is the memory decide() reads, for IPv6 too", () => {
    const old6 = "[2001:db8::9]:51820";
    // As the pass records a failed check: by the endpoint, port included.
    const memory = rememberVerdict({ failedUntil: {} }, old6, false, NOW, 600_000);
    const d = peer().resolves("2001:db8::1", "192.0.2.1").on(old6).memory(memory).decide();
    assert.deepEqual(
      d,
      switched(old6, "2001:db8::1", "no address answers ping: trying 2001:db8::1"),
    );
  });
  test("with no other address left to try, the peer is unreachable, not checked again", () => {
    const d = peer().resolves(NEW).on(OLD).wg(NEW_E, false).memory(HELD).decide();
    assert.deepEqual(d, {
      action: "unreachable",
      endpoint: OLD,
      reason: "no address of vpn.example.test answers ping or carries WireGuard traffic",
    });
  });
  test("after a failed move away from it, it is restored", () => {
    const d = peer().resolves(NEW).on(OLD).now(NEW_E).wg(NEW_E, false).memory(HELD).decide();
    assert.deepEqual(d, {
      action: "restore",
      from: NEW_E,
      to: OLD,
      reason: `no address carries WireGuard traffic: restoring ${OLD}`,
    });
  });
  test("once the hold has expired, it is checked again", () => {
    const d = peer()
      .resolves(NEW)
      .on(OLD)
      .memory({ failedUntil: { [OLD]: NOW } })
      .decide();
    const reason = `no address answers ping: checking ${OLD} through WireGuard`;
    assert.deepEqual(d, { action: "check", endpoint: OLD, reason });
  });
});
