import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { preferredFamily } from "../../../src/decide/types.js";
import { NOW, peer, switched } from "./builder.js";

const V6 = "2001:db8::1";
const V4 = "192.0.2.1";
const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";
const DUAL = { ipv4: true, ipv6: true };
const V4_ONLY = { ipv4: true, ipv6: false };
const LONG = { preferredAnsweringSince: NOW - 999_000 };

describe("which family is preferred", () => {
  const policy = (family: "auto" | "ipv4" | "ipv6") => ({
    family,
    handshakeFreshSeconds: 135,
    holdDownSeconds: 300,
    canVerify: true,
    maxAddressesPerName: 8,
    maxTriesPerPass: 4,
  });
  test("auto: IPv6 on a host with a global IPv6 address, else IPv4", () => {
    assert.deepEqual(
      [preferredFamily(policy("auto"), DUAL), preferredFamily(policy("auto"), V4_ONLY)],
      [6, 4],
    );
  });
  test("ipv4 and ipv6 are forced whatever the host has", () => {
    assert.deepEqual(
      [preferredFamily(policy("ipv4"), DUAL), preferredFamily(policy("ipv6"), V4_ONLY)],
      [4, 6],
    );
  });
});

describe("happy eyeballs", () => {
  test("auto, dual-stack host: IPv6 first even when the resolver lists IPv4 first", () => {
    const d = peer().resolves(V4, V6).on(undefined).answers(V4).answers(V6).decide();
    assert.deepEqual(d, switched(undefined, V6, `the peer has no endpoint; ${V6} answers in 1 ms`));
  });
  test("auto, host without global IPv6: IPv6 is not used, so an IPv4 peer stays", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E4)
      .answers(V6)
      .answers(V4)
      .host(V4_ONLY)
      .memory(LONG)
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E4,
      reason: `${E4} works (answers ping in 1 ms)`,
    });
  });
});

describe("family = ipv4", () => {
  test("moves a working IPv6 peer to IPv4 after the hold-down", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V6)
      .answers(V4)
      .policy({ family: "ipv4" })
      .memory(LONG)
      .decide();
    const reason = "IPv4 has answered for 999 s (hold-down 300 s): moving back to IPv4";
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("still falls back to IPv6 when IPv4 is silent", () => {
    const d = peer().resolves(V6, V4).on(E4).answers(V6).policy({ family: "ipv4" }).decide();
    const reason = `${E4} does not answer ping (timeout); ${V6} answers in 1 ms`;
    assert.deepEqual(d, switched(E4, V6, reason));
  });
});

describe("family = ipv6", () => {
  test("IPv6 is tried first even when the resolver lists IPv4 first", () => {
    const d = peer().resolves(V4, V6).on(undefined).policy({ family: "ipv6" }).decide();
    assert.deepEqual(d, switched(undefined, V6, `no address answers ping: trying ${V6}`));
  });
  test("moves a working IPv4 peer back to IPv6 after the hold-down", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E4)
      .answers(V6)
      .answers(V4)
      .policy({ family: "ipv6" })
      .memory(LONG)
      .decide();
    const reason = "IPv6 has answered for 999 s (hold-down 300 s): moving back to IPv6";
    assert.deepEqual(d, switched(E4, V6, reason));
  });
  test("falls back to IPv4 when IPv6 is silent", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V4).policy({ family: "ipv6" }).decide();
    const reason = `${E6} does not answer ping (timeout); ${V4} answers in 1 ms`;
    assert.deepEqual(d, switched(E6, V4, reason));
  });
  test("makes IPv6 usable on a host without a global IPv6 address (ULA only, say)", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E4)
      .answers(V6)
      .answers(V4)
      .host(V4_ONLY)
      .policy({ family: "ipv6" })
      .memory(LONG)
      .decide();
    const reason = "IPv6 has answered for 999 s (hold-down 300 s): moving back to IPv6";
    assert.deepEqual(d, switched(E4, V6, reason));
  });
  test("an IPv6-only name on such a host is managed, not left with a warning", () => {
    const d = peer()
      .resolves(V6)
      .on(E6)
      .answers(V6)
      .host(V4_ONLY)
      .policy({ family: "ipv6" })
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `${E6} works (answers ping in 1 ms)`,
    });
  });
});
