import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Decision } from "../../../src/decide/types.js";
import type { PeerSnapshot } from "../../../src/state/shape.js";
import { peer, switchedToFallback } from "./builder.js";

// Two address sets the name's answers alternate between, every address alive.
const SET_A = ["192.0.2.1", "192.0.2.2"] as const;
const SET_B = ["198.51.100.1", "198.51.100.2"] as const;
const ON = "192.0.2.1:51820";

/** What the state kept of the last pass, naming the Endpoint's host then. */
function lastPass(hostname: string): PeerSnapshot {
  return {
    at: 0,
    hostname,
    endpoint: ON,
    latestHandshake: 0,
    probes: [],
    action: "keep",
    reason: "",
    up: true,
  };
}

/** One round of a pass: the decision, and when it is a check, WireGuard's verdict fed back. */
function pass(answers: readonly string[], verdict: boolean): Decision[] {
  const base = () => {
    const p = peer()
      .resolves(...answers)
      .on(ON)
      .handshake(20)
      .answers("192.0.2.1"); // the live endpoint is probed too
    for (const a of answers) p.answers(a);
    return p;
  };
  const first = base().decide();
  if (first.action !== "check") return [first];
  return [first, base().wg(first.endpoint, verdict).decide()];
}

describe("DNS that alternates between address sets never moves a healthy, verified tunnel", () => {
  test("ten passes, the answers flipping each time: checked when absent, never moved", () => {
    const decisions = Array.from({ length: 10 }, (_, i) =>
      pass(i % 2 === 0 ? SET_B : SET_A, true),
    ).flat();
    assert.deepEqual(
      decisions.filter((d) => d.action !== "keep" && d.action !== "check"),
      [],
    );
    const gone = decisions.filter((d) => d.action === "check");
    assert.equal(gone.length, 5, "one WireGuard check per pass that does not list it");
    assert.deepEqual(gone[0], {
      action: "check",
      endpoint: ON,
      reason: `${ON} is no longer an address of vpn.example.test: checking ${ON} through WireGuard before moving`,
    });
    assert.deepEqual(decisions.at(-1), {
      action: "keep",
      endpoint: ON,
      reason: `${ON} works (answers ping in 1 ms)`,
    });
    assert.deepEqual(decisions.at(-2), {
      action: "keep",
      endpoint: ON,
      reason: `${ON} works (WireGuard traffic confirmed)`,
    });
  });
  test("WireGuard says the absent endpoint is dead: then the peer moves", () => {
    const [check, then] = pass(SET_B, false);
    assert.equal(check?.action, "check");
    assert.equal(then?.action, "switch");
  });
  test("the absent endpoint is silent: the peer moved, and goes at once (no check to wait for)", () => {
    const d = peer()
      .resolves(...SET_B)
      .on(ON)
      .unanswered("192.0.2.1", "timeout")
      .answers("198.51.100.1")
      .decide();
    assert.equal(d.action, "switch");
  });
  test("the Endpoint now names another host (the operator moved it): no check, it goes", () => {
    const d = peer()
      .resolves(...SET_B)
      .on(ON)
      .answers("192.0.2.1")
      .answers("198.51.100.1")
      .memory({ last: lastPass("old-name.example.test") })
      .decide();
    assert.equal(d.action, "switch");
    const same = peer()
      .resolves(...SET_B)
      .on(ON)
      .answers("192.0.2.1")
      .answers("198.51.100.1")
      .memory({ last: lastPass("vpn.example.test") })
      .decide();
    assert.equal(same.action, "check");
  });
});

describe("the own name is gone, the current endpoint does not answer ping, a fallback does", () => {
  const NXDOMAIN = "vpn.example.test has no A or AAAA record";
  const OLD = "203.0.113.5";
  const FALLBACK = "198.51.100.7";
  const gone = () =>
    peer()
      .dnsFails(NXDOMAIN)
      .fallback("vpn-b.example.test:443", FALLBACK)
      .answers(FALLBACK)
      .on(`${OLD}:51820`)
      .handshake(5);
  test("a fresh handshake does not keep it: it is checked through WireGuard at once", () => {
    const d = gone().unanswered(OLD, "timeout").decide();
    assert.deepEqual(d, {
      action: "check",
      endpoint: `${OLD}:51820`,
      reason: `${NXDOMAIN}; ${OLD}:51820 does not answer ping: checking ${OLD}:51820 through WireGuard before the fallbacks`,
    });
  });
  test("WireGuard fails it: the peer moves to the fallback in the same pass", () => {
    const d = gone().unanswered(OLD, "timeout").wg(`${OLD}:51820`, false).decide();
    const reason = `${NXDOMAIN}; ${OLD}:51820 carries no WireGuard traffic; ${FALLBACK}:443 (fallback 1, vpn-b.example.test:443) answers in 1 ms`;
    const fallback = { number: 1, endpoint: "vpn-b.example.test:443" };
    assert.deepEqual(d, switchedToFallback(`${OLD}:51820`, fallback, FALLBACK, 443, reason));
  });
  test("WireGuard confirms it: it is kept", () => {
    const d = gone().unanswered(OLD, "timeout").wg(`${OLD}:51820`, true).decide();
    assert.equal(d.action, "keep");
  });
  test("it still answers ping: kept on the fresh handshake (DNS down, the peer not moved)", () => {
    const d = gone().answers(OLD).decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: `${OLD}:51820`,
      reason: `${NXDOMAIN}; the last handshake was 5 s ago; keeping ${OLD}:51820`,
      warning: true,
    });
  });
});
