import assert from "node:assert/strict";
import { test } from "node:test";
import { ipToNumber, numberToIp } from "../../../src/common/ip-number.js";

test("IPv4 and IPv6 text to numbers and back", () => {
  assert.equal(ipToNumber("192.0.2.1", 4), 0xc0000201n);
  assert.equal(numberToIp(0xc0000201n, 4), "192.0.2.1");
  assert.equal(ipToNumber("2001:db8::1", 6), 0x20010db8000000000000000000000001n);
  assert.equal(ipToNumber("::", 6), 0n);
  assert.equal(ipToNumber("2001:db8:0:0:1:0:0:1", 6), ipToNumber("2001:db8::1:0:0:1", 6));
  assert.equal(numberToIp(0x20010db8000000000000000000000001n, 6), "2001:db8::1");
  assert.equal(numberToIp(0x20010db8000000000001000000000001n, 6), "2001:db8::1:0:0:1");
});

test("an IPv4-mapped IPv6 address in dotted form is the same number as in hex", () => {
  assert.equal(ipToNumber("::ffff:192.0.2.1", 6), ipToNumber("::ffff:c000:201", 6));
  assert.equal(numberToIp(ipToNumber("::ffff:192.0.2.1", 6), 6), "::ffff:c000:201");
});
