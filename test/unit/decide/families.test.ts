import assert from "node:assert/strict";
import { test } from "node:test";
import { missingFamilies } from "../../../src/decide/families.js";
import { peer } from "./builder.js";

const V4 = "192.0.2.1";
const V6 = "2001:db8::1";

test("names the families of the addresses the host cannot use", () => {
  assert.equal(missingFamilies([{ address: V4, family: 4 }]), "this host has no IPv4 address");
  assert.equal(missingFamilies([{ address: V6, family: 6 }]), "this host has no IPv6 address");
  assert.equal(
    missingFamilies([
      { address: V6, family: 6 },
      { address: V4, family: 4 },
    ]),
    "this host has no IPv4 or IPv6 address",
  );
});

test("a host with no usable address at all and a name with only A records: says IPv4", () => {
  const d = peer().resolves(V4).on(`${V4}:51820`).host({ ipv4: false, ipv6: false }).decide();
  assert.equal(d.action, "keep");
  assert.equal(
    d.reason,
    `vpn.example.test resolves only to ${V4} and this host has no IPv4 address; keeping ${V4}:51820`,
  );
});

test("an IPv4-only host and a name with only AAAA records: says IPv6", () => {
  const d = peer().resolves(V6).on(`${V4}:51820`).host({ ipv4: true, ipv6: false }).decide();
  assert.equal(
    d.reason,
    `vpn.example.test resolves only to ${V6} and this host has no IPv6 address; keeping ${V4}:51820`,
  );
});

test("an IPv6-only host and a name with only A records: says IPv4", () => {
  const d = peer().resolves(V4).on(undefined).host({ ipv4: false, ipv6: true }).decide();
  assert.match(d.reason, /resolves only to 192\.0\.2\.1 and this host has no IPv4 address; /);
});
