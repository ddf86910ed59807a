import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canonicalAddress,
  normaliseEndpoint,
  parseEndpoint,
} from "../../../src/common/endpoint.js";

test("parses endpoints as wg does", () => {
  assert.deepEqual(parseEndpoint("vpn.example.test:51820"), {
    host: "vpn.example.test",
    port: 51820,
  });
  assert.deepEqual(parseEndpoint("[2001:db8::1]:51820"), { host: "2001:db8::1", port: 51820 });
  assert.deepEqual(parseEndpoint("192.0.2.1:1"), { host: "192.0.2.1", port: 1 });
});

test("reads hosts as getaddrinfo does for wg: names with underscores, [name], short IPv4, bare IPv6", () => {
  assert.deepEqual(parseEndpoint("vpn_A.example.com:51820"), {
    host: "vpn_A.example.com",
    port: 51820,
  });
  assert.deepEqual(parseEndpoint("[vpn.example.test]:51820"), {
    host: "vpn.example.test",
    port: 51820,
  });
  assert.deepEqual(parseEndpoint("10.1:51820"), { host: "10.0.0.1", port: 51820 });
  assert.deepEqual(parseEndpoint("0xc0.0.2.1:1"), { host: "192.0.2.1", port: 1 });
  assert.deepEqual(parseEndpoint("2001:db8::1:51820"), { host: "2001:db8::1", port: 51820 });
  assert.deepEqual(parseEndpoint("[fe80::1%eth0]:51820"), { host: "fe80::1%eth0", port: 51820 });
  assert.deepEqual(parseEndpoint("vpn.example.test:+051820"), {
    host: "vpn.example.test",
    port: 51820,
  });
});

test("rejects what wg would, and says what was expected", () => {
  assert.equal(parseEndpoint("vpn.example.test:0"), 'expected a port 1-65535, got "0"');
  assert.equal(parseEndpoint("vpn.example.test:65536"), 'expected a port 1-65535, got "65536"');
  assert.equal(parseEndpoint("vpn.example.test"), 'expected "host:port"');
  assert.equal(parseEndpoint("vpn.example.test:"), 'expected "host:port"');
  assert.equal(parseEndpoint("[2001:db8::1]51820"), 'expected "[address]:port"');
  assert.equal(parseEndpoint("[2001:db8::1"), 'no "]" closes the "["');
  assert.equal(
    parseEndpoint("vpn.example.test:domain"),
    '"domain" is neither a port number nor a UDP service name in /etc/services',
  );
  assert.equal(
    parseEndpoint("bad!name:51820"),
    '"bad!name": not a hostname (labels of 1-63 letters, digits, - and _, at most 253 characters) or an IP address',
  );
  assert.equal(parseEndpoint("256.0.2.1:1"), '"256.0.2.1": not an IPv4 address');
  assert.equal(parseEndpoint("2001:db8::1"), '"2001:db8:": not an IPv6 address');
  assert.equal(
    parseEndpoint("[2001:db8::1%eth0]:1"),
    '"2001:db8::1%eth0": a zone must be a number, or an interface on a link-local address',
  );
});

test("normalises endpoints so that equal ones compare equal", () => {
  assert.equal(normaliseEndpoint("[2001:DB8:0:0::1]:51820"), "[2001:db8::1]:51820");
  assert.equal(normaliseEndpoint("[2001:db8::1]:51820"), "[2001:db8::1]:51820");
  assert.equal(normaliseEndpoint("192.0.2.1:51820"), "192.0.2.1:51820");
  assert.equal(normaliseEndpoint("vpn.example.test:51820"), undefined);
  assert.equal(canonicalAddress("2001:0db8::0001"), "2001:db8::1");
});
