import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../../src/common/usage-error.js";
import type { PeerOutcome, Step } from "../../../src/decide/types.js";
import type { Problem } from "../../../src/model.js";
import { EXIT, exitCodeFor, failure, peerFailed } from "../../../src/pass/exit-code.js";
import { SettingsError } from "../../../src/settings/validate.js";
import { StateError } from "../../../src/state/errors.js";

const problem = (severity: Problem["severity"], kind: Problem["kind"]): Problem => ({
  severity,
  kind,
  message: "m",
});

test("exitCodeFor: the most serious trouble wins; warnings alone are 0", () => {
  const env = problem("error", "environment");
  const conf = problem("error", "config");
  const peer = problem("error", "peer");
  assert.equal(
    exitCodeFor([problem("warning", "environment"), problem("warning", "config")], 0),
    0,
  );
  assert.equal(exitCodeFor([], 1), EXIT.unreachable);
  assert.equal(exitCodeFor([peer], 0), EXIT.unreachable);
  assert.equal(exitCodeFor([conf, peer], 3), EXIT.config);
  assert.equal(exitCodeFor([peer, conf, env], 3), EXIT.environment);
});

const outcome = (...steps: Step[]): PeerOutcome => ({
  peer: {
    iface: "wg0",
    publicKey: "k",
    endpoint: { host: "vpn.example.test", port: 51820 },
    allowedIps: [],
    at: { file: "f" },
  },
  live: {
    publicKey: "k",
    endpoint: undefined,
    allowedIps: [],
    latestHandshake: 0,
    rxBytes: 0,
    txBytes: 0,
  },
  original: undefined,
  resolution: { ok: false, error: "e" },
  probes: [],
  steps,
});
const A = "192.0.2.1:51820";
const candidate = {
  address: "192.0.2.1",
  family: 4 as const,
  port: 51820,
  origin: { kind: "primary" as const },
};
const move = { action: "switch" as const, from: undefined, to: A, candidate, reason: "r" };

test("peerFailed: unreachable, restored, a move WireGuard refused, or `wg set` failing", () => {
  assert.equal(peerFailed(outcome()), false);
  assert.equal(
    peerFailed(outcome({ decision: { action: "keep", endpoint: A, reason: "r" } })),
    false,
  );
  assert.equal(
    peerFailed(outcome({ decision: { action: "unreachable", endpoint: A, reason: "r" } })),
    true,
  );
  assert.equal(
    peerFailed(outcome({ decision: { action: "restore", from: A, to: A, reason: "r" } })),
    true,
  );
  assert.equal(
    peerFailed(outcome({ decision: move, applied: true, verdict: { ok: false, how: "h" } })),
    true,
  );
  assert.equal(
    peerFailed(outcome({ decision: move, applied: true, verdict: { ok: true, how: "h" } })),
    false,
  );
  assert.equal(peerFailed(outcome({ decision: move, applied: false })), false, "a --dry-run move");
  assert.equal(peerFailed(outcome({ decision: move, applied: false, error: "wg failed" })), true);
});

test("failure: each error class to its documented exit code and sentence", () => {
  assert.deepEqual(failure(new UsageError("u")), { exitCode: EXIT.usage, message: "u" });
  assert.deepEqual(failure(new SettingsError("s")), { exitCode: EXIT.usage, message: "s" });
  assert.deepEqual(failure(new StateError("st")), { exitCode: EXIT.environment, message: "st" });
  const denied = Object.assign(new Error("x"), { code: "EACCES", path: "/var/lib/wgem" });
  assert.deepEqual(failure(denied), {
    exitCode: EXIT.environment,
    message:
      "permission denied on /var/lib/wgem: run as root, or set stateDir to a writable folder",
  });
  const bug = failure(new TypeError("boom"));
  assert.equal(bug.exitCode, EXIT.internal);
  assert.match(bug.message, /^internal error: TypeError: boom/);
});
