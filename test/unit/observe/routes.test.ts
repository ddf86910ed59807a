import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseIpv4Routes, parseIpv6Routes, routed } from "../../../src/observe/routes.js";
import { fixture } from "../../support/paths.js";

// /proc/net/route and /proc/net/ipv6_route as the kernel writes them (x86: little-endian IPv4).

const v4 = parseIpv4Routes(readFileSync(fixture("routes", "route"), "utf8"), "LE");
const v6 = parseIpv6Routes(readFileSync(fixture("routes", "ipv6_route"), "utf8"));
const none = new Set<string>();

test("parses IPv4 routes in the host's byte order: prefix, length, interface, reject", () => {
  assert.deepEqual(v4[0], { family: 4, prefix: 0n, length: 0, iface: "eth0", reject: false });
  assert.deepEqual(v4[1], {
    family: 4,
    prefix: 0xc0000200n,
    length: 24,
    iface: "eth0",
    reject: false,
  });
  assert.equal(v4[3]?.reject, true);
  const be = parseIpv4Routes(
    "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\tC0000200\t0\t0001\t0\t0\t0\tFFFFFF00\n",
    "BE",
  );
  assert.deepEqual(be[0]?.prefix, 0xc0000200n);
  assert.equal(be[0]?.length, 24);
});

test("parses IPv6 routes; the kernel's own unreachable default is a reject route", () => {
  assert.equal(v6.length, 7);
  assert.deepEqual(v6[0], {
    family: 6,
    prefix: 0x20010db8000100000000000000000000n,
    length: 64,
    iface: "eth0",
    reject: false,
  });
  assert.equal(v6[6]?.reject, true);
  assert.equal(v6[6]?.iface, "lo");
});

test("a default route leads everywhere; on-link and more specific routes lead to their range", () => {
  assert.equal(routed("198.51.100.7", v4, none), true);
  const onlyLink = parseIpv4Routes(
    readFileSync(fixture("routes", "route-no-default"), "utf8"),
    "LE",
  );
  assert.equal(routed("192.0.2.1", onlyLink, none), true);
  assert.equal(routed("198.51.100.7", onlyLink, none), true, "wg0 is not known as a tunnel here");
  assert.equal(
    routed("198.51.100.7", onlyLink, new Set(["wg0"])),
    false,
    "only through the tunnel",
  );
  assert.equal(routed("2001:db8:1::1", v6, none), true);
  assert.equal(routed("2001:db8:9::1", v6, none), true, "the default via fe80::1");
});

test("loopback, reject routes and tunnels lead nowhere", () => {
  const noDefault6 = v6.filter((r) => !(r.length === 0 && r.iface === "eth0"));
  assert.equal(routed("2001:db8:5::1", noDefault6, none), false, "unreachable 2001:db8:5::/48");
  assert.equal(routed("2001:db8:9::1", noDefault6, none), false);
  assert.equal(routed("2001:db8:1::2", noDefault6, none), true);
  const v4NoDefault = v4.filter((r) => r.length > 0);
  assert.equal(routed("203.0.113.5", v4NoDefault, none), false, "a reject route");
  assert.equal(routed("172.25.0.1", v4NoDefault, new Set(["wg0"])), false);
});

test("addresses with a scope or an embedded IPv4 address; garbage is not routed", () => {
  assert.equal(routed("fe80::1%eth0", v6, none), true);
  assert.equal(
    routed(
      "::ffff:192.0.2.1",
      [{ family: 6, prefix: 0xffffc0000200n, length: 120, iface: "eth0", reject: false }],
      none,
    ),
    true,
  );
  assert.equal(routed("vpn.example.test", v4, none), false);
  assert.deepEqual(parseIpv4Routes(""), []);
  assert.deepEqual(parseIpv6Routes("garbage\n"), []);
});
