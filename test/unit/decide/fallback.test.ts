import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rememberProbes } from "../../../src/decide/memory.js";
import { NOW, peer, switched, switchedToFallback } from "./builder.js";

// The peer's own Endpoint is vpn.example.test:51820; fallbacks come from the settings.
const V6 = "2001:db8::1";
const V4 = "192.0.2.1";
const E6 = `[${V6}]:51820`;
const E4 = `${V4}:51820`;
// Fallback 1 in most tests: the same name on UDP 443 (for networks that block 51820).
const F443 = { number: 1, endpoint: "vpn.example.test:443" };
const F6 = `[${V6}]:443`;
const F4 = `${V4}:443`;
const LABEL6 = `${F6} (fallback 1, vpn.example.test:443)`;
const B = "198.51.100.7";
const NXDOMAIN = "vpn.example.test has no A or AAAA record";

/** Both addresses answer ping on both ports; the peer has fallback 1 = vpn.example.test:443. */
const blocked = () =>
  peer().resolves(V6, V4).fallback("vpn.example.test:443", V6, V4).answers(V6).answers(V4);

describe("the order: the peer's own addresses first, then each fallback's, in order", () => {
  test("UDP 51820 carries nothing: after the own addresses, the fallback on 443 is next", () => {
    const d = blocked().on(E6).wg(E6, false).wg(E4, false).decide();
    const reason = `${E6} carries no WireGuard traffic; ${LABEL6} answers in 1 ms`;
    assert.deepEqual(d, switchedToFallback(E6, F443, V6, 443, reason));
  });
  test("an own address that answers ping still comes before any fallback", () => {
    const d = blocked().on(E6).wg(E6, false).decide();
    assert.deepEqual(
      d,
      switched(E6, V4, `${E6} carries no WireGuard traffic; ${V4} answers in 1 ms`),
    );
  });
  test("nothing answers ping: fallbacks are tried in the order given, after the own addresses", () => {
    const base = () =>
      peer()
        .resolves(V4)
        .fallback("vpn-b.example.test:443", B)
        .fallback("[2001:db8::9]:51820", "2001:db8::9")
        .on(E4)
        .wg(E4, false);
    const first = base().decide();
    const reason1 = `no address answers ping: trying ${B}:443 (fallback 1, vpn-b.example.test:443)`;
    assert.deepEqual(
      first,
      switchedToFallback(E4, { number: 1, endpoint: "vpn-b.example.test:443" }, B, 443, reason1),
    );
    const second = base().now(`${B}:443`).wg(`${B}:443`, false).decide();
    const fb2 = "[2001:db8::9]:51820";
    const reason2 = `no address answers ping: trying ${fb2} (fallback 2)`;
    assert.deepEqual(
      second,
      switchedToFallback(`${B}:443`, { number: 2, endpoint: fb2 }, "2001:db8::9", 51820, reason2),
    );
  });
  test("within a fallback, happy eyeballs: IPv6 first on a dual-stack host", () => {
    const d = peer()
      .resolves(V4)
      .fallback("vpn-b.example.test:443", B, "2001:db8::7")
      .on(E4)
      .wg(E4, false)
      .decide();
    const reason =
      "no address answers ping: trying [2001:db8::7]:443 (fallback 1, vpn-b.example.test:443)";
    assert.deepEqual(
      d,
      switchedToFallback(
        E4,
        { number: 1, endpoint: "vpn-b.example.test:443" },
        "2001:db8::7",
        443,
        reason,
      ),
    );
  });
  test("every endpoint failed: the first endpoint of the pass is restored", () => {
    const d = blocked()
      .on(E6)
      .now(F4)
      .wg(E6, false)
      .wg(E4, false)
      .wg(F6, false)
      .wg(F4, false)
      .decide();
    assert.deepEqual(d, {
      action: "restore",
      from: F4,
      to: E6,
      reason: `no address carries WireGuard traffic: restoring ${E6}`,
    });
  });
  test("nothing answers anything, nowhere to go back to: unreachable, naming the fallbacks", () => {
    const d = blocked().on(E6).wg(E6, false).wg(E4, false).wg(F6, false).wg(F4, false).decide();
    assert.deepEqual(d, {
      action: "unreachable",
      endpoint: E6,
      reason:
        "no address of vpn.example.test or its fallbacks answers ping or carries WireGuard traffic",
    });
  });
});

describe("a fallback is used only when WireGuard confirms it", () => {
  test("a fallback that failed verification is passed over for the next", () => {
    const d = peer()
      .resolves(V4)
      .fallback("vpn-b.example.test:443", B)
      .fallback("vpn-c.example.test:443", "203.0.113.7")
      .on(E4)
      .now(`${B}:443`)
      .answers(V4)
      .answers(B)
      .answers("203.0.113.7")
      .wg(E4, false)
      .wg(`${B}:443`, false)
      .decide();
    const reason = `${B}:443 carries no WireGuard traffic; 203.0.113.7:443 (fallback 2, vpn-c.example.test:443) answers in 1 ms`;
    assert.deepEqual(
      d,
      switchedToFallback(
        `${B}:443`,
        { number: 2, endpoint: "vpn-c.example.test:443" },
        "203.0.113.7",
        443,
        reason,
      ),
    );
  });
  test("a hold on 51820 does not hold the same address on 443", () => {
    const d = blocked()
      .on(E6)
      .wg(E6, false)
      .memory({ failedUntil: { [E4]: NOW + 60_000 } })
      .decide();
    const reason = `${E6} carries no WireGuard traffic; ${LABEL6} answers in 1 ms`;
    assert.deepEqual(d, switchedToFallback(E6, F443, V6, 443, reason));
  });
});

describe("the peer's own name does not resolve, a fallback does", () => {
  const gone = () =>
    peer().dnsFails(NXDOMAIN).fallback("vpn-b.example.test:443", B).answers(B).on(E4);
  const FB = { number: 1, endpoint: "vpn-b.example.test:443" };
  const LABEL_B = `${B}:443 (fallback 1, vpn-b.example.test:443)`;
  test("the current endpoint, with a fresh handshake, is kept (DNS may be down, not moved)", () => {
    assert.deepEqual(gone().decide(), {
      action: "keep",
      endpoint: E4,
      reason: `${NXDOMAIN}; the last handshake was 10 s ago; keeping ${E4}`,
      warning: true,
    });
  });
  test("with a stale handshake it is checked through WireGuard before the fallbacks", () => {
    assert.deepEqual(gone().handshake(200).decide(), {
      action: "check",
      endpoint: E4,
      reason: `${NXDOMAIN}: checking ${E4} through WireGuard before the fallbacks`,
    });
  });
  test("WireGuard confirms it: kept, with a warning", () => {
    assert.deepEqual(gone().handshake(200).wg(E4, true).decide(), {
      action: "keep",
      endpoint: E4,
      reason: `${NXDOMAIN}; ${E4} works (WireGuard traffic confirmed); keeping it`,
      warning: true,
    });
  });
  test("it carries nothing: the fallback", () => {
    const d = gone().handshake(200).wg(E4, false).decide();
    const reason = `${NXDOMAIN}; ${E4} carries no WireGuard traffic; ${LABEL_B} answers in 1 ms`;
    assert.deepEqual(d, switchedToFallback(E4, FB, B, 443, reason));
  });
  test("--dry-run cannot check: a stale endpoint in no answer gives way to the fallback", () => {
    const d = gone().handshake(200).policy({ canVerify: false }).decide();
    assert.deepEqual(
      d,
      switchedToFallback(E4, FB, B, 443, `${NXDOMAIN}; ${LABEL_B} answers in 1 ms`),
    );
  });
  test("already on the fallback: it stays, and the report says why", () => {
    assert.deepEqual(gone().on(`${B}:443`).decide(), {
      action: "keep",
      endpoint: `${B}:443`,
      reason: `${B}:443 works (fallback 1, vpn-b.example.test:443; answers ping in 1 ms); ${NXDOMAIN}`,
    });
  });
  test("no endpoint resolves at all: kept, with each reason", () => {
    const d = peer().dnsFails(NXDOMAIN).fallback("vpn-b.example.test:443").on(E4).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E4,
      reason: `${NXDOMAIN}; fallback 1, vpn-b.example.test:443: vpn-b.example.test has no A or AAAA record; keeping ${E4}`,
      warning: true,
    });
  });
});

describe("back from a fallback to the peer's own Endpoint", () => {
  test("the own Endpoint answers, but not yet for the hold-down: stays on the fallback", () => {
    const d = blocked()
      .on(F6)
      .memory({ primaryAnsweringSince: NOW - 10_000 })
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: F6,
      reason: `${F6} works (fallback 1, vpn.example.test:443; answers ping in 1 ms); vpn.example.test answers again but must do so for 300 s first (10 s so far)`,
    });
  });
  test("after the hold-down: back to the own Endpoint's best address (verified as any move)", () => {
    const d = blocked()
      .on(F6)
      .memory({ primaryAnsweringSince: NOW - 301_000 })
      .decide();
    const reason =
      "vpn.example.test has answered for 301 s (hold-down 300 s): moving back from fallback 1, vpn.example.test:443 to 2001:db8::1";
    assert.deepEqual(d, switched(F6, V6, reason));
  });
  test("the way back failed WireGuard: back to the fallback in the same pass", () => {
    const d = blocked().on(F6).now(E6).wg(E6, false).wg(E4, false).decide();
    const reason = `${E6} carries no WireGuard traffic; ${LABEL6} answers in 1 ms`;
    assert.deepEqual(d, switchedToFallback(E6, F443, V6, 443, reason));
  });
  test("own addresses held by a failed verification are not gone back to", () => {
    const failedUntil = { [E6]: NOW + 1000, [E4]: NOW + 1000 };
    const d = blocked()
      .on(F6)
      .memory({ primaryAnsweringSince: NOW - 999_000, failedUntil })
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: F6,
      reason: `${F6} works (fallback 1, vpn.example.test:443; answers ping in 1 ms); the answering addresses of vpn.example.test failed WireGuard verification recently`,
    });
  });
  test("the own Endpoint is silent: stays on the fallback", () => {
    const d = peer()
      .resolves(V4)
      .fallback("vpn-b.example.test:443", B)
      .answers(B)
      .on(`${B}:443`)
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: `${B}:443`,
      reason: `${B}:443 works (fallback 1, vpn-b.example.test:443; answers ping in 1 ms); no address of vpn.example.test answers ping`,
    });
  });
  test("on the own Endpoint, the family rule never picks a fallback's address", () => {
    const d = peer()
      .resolves(V4)
      .fallback("vpn-b.example.test:443", "2001:db8::7")
      .answers(V4)
      .answers("2001:db8::7")
      .on(E4)
      .memory({ preferredAnsweringSince: NOW - 999_000 })
      .decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: E4,
      reason: `${E4} works (answers ping in 1 ms)`,
    });
  });
});

describe("rememberProbes: the own Endpoint's answering streak (peers with fallbacks only)", () => {
  const policy = {
    family: "auto",
    handshakeFreshSeconds: 135,
    holdDownSeconds: 300,
    canVerify: true,
    maxAddressesPerName: 8,
    maxTriesPerPass: 4,
  } as const;
  test("starts when an own address answers, and goes on", () => {
    const obs = blocked().observation();
    assert.equal(rememberProbes({ failedUntil: {} }, obs, policy, NOW).primaryAnsweringSince, NOW);
    const before = { failedUntil: {}, primaryAnsweringSince: NOW - 5000 };
    assert.equal(rememberProbes(before, obs, policy, NOW).primaryAnsweringSince, NOW - 5000);
  });
  test("is reset when the only answering addresses are held by a failed verification", () => {
    const before = {
      failedUntil: { [E6]: NOW + 1000, [E4]: NOW + 1000 },
      primaryAnsweringSince: NOW - 5000,
    };
    const m = rememberProbes(before, blocked().observation(), policy, NOW);
    assert.equal("primaryAnsweringSince" in m, false);
  });
  test("is reset when the own name does not resolve", () => {
    const obs = peer().dnsFails(NXDOMAIN).fallback("vpn-b.example.test:443", B).observation();
    const m = rememberProbes(
      { failedUntil: {}, primaryAnsweringSince: NOW - 5000 },
      obs,
      policy,
      NOW,
    );
    assert.equal("primaryAnsweringSince" in m, false);
  });
  test("is not kept for a peer without fallbacks", () => {
    const obs = peer().resolves(V6).answers(V6).observation();
    const m = rememberProbes({ failedUntil: {} }, obs, policy, NOW);
    assert.deepEqual(m, { failedUntil: {}, preferredAnsweringSince: NOW });
  });
});
