import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { InterfaceConfig, Problem } from "../../../src/model.js";
import type { PassDeps } from "../../../src/pass/deps.js";
import { runPass, type WatchPass } from "../../../src/pass/pass.js";
import { DEFAULTS, type Settings } from "../../../src/settings/schema.js";
import type { State } from "../../../src/state/shape.js";

// runPass as the watch service calls it, on fakes: one peer whose endpoint answers ping, so the
// pass keeps it. What the pass owns: the state it was given, the prune scope, what it prints.

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const GONE = "wg0/fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
const NOW = 1_764_050_000_000;
const BAD_LINE: Problem = {
  severity: "error",
  kind: "config",
  at: { file: "/etc/wireguard/wg0.conf", line: 9 },
  message: "Endpoint: expected host:port",
};
const CONFIG: InterfaceConfig = {
  iface: "wg0",
  file: "/etc/wireguard/wg0.conf",
  saveConfig: false,
  peers: [
    {
      iface: "wg0",
      publicKey: KEY,
      endpoint: { host: "vpn.example.test", port: 51820 },
      allowedIps: ["172.25.1.1/32"],
      at: { file: "/etc/wireguard/wg0.conf", line: 5 },
    },
  ],
  problems: [BAD_LINE],
};
const STATE: State = { version: 1, peers: { [GONE]: { failedUntil: {} } } };

const deps: PassDeps = {
  wg: {
    show: async () => [
      {
        publicKey: KEY,
        endpoint: "192.0.2.1:51820",
        allowedIps: ["172.25.1.1/32"],
        latestHandshake: NOW / 1000 - 10,
        rxBytes: 0,
        txBytes: 0,
      },
    ],
    showAll: async () => new Map(),
    setEndpoint: async () => assert.fail("a working endpoint is kept"),
  },
  resolve: async () => ({ ok: true, candidates: [{ address: "192.0.2.1", family: 4 }] }),
  pinger: { probe: async (c) => ({ address: c.address, alive: true, rttMs: 2 }), close() {} },
  systemPinger: () => assert.fail("raw sockets work here"),
  check: async () => assert.fail("no WireGuard check for a working endpoint"),
  clock: { now: () => NOW, sleep: async () => {} },
  hostFamilies: () => ({ ipv4: true, ipv6: true }),
  route: async () => ({ iface: "eth0" }),
};

function setup(): { settings: Settings; watch: WatchPass } {
  const stateDir = mkdtempSync(join(tmpdir(), "wgem-pass-"));
  const settings = { ...DEFAULTS, stateDir, configDir: "/nonexistent" };
  return {
    settings,
    watch: { interfaces: [CONFIG], state: STATE, suspects: new Map(), prune: undefined },
  };
}

test("watch mode: the state given, no lock taken, saved; a pass over some peers forgets nothing", async () => {
  const { settings, watch } = setup();
  const report = await runPass({ settings, dryRun: false, watch, deps });
  assert.equal(report.exitCode, 3, "the file's error still counts");
  assert.deepEqual(Object.keys(report.state?.peers ?? {}), [GONE, `wg0/${KEY}`]);
  assert.equal(report.state?.peers[`wg0/${KEY}`]?.last?.action, "keep");
  assert.deepEqual(readdirSync(settings.stateDir), ["state.json"], "no lock: the service holds it");
  const saved = JSON.parse(readFileSync(join(settings.stateDir, "state.json"), "utf8")) as State;
  assert.deepEqual(saved, JSON.parse(JSON.stringify(report.state)));
});

test("watch mode: the prune scope given is the one applied", async () => {
  const { settings, watch } = setup();
  const prune = { known: new Set([`wg0/${KEY}`]), keep: () => false };
  const report = await runPass({ settings, dryRun: false, watch: { ...watch, prune }, deps });
  assert.deepEqual(Object.keys(report.state?.peers ?? {}), [`wg0/${KEY}`]);
});

test("watch mode prints a file's problems when it reads the file, not on every pass", async () => {
  const { settings, watch } = setup();
  const report = await runPass({ settings, dryRun: true, watch, deps });
  const text = report.lines.map((l) => l.text).join("\n");
  assert.doesNotMatch(text, /expected host:port/);
  assert.deepEqual((report.json as { problems: Problem[] }).problems, [BAD_LINE]);
  assert.equal(existsSync(join(settings.stateDir, "state.json")), false, "--dry-run saves nothing");
});
