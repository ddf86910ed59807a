import assert from "node:assert/strict";
import { test } from "node:test";
import type { Decision, PeerOutcome, Step } from "../../../src/decide/types.js";
import type { ManagedPeer } from "../../../src/model.js";
import type { PassFindings } from "../../../src/report/format.js";
import { formatPass, formatProblem } from "../../../src/report/format.js";

// Exact text of every kind of line a pass prints: the cron mail is read by people and by filters.

const KEY = "qEvKunk1m1FJ5XBI+ueL8DvYLuXCfEmx7eydzn9wZgs=";
const V6 = "[2001:db8:1::1]:51820";
const V4 = "192.0.2.1:51820";
const CMD = `wg set wg0 peer ${KEY} endpoint ${V4}`;
const P = "wg0 peer qEvKunk1 (vpn.example.test):";
const peer: ManagedPeer = {
  iface: "wg0",
  publicKey: KEY,
  endpoint: { host: "vpn.example.test", port: 51820 },
  allowedIps: ["172.25.1.1/32"],
  at: { file: "/etc/wireguard/wg0.conf", line: 7 },
};
const live = {
  publicKey: KEY,
  endpoint: V6,
  allowedIps: ["172.25.1.1/32"],
  latestHandshake: 0,
  rxBytes: 0,
  txBytes: 0,
};
const switchTo4: Decision = {
  action: "switch",
  from: V6,
  to: V4,
  candidate: { address: "192.0.2.1", family: 4, port: 51820, origin: { kind: "primary" } },
  reason: `${V6} does not answer ping (timeout); 192.0.2.1 answers in 1 ms`,
};

function outcome(steps: Step[]): PeerOutcome {
  return {
    peer,
    live,
    original: V6,
    resolution: {
      ok: true,
      candidates: [
        { address: "2001:db8:1::1", family: 6 },
        { address: "192.0.2.1", family: 4 },
      ],
    },
    probes: [
      { address: "2001:db8:1::1", alive: false, error: "timeout" },
      { address: "192.0.2.1", alive: true, rttMs: 1 },
    ],
    steps,
  };
}

/** The lines of a pass with one peer, after the four lines every peer gets with --verbose. */
function stepLines(steps: Step[]): string[] {
  const result: PassFindings = {
    outcomes: [outcome(steps)],
    unmanaged: [],
    problems: [],
  };
  const lines = formatPass(result).map((l) => `${l.level}: ${l.text}`);
  assert.deepEqual(lines.slice(0, 4), [
    `info: ${P} Candidate addresses: 2001:db8:1::1, 192.0.2.1`,
    `info: ${P} 2001:db8:1::1 is not reachable (timeout)`,
    `info: ${P} 192.0.2.1 is reachable (1 ms)`,
    `info: ${P} Existing endpoint is ${V6}`,
  ]);
  return lines.slice(4);
}

test("a problem names file:line, interface and peer (8 characters of the key)", () => {
  const line = formatProblem({
    severity: "error",
    kind: "config",
    message:
      'Endpoint "vpn.example.test:99999": expected a port 1-65535, got "99999"; peer skipped',
    at: { file: "/etc/wireguard/wg9.conf", line: 7 },
    iface: "wg9",
    peer: KEY,
  });
  assert.deepEqual(line, {
    level: "error",
    text: '/etc/wireguard/wg9.conf:7: wg9 peer qEvKunk1: error: Endpoint "vpn.example.test:99999": expected a port 1-65535, got "99999"; peer skipped',
  });
});

test("a problem without line, peer or place", () => {
  assert.equal(
    formatProblem({ severity: "warning", kind: "config", message: "m", at: { file: "/f" } }).text,
    "/f: warning: m",
  );
  assert.equal(
    formatProblem({ severity: "warning", kind: "environment", message: "m", iface: "wg1" }).text,
    "wg1: warning: m",
  );
  assert.equal(
    formatProblem({ severity: "error", kind: "environment", message: "m" }).text,
    "error: m",
  );
});

test("problems first, then unmanaged peers (verbose), then each peer", () => {
  const lines = formatPass({
    outcomes: [],
    unmanaged: [{ iface: "wg0", publicKey: KEY, reason: "no Endpoint: not managed" }],
    problems: [{ severity: "warning", kind: "environment", message: "raw sockets unavailable" }],
  });
  assert.deepEqual(lines, [
    { level: "warning", text: "warning: raw sockets unavailable" },
    { level: "info", text: "wg0 peer qEvKunk1: no Endpoint: not managed" },
  ]);
});

test("keep: an info line, or a warning when the decision carries one", () => {
  assert.deepEqual(stepLines([{ decision: { action: "keep", endpoint: V6, reason: "fine" } }]), [
    `info: ${P} fine`,
  ]);
  assert.deepEqual(
    stepLines([{ decision: { action: "keep", endpoint: V6, reason: "odd", warning: true } }]),
    [`warning: ${P} warning: odd`],
  );
});

test("unreachable: an error that says where the endpoint stays", () => {
  assert.deepEqual(
    stepLines([
      { decision: { action: "unreachable", endpoint: V6, reason: "no address answers" } },
    ]),
    [`error: ${P} error: no address answers; endpoint stays ${V6}`],
  );
  assert.deepEqual(
    stepLines([{ decision: { action: "unreachable", endpoint: undefined, reason: "r" } }]),
    [`error: ${P} error: r; endpoint stays (none)`],
  );
});

test("check: the reason, then WireGuard's verdict", () => {
  const decision: Decision = { action: "check", endpoint: V6, reason: "handshake is old" };
  assert.deepEqual(stepLines([{ decision, verdict: { ok: true, how: "new handshake" } }]), [
    `info: ${P} handshake is old`,
    `info: ${P} WireGuard confirms ${V6}: new handshake`,
  ]);
  assert.deepEqual(stepLines([{ decision, verdict: { ok: false, how: "nothing came back" } }]), [
    `info: ${P} handshake is old`,
    `warning: ${P} warning: ${V6} fails WireGuard verification: nothing came back`,
  ]);
});

test("switch in --dry-run: the command it would run", () => {
  assert.deepEqual(stepLines([{ decision: switchTo4, applied: false }]), [
    `info: ${P} Chosen endpoint is ${V4}: ${switchTo4.reason}`,
    `change: ${P} DRY RUN: would execute ${CMD} (${switchTo4.reason})`,
  ]);
});

test("switch verified: the one line cron mails", () => {
  const verdict = { ok: true, how: "172.25.1.1 answered through the tunnel" };
  assert.deepEqual(stepLines([{ decision: switchTo4, applied: true, verdict }]), [
    `info: ${P} Chosen endpoint is ${V4}: ${switchTo4.reason}`,
    `info: ${P} Executing ${CMD}`,
    `change: ${P} moved ${V6} -> ${V4}: ${switchTo4.reason}; verified: 172.25.1.1 answered through the tunnel`,
  ]);
});

test("switch that WireGuard does not confirm, and a wg set that fails", () => {
  const verdict = { ok: false, how: "nothing came back through the tunnel within 11 s" };
  assert.deepEqual(stepLines([{ decision: switchTo4, applied: true, verdict }]), [
    `info: ${P} Chosen endpoint is ${V4}: ${switchTo4.reason}`,
    `info: ${P} Executing ${CMD}`,
    `warning: ${P} warning: ${V4} fails WireGuard verification: nothing came back through the tunnel within 11 s`,
  ]);
  assert.deepEqual(stepLines([{ decision: switchTo4, applied: false, error: "exit 1" }]), [
    `info: ${P} Chosen endpoint is ${V4}: ${switchTo4.reason}`,
    `error: ${P} error: ${CMD} failed: exit 1`,
  ]);
});

test("a verification cut short by a signal is no verdict on the endpoint", () => {
  const verdict = { ok: false, how: "interrupted", interrupted: true };
  assert.deepEqual(stepLines([{ decision: switchTo4, applied: true, verdict }]), [
    `info: ${P} Chosen endpoint is ${V4}: ${switchTo4.reason}`,
    `info: ${P} Executing ${CMD}`,
    `info: ${P} verification of ${V4} interrupted`,
  ]);
});

test("restore: an error naming the endpoint put back", () => {
  const decision: Decision = {
    action: "restore",
    from: V4,
    to: V6,
    reason: "no move was verified",
  };
  assert.deepEqual(stepLines([{ decision, applied: true }]), [
    `info: ${P} Chosen endpoint is ${V6}: no move was verified`,
    `info: ${P} Executing wg set wg0 peer ${KEY} endpoint ${V6}`,
    `error: ${P} error: restored ${V6}: no move was verified`,
  ]);
});

test("a peer whose name did not resolve gets no candidate lines", () => {
  const o: PeerOutcome = {
    ...outcome([{ decision: { action: "unreachable", endpoint: V6, reason: "NXDOMAIN" } }]),
    resolution: { ok: false, error: "NXDOMAIN" },
    probes: [],
  };
  const lines = formatPass({
    outcomes: [o],
    unmanaged: [],
    problems: [],
  });
  assert.deepEqual(
    lines.map((l) => l.text),
    [`${P} Existing endpoint is ${V6}`, `${P} error: NXDOMAIN; endpoint stays ${V6}`],
  );
});
