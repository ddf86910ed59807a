import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { nagiosVerdict } from "../../../src/report/nagios.js";
import { recordedPeers } from "../../../src/report/peer-table.js";
import type { State } from "../../../src/state/shape.js";
import { parseState } from "../../../src/state/state.js";
import { fixture } from "../../support/paths.js";

const NOW = 1764050000000;
const ALL = { include: [], exclude: [] };
const load = (name: string) => parseState(readFileSync(fixture("state", name), "utf8")) as State;
const fleet = recordedPeers(load("fleet.json"), ALL);
const check = (rows = fleet, now = NOW) =>
  nagiosVerdict(rows, { now, intervalSeconds: 60, stateDir: "/var/lib/wgem" });

test("--check: peers not up are named, exit 1 (WARNING, as Nagios reads 1)", () => {
  assert.deepEqual(check(), {
    exitCode: 1,
    line: "WARNING: 2 of 4 peers not up: wg0 kX2UMrZk (branch.example.org), wg1 qEvKunk1 (lab.example.org) | up=2 down=2 age=10s",
  });
});

test("--check: every peer up, exit 0", () => {
  const up = fleet.filter((r) => r.last?.up === true);
  assert.deepEqual(check(up), { exitCode: 0, line: "OK: 2 peers up | up=2 down=0 age=10s" });
});

test("--check: the last pass older than twice the interval is UNKNOWN, exit 3", () => {
  // The newest check is at NOW - 10 s: 120 s later is exactly twice the interval, still fresh.
  assert.equal(check(fleet, NOW + 110_000).exitCode, 1);
  assert.deepEqual(check(fleet, NOW + 111_000), {
    exitCode: 3,
    line: "UNKNOWN: the last pass was 2 min ago, more than twice the pass interval (60 s); is wg-endpoint-manager running?",
  });
});

test("--check: a peer no pass has seen for twice the interval is not up", () => {
  const up = fleet.filter((r) => r.last?.up === true);
  // wg1 was last seen 60 s before NOW, wg0 10 s before: at NOW + 61 s only wg1 is overdue.
  assert.deepEqual(check(up, NOW + 61_000), {
    exitCode: 1,
    line: "WARNING: 1 of 2 peers not up: wg1 XXSeHNuO (hub.example.net) not checked for 2 min | up=1 down=1 age=71s",
  });
});

test("--check: nothing recorded is UNKNOWN, exit 3", () => {
  assert.deepEqual(check([]), {
    exitCode: 3,
    line: "UNKNOWN: no peers recorded in /var/lib/wgem",
  });
});

test("--check: a state file that could not be read is UNKNOWN, naming the file and why", () => {
  const unreadable = "/var/lib/wgem/state.json: permission denied";
  const input = { now: NOW, intervalSeconds: 60, stateDir: "/var/lib/wgem", unreadable };
  assert.deepEqual(nagiosVerdict([], input), {
    exitCode: 3,
    line: "UNKNOWN: cannot read /var/lib/wgem/state.json: permission denied",
  });
});

test("--check: a last pass dated in the future is UNKNOWN, not OK", () => {
  const up = fleet.filter((r) => r.last?.up === true);
  assert.equal(check(up).exitCode, 0, "the same rows, now: OK");
  assert.deepEqual(check(up, NOW - 3_600_000), {
    exitCode: 3,
    line: "UNKNOWN: the last pass in /var/lib/wgem is dated 60 min in the future; is the clock right?",
  });
});
