import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { renderMetrics } from "../../../src/report/metrics.js";
import { EMPTY_STATE, type State } from "../../../src/state/shape.js";
import { parseState } from "../../../src/state/state.js";
import { fixture } from "../../support/paths.js";

const fleet = parseState(readFileSync(fixture("state", "fleet.json"), "utf8")) as State;
const lastPass = { at: 1764050000000, durationMs: 1234 };

test("the rendered text of a state with four peers, exactly (fixtures/metrics/fleet.prom)", async () => {
  const text = await renderMetrics({ state: fleet, lastPass, version: "0.1.0" });
  assert.equal(text, readFileSync(fixture("metrics", "fleet.prom"), "utf8"));
});

test("the names and labels that dashboards rely on", async () => {
  const text = await renderMetrics({ state: fleet, lastPass, version: "0.1.0" });
  const KEY = "fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
  const peer = `interface="wg0",public_key="${KEY}",hostname="vpn.example.com"`;
  for (const line of [
    `wgem_peer_info{${peer},endpoint="203.0.113.1:51820"} 1`,
    `wgem_peer_up{${peer}} 1`,
    `wgem_endpoint_changes_total{${peer}} 3`,
    `wgem_verify_failures_total{${peer}} 1`,
    `wgem_probe_up{${peer},address="2001:db8::1"} 0`,
    `wgem_probe_rtt_seconds{${peer},address="203.0.113.1"} 0.0125`,
    `wgem_dns_up{hostname="lab.example.org"} 0`,
    "wgem_last_pass_timestamp_seconds 1764050000",
    "wgem_pass_duration_seconds 1.234",
    "wgem_host_offline 0",
    'wgem_build_info{version="0.1.0"} 1',
    "# TYPE wgem_endpoint_changes_total counter",
  ])
    assert.ok(text.split("\n").includes(line), line);
});

test("a pass that found this host offline: wgem_host_offline 1", async () => {
  const offline = { ...lastPass, hostOffline: true };
  const text = await renderMetrics({ state: fleet, lastPass: offline, version: "0.1.0" });
  assert.ok(text.split("\n").includes("wgem_host_offline 1"), text);
});

test("no pass yet (a service just started): no pass metrics; an empty state: build info only", async () => {
  const text = await renderMetrics({ state: EMPTY_STATE, version: "1.2.3" });
  const samples = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  assert.deepEqual(samples, ['wgem_build_info{version="1.2.3"} 1']);
});

test("the state fixture: each peer's recorded verdict and counters", async () => {
  const state = parseState(readFileSync(fixture("state", "state.json"), "utf8")) as State;
  const text = await renderMetrics({ state, lastPass, version: "0.1.0" });
  const samples = text
    .split("\n")
    .filter((l) => /^wgem_(peer_up|endpoint_changes_total)\{/.test(l));
  assert.deepEqual(
    samples.map((l) => l.replace(/public_key="[^"]+",/, "")),
    [
      'wgem_peer_up{interface="wg0",hostname="vpn.example.com"} 1',
      'wgem_peer_up{interface="wg1",hostname="hub.example.net"} 1',
      'wgem_endpoint_changes_total{interface="wg0",hostname="vpn.example.com"} 1',
      'wgem_endpoint_changes_total{interface="wg1",hostname="hub.example.net"} 0',
    ],
  );
});
