import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { peerTable, recordedPeers } from "../../../src/report/peer-table.js";
import type { State } from "../../../src/state/shape.js";
import { parseState } from "../../../src/state/state.js";
import { fixture } from "../../support/paths.js";

const NOW = 1764050000000;
const ALL = { include: [], exclude: [] };
const load = (name: string) => parseState(readFileSync(fixture("state", name), "utf8")) as State;
const fleet = recordedPeers(load("fleet.json"), ALL);

test("status: an aligned table, then why each peer that is down is down", () => {
  assert.deepEqual(peerTable(fleet, "/var/lib/wgem", NOW), [
    "INTERFACE  PEER      HOSTNAME            ENDPOINT               SINCE       LAST CHECK  RESULT  ON",
    "wg0        fFZZy7EI  vpn.example.com     203.0.113.1:51820      2 h ago     10 s ago    up      primary",
    "wg0        kX2UMrZk  branch.example.org  198.51.100.7:51820     60 min ago  10 s ago    down    primary",
    "wg1        XXSeHNuO  hub.example.net     [2001:db8:5::1]:51820  5 min ago   60 s ago    up      fallback 1, hub-b.example.net:51820",
    "wg1        qEvKunk1  lab.example.org     192.0.2.9:51820        -           60 s ago    down    primary",
    "wg0 kX2UMrZk: down (unreachable): no address of branch.example.org answers ping or carries WireGuard traffic",
    "wg1 qEvKunk1: down (keep): lab.example.org: DNS lookup timed out; keeping 192.0.2.9:51820",
  ]);
});

test("status: nothing recorded yet", () => {
  assert.deepEqual(peerTable([], "/var/lib/wgem", NOW), [
    "no peers recorded yet in /var/lib/wgem; run wg-endpoint-manager once",
  ]);
});
