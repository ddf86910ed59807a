import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { peer } from "./builder.js";

const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";

describe("rule 1: DNS fails", () => {
  test("a failed lookup keeps the current endpoint, with the resolver's reason", () => {
    const d = peer().dnsFails("resolving vpn.example.test timed out after 5000 ms").on(E6).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `resolving vpn.example.test timed out after 5000 ms; keeping ${E6}`,
      warning: true,
    });
  });
  test("a failed lookup for a peer with no endpoint says so", () => {
    const d = peer().dnsFails("vpn.example.test has no A or AAAA record").on(undefined).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: undefined,
      reason: "vpn.example.test has no A or AAAA record; keeping no endpoint",
      warning: true,
    });
  });
  test("only IPv6 addresses on a host without global IPv6: keeps the endpoint", () => {
    const d = peer().resolves("2001:db8::1").on(E4).host({ ipv4: true, ipv6: false }).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E4,
      reason: `vpn.example.test resolves only to 2001:db8::1 and this host has no IPv6 address; keeping ${E4}`,
      warning: true,
    });
  });
  test("only IPv4 addresses on an IPv6-only host: keeps the endpoint", () => {
    const d = peer()
      .resolves("192.0.2.1", "192.0.2.2")
      .on(E6)
      .answers("192.0.2.1")
      .host({ ipv4: false, ipv6: true })
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E6,
      reason: `vpn.example.test resolves only to 192.0.2.1, 192.0.2.2 and this host has no IPv4 address; keeping ${E6}`,
      warning: true,
    });
  });
});
