import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NOW, peer, switched } from "./builder.js";

const V6 = "2001:db8::1";
const V4 = "192.0.2.1";
const V4B = "192.0.2.2";
const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";
const SILENT = "no address answers ping";
const NO_WG = "no address that answers ping carries WireGuard traffic";
const AGAIN = "again (it failed WireGuard verification recently)";

describe("rule 4: nothing answers ping, WireGuard is the probe", () => {
  test("checks the current endpoint through WireGuard, even right after a handshake", () => {
    const d = peer().resolves(V6, V4).on(E6).handshake(5).decide();
    const reason = `${SILENT}: checking ${E6} through WireGuard`;
    assert.deepEqual(d, { action: "check", endpoint: E6, reason });
  });
  test("the current endpoint failed: tries the next address", () => {
    const d = peer().resolves(V6, V4).on(E6).wg(E6, false).decide();
    assert.deepEqual(d, switched(E6, V4, `${SILENT}: trying ${V4}`));
  });
  test("no endpoint at all: tries the first address", () => {
    const d = peer().resolves(V6, V4).on(undefined).decide();
    assert.deepEqual(d, switched(undefined, V6, `${SILENT}: trying ${V6}`));
  });
  test("an address answers ping but failed WireGuard: the current one is checked", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V4).wg(E4, false).decide();
    const reason = `${NO_WG}: checking ${E6} through WireGuard`;
    assert.deepEqual(d, { action: "check", endpoint: E6, reason });
  });
  test("after a failed move to the address that answers ping, the silent one is tried", () => {
    const d = peer().resolves(V6, V4).on(E6).now(E4).answers(V4).wg(E4, false).decide();
    assert.deepEqual(d, switched(E4, V6, `${NO_WG}: trying ${V6}`));
  });
  test("every address failed and the peer never moved: unreachable", () => {
    const d = peer().resolves(V6, V4).on(E6).wg(E6, false).wg(E4, false).decide();
    assert.deepEqual(d, {
      action: "unreachable",
      endpoint: E6,
      reason: "no address of vpn.example.test answers ping or carries WireGuard traffic",
    });
  });
  test("every address failed after a move: restores where the peer was", () => {
    const d = peer().resolves(V6, V4).on(E6).now(E4).wg(E6, false).wg(E4, false).decide();
    assert.deepEqual(d, {
      action: "restore",
      from: E4,
      to: E6,
      reason: `no address carries WireGuard traffic: restoring ${E6}`,
    });
  });
});

describe("rule 4 without verification (--dry-run)", () => {
  const dry = () => peer().resolves(V6, V4).policy({ canVerify: false });
  test("a handshake younger than 135 s keeps the endpoint", () => {
    const d = dry().on(E6).handshake(134).decide();
    const reason = `${SILENT}, but the last handshake was 134 s ago (the peer may drop ICMP); keeping ${E6}`;
    assert.deepEqual(d, { action: "keep", endpoint: E6, reason });
  });
  test("an older handshake: unreachable", () => {
    const d = dry().on(E6).handshake(135).decide();
    const reason = "no address of vpn.example.test answers ping";
    assert.deepEqual(d, { action: "unreachable", endpoint: E6, reason });
  });
  test("no handshake ever: unreachable", () => {
    const d = dry().on(E6).handshake(undefined).decide();
    const reason = "no address of vpn.example.test answers ping";
    assert.deepEqual(d, { action: "unreachable", endpoint: E6, reason });
  });
  test("no endpoint: unreachable, whatever the handshake says", () => {
    const d = dry().on(undefined).handshake(5).decide();
    const reason = "no address of vpn.example.test answers ping";
    assert.deepEqual(d, { action: "unreachable", endpoint: undefined, reason });
  });
});

describe("addresses held by an earlier failure come last, not never", () => {
  const held = (...addresses: string[]) => ({
    failedUntil: Object.fromEntries(
      addresses.map((a) => [a.includes(":") ? `[${a}]:51820` : `${a}:51820`, NOW + 500_000]),
    ),
  });
  test("a fresh address is tried before a held one, whatever the resolver's order", () => {
    const d = peer().resolves(V6, V4, V4B).on(E6).wg(E6, false).memory(held(V4)).decide();
    assert.deepEqual(d, switched(E6, V4B, `${SILENT}: trying ${V4B}`));
  });
  test("a held address that answers ping comes before a held silent one", () => {
    const d = peer()
      .resolves(V6, V4, V4B)
      .on(E6)
      .answers(V4B)
      .wg(E6, false)
      .memory(held(V4, V4B))
      .decide();
    assert.deepEqual(d, switched(E6, V4B, `${NO_WG}: trying ${V4B} ${AGAIN}`));
  });
  test("every address held (a total outage): tries one that answers ping again", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V4).memory(held(V6, V4)).decide();
    assert.deepEqual(d, switched(E6, V4, `${NO_WG}: trying ${V4} ${AGAIN}`));
  });
  test("every address held, nothing answers: the held current endpoint is checked first", () => {
    const d = peer().resolves(V6, V4).on(E6).memory(held(V6, V4)).decide();
    const reason = `${SILENT}: trying ${V6} ${AGAIN}`;
    assert.deepEqual(d, { action: "check", endpoint: E6, reason });
  });
  test("within a rank the current endpoint goes first, so nothing moves if it works", () => {
    const d = peer().resolves(V6, V4).on(E4).answers(V6).answers(V4).memory(held(V6, V4)).decide();
    const reason = `${NO_WG}: trying ${V4} ${AGAIN}`;
    assert.deepEqual(d, { action: "check", endpoint: E4, reason });
  });
  test("gives up only once every address has been tried in this pass", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V4)
      .memory(held(V6, V4))
      .wg(E6, false)
      .wg(E4, false)
      .decide();
    assert.deepEqual(d, {
      action: "unreachable",
      endpoint: E6,
      reason: "no address of vpn.example.test answers ping or carries WireGuard traffic",
    });
  });
});
