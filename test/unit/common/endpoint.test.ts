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

test("rejects what wg would, and says what was expected", () => {
  assert.equal(parseEndpoint("vpn.example.test:0"), 'expected a port 1-65535, got "0"');
  assert.equal(parseEndpoint("vpn.example.test"), 'expected "host:port", got "vpn.example.test"');
  assert.equal(
    parseEndpoint("[2001:db8::1]51820"),
    'expected "[IPv6]:port", got "[2001:db8::1]51820"',
  );
  assert.equal(
    parseEndpoint("bad_name!:51820"),
    '"bad_name!" is neither an IP address nor a valid hostname',
  );
});

test("normalises endpoints so that equal ones compare equal", () => {
  assert.equal(normaliseEndpoint("[2001:DB8:0:0::1]:51820"), "[2001:db8::1]:51820");
  assert.equal(normaliseEndpoint("[2001:db8::1]:51820"), "[2001:db8::1]:51820");
  assert.equal(normaliseEndpoint("192.0.2.1:51820"), "192.0.2.1:51820");
  assert.equal(normaliseEndpoint("vpn.example.test:51820"), undefined);
  assert.equal(canonicalAddress("2001:0db8::0001"), "2001:db8::1");
});
