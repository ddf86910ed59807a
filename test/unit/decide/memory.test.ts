import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { failedRecently, rememberProbes, rememberVerdict } from "../../../src/decide/memory.js";
import type { DecisionPolicy } from "../../../src/decide/types.js";
import { NOW, peer } from "./builder.js";

const V6 = "2001:db8::1";
const V4 = "192.0.2.1";
const AUTO: DecisionPolicy = {
  family: "auto",
  handshakeFreshSeconds: 135,
  holdDownSeconds: 300,
  canVerify: true,
  maxAddressesPerName: 8,
  maxTriesPerPass: 4,
};

describe("rememberProbes: the preferred family's answering streak", () => {
  const dual = () => peer().resolves(V6, V4);
  test("starts now when the preferred family answers", () => {
    const m = rememberProbes({ failedUntil: {} }, dual().answers(V6).observation(), AUTO, NOW);
    assert.deepEqual(m, { failedUntil: {}, preferredAnsweringSince: NOW });
  });
  test("goes on while it answers", () => {
    const before = { failedUntil: {}, preferredAnsweringSince: NOW - 5000 };
    const m = rememberProbes(before, dual().answers(V6).observation(), AUTO, NOW);
    assert.deepEqual(m, { failedUntil: {}, preferredAnsweringSince: NOW - 5000 });
  });
  test("is reset the moment it does not, whatever the other family does", () => {
    const before = { failedUntil: {}, preferredAnsweringSince: NOW - 5000 };
    const m = rememberProbes(before, dual().answers(V4).observation(), AUTO, NOW);
    assert.deepEqual(m, { failedUntil: {}, preferredAnsweringSince: undefined });
  });
  test("is reset when DNS fails", () => {
    const before = { failedUntil: {}, preferredAnsweringSince: NOW - 5000 };
    const obs = peer().dnsFails("resolving vpn.example.test failed: EAI_FAIL").observation();
    const m = rememberProbes(before, obs, AUTO, NOW);
    assert.deepEqual(m, { failedUntil: {}, preferredAnsweringSince: undefined });
  });
  test("follows a forced family: ipv4 counts IPv4", () => {
    const obs = dual().answers(V4).observation();
    const m = rememberProbes({ failedUntil: {} }, obs, { ...AUTO, family: "ipv4" }, NOW);
    assert.deepEqual(m, { failedUntil: {}, preferredAnsweringSince: NOW });
  });
  test("follows a forced family: ipv6 counts IPv6 even on a host without global IPv6", () => {
    const obs = dual().answers(V6).host({ ipv4: true, ipv6: false }).observation();
    const forced = rememberProbes({ failedUntil: {} }, obs, { ...AUTO, family: "ipv6" }, NOW);
    const auto = rememberProbes({ failedUntil: {} }, obs, AUTO, NOW);
    assert.deepEqual(
      [forced.preferredAnsweringSince, auto.preferredAnsweringSince],
      [NOW, undefined],
    );
  });
  test("drops failures whose hold has expired, keeps the others", () => {
    const before = { failedUntil: { [`${V4}:51820`]: NOW, "192.0.2.2:51820": NOW + 1 } };
    const m = rememberProbes(before, dual().observation(), AUTO, NOW);
    assert.deepEqual(m, {
      failedUntil: { "192.0.2.2:51820": NOW + 1 },
      preferredAnsweringSince: undefined,
    });
  });
});

describe("rememberVerdict", () => {
  const E6 = `[${V6}]:51820`;
  const E4 = `${V4}:51820`;
  const before = { failedUntil: { [E4]: NOW + 5 }, preferredAnsweringSince: NOW - 9000 };
  test("a failure holds the endpoint (address and port) for holdMs, and keeps the rest", () => {
    const m = rememberVerdict(before, E6, false, NOW, 600_000);
    assert.deepEqual(m, {
      failedUntil: { [E4]: NOW + 5, [E6]: NOW + 600_000 },
      preferredAnsweringSince: NOW - 9000,
    });
  });
  test("a success clears that endpoint only", () => {
    const failedUntil = { [E4]: 1, [E6]: 2, [`${V4}:443`]: 3 };
    const m = rememberVerdict({ ...before, failedUntil }, E4, true, NOW, 1);
    assert.deepEqual(m, {
      failedUntil: { [E6]: 2, [`${V4}:443`]: 3 },
      preferredAnsweringSince: NOW - 9000,
    });
  });
});

describe("failedRecently", () => {
  const memory = { failedUntil: { "[2001:db8::1]:51820": NOW + 1, "192.0.2.1:51820": NOW } };
  test("looks an endpoint up with its port: another port of the address is not held", () => {
    assert.equal(failedRecently(memory, "[2001:db8::1]:51820", NOW), true);
    assert.equal(failedRecently(memory, "[2001:db8::1]:443", NOW), false);
  });
  test("a hold until now has expired", () => {
    assert.equal(failedRecently(memory, "192.0.2.1:51820", NOW), false);
  });
  test("an address never held is not", () => {
    assert.equal(failedRecently(memory, "192.0.2.9:51820", NOW), false);
  });
});
