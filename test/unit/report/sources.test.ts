import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { renderMetrics } from "../../../src/report/metrics.js";
import { peerTable, recordedPeers } from "../../../src/report/peer-table.js";
import type { State } from "../../../src/state/shape.js";
import { parseState } from "../../../src/state/state.js";
import { fixture } from "../../support/paths.js";

const NOW = 1764050000000;
const fleet = parseState(readFileSync(fixture("state", "fleet.json"), "utf8")) as State;
const KEY = "fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
const NETDEV = "/run/systemd/network/10-netplan-wg0.netdev";

/** fleet.json with its first peer read from netplan's file and the others from wg-quick files. */
function withSources(): State {
  const peers = Object.fromEntries(
    Object.entries(fleet.peers).map(([key, peer]) => {
      const last = peer?.last;
      if (last === undefined) return [key, peer];
      const [iface] = key.split("/");
      const file = key.endsWith(KEY) ? `${NETDEV}:10` : `/etc/wireguard/${iface}.conf:5`;
      const source = key.endsWith(KEY) ? "networkd" : "wg-quick";
      return [key, { ...peer, last: { ...last, file, source } }];
    }),
  );
  return parseState(JSON.stringify({ version: 1, peers })) as State;
}

test("status: a FILE column once a peer comes from a manager's file", () => {
  const lines = peerTable(recordedPeers(withSources(), { include: [], exclude: [] }), "/s", NOW);
  assert.match(lines[0] ?? "", / {2}ON +FILE$/);
  assert.match(lines[1] ?? "", new RegExp(`^wg0 +fFZZy7EI .* primary +${NETDEV}:10$`));
  assert.match(lines[2] ?? "", / primary +\/etc\/wireguard\/wg0\.conf:5$/);
  const old = peerTable(recordedPeers(fleet, { include: [], exclude: [] }), "/s", NOW);
  assert.match(old[0] ?? "", / ON$/, "no FILE column for a state that records none");
});

test("metrics: wgem_peer_source_info names each peer's file (without its line) and kind", async () => {
  const text = await renderMetrics({ state: withSources(), lastPass: undefined, version: "0" });
  const peer = `interface="wg0",public_key="${KEY}",hostname="vpn.example.com"`;
  assert.ok(
    text.includes(`wgem_peer_source_info{${peer},source="networkd",file="${NETDEV}"} 1`),
    text,
  );
  assert.ok(text.includes('source="wg-quick",file="/etc/wireguard/wg0.conf"} 1'), text);
  const old = await renderMetrics({ state: fleet, lastPass: undefined, version: "0" });
  assert.ok(!old.includes("wgem_peer_source_info"));
});
