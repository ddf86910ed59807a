import assert from "node:assert/strict";
import { test } from "node:test";
import type { Candidate } from "../../../src/model.js";
import { ttlOfSameSet } from "../../../src/resolve/ttl.js";

// A TTL is trusted only when DNS gives exactly the addresses getaddrinfo gave.

const GAI: Candidate[] = [
  { address: "2001:db8:1::1", family: 6 },
  { address: "192.0.2.1", family: 4 },
];

test("the same set: the smallest TTL of the records", () => {
  const answer = [
    { address: "192.0.2.1", ttl: 300 },
    { address: "2001:DB8:1:0::1", ttl: 5 },
  ];
  assert.equal(ttlOfSameSet(GAI, answer), 5);
});

test("a different set (/etc/hosts, nsswitch, a record more or less): no TTL", () => {
  assert.equal(ttlOfSameSet(GAI, [{ address: "192.0.2.1", ttl: 30 }]), undefined);
  const more = [
    { address: "192.0.2.1", ttl: 30 },
    { address: "2001:db8:1::1", ttl: 30 },
    { address: "198.51.100.1", ttl: 30 },
  ];
  assert.equal(ttlOfSameSet(GAI, more), undefined);
  const other = [
    { address: "192.0.2.9", ttl: 30 },
    { address: "2001:db8:1::1", ttl: 30 },
  ];
  assert.equal(ttlOfSameSet(GAI, other), undefined);
});

test("no record at all: no TTL", () => {
  assert.equal(ttlOfSameSet(GAI, []), undefined);
  assert.equal(ttlOfSameSet([], []), undefined);
});

test("TTL 0 is a TTL (the schedule's floor applies)", () => {
  const answer = [
    { address: "192.0.2.1", ttl: 0 },
    { address: "2001:db8:1::1", ttl: 0 },
  ];
  assert.equal(ttlOfSameSet(GAI, answer), 0);
});
