import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAddressOf, tunnelCheckAddress } from "../../../src/apply/tunnel-address.js";

test("checks the first host of the first AllowedIPs range that is not a default route", () => {
  assert.deepEqual(tunnelCheckAddress(["172.25.1.1/32"]), { address: "172.25.1.1", family: 4 });
  assert.deepEqual(tunnelCheckAddress(["0.0.0.0/0", "172.25.1.0/24"]), {
    address: "172.25.1.1",
    family: 4,
  });
  assert.deepEqual(tunnelCheckAddress(["::/0", "fd25:1:2::/64"]), {
    address: "fd25:1:2::1",
    family: 6,
  });
  assert.equal(tunnelCheckAddress(["0.0.0.0/0", "::/0"]), undefined);
  assert.equal(tunnelCheckAddress([]), undefined);
});

test("verifyAddress overrides it", () => {
  assert.deepEqual(tunnelCheckAddress(["0.0.0.0/0"], "172.25.9.9"), {
    address: "172.25.9.9",
    family: 4,
  });
});

test("checkAddressOf: the live AllowedIPs first, the file's when the interface has none, verifyAddress over both", () => {
  const peer = { allowedIps: ["172.25.9.0/24"] };
  assert.deepEqual(checkAddressOf(peer, { allowedIps: ["172.25.1.1/32"] }, undefined), {
    address: "172.25.1.1",
    family: 4,
  });
  assert.deepEqual(checkAddressOf(peer, { allowedIps: [] }, undefined), {
    address: "172.25.9.1",
    family: 4,
  });
  assert.deepEqual(checkAddressOf(peer, { allowedIps: ["172.25.1.1/32"] }, "fd25::7"), {
    address: "fd25::7",
    family: 6,
  });
});
