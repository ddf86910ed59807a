import assert from "node:assert/strict";
import { dirname } from "node:path";
import { test } from "node:test";
import { ipv6Multicast } from "../../../src/observe/netdev.js";
import { fixture } from "../../support/paths.js";

// fixtures/dev_snmp6/wg0 is /proc/net/dev_snmp6/IFACE of a lab tunnel after six router
// solicitations (RFC 7559 backoff); wg1 has no multicast line.
const DIR = dirname(fixture("dev_snmp6", "wg0"));

test("IPv6 multicast the host sent on its own is read from dev_snmp6", () => {
  assert.equal(ipv6Multicast("wg0", DIR), 6);
});

test("no such counter, or no such file (IPv6 off): 0", () => {
  assert.equal(ipv6Multicast("wg1", DIR), 0);
  assert.equal(ipv6Multicast("wg9", DIR), 0);
});
