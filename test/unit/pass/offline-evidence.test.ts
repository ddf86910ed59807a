import assert from "node:assert/strict";
import { test } from "node:test";
import type { InterfaceConfig, LivePeer } from "../../../src/model.js";
import type { RouteAnswer } from "../../../src/observe/routes.js";
import type { PassDeps } from "../../../src/pass/deps.js";
import { exitCodeFor, peerFailed } from "../../../src/pass/exit-code.js";
import { countRouted } from "../../../src/pass/offline-evidence.js";
import { reconcile } from "../../../src/pass/reconcile.js";
import { formatPass } from "../../../src/report/format.js";
import { DEFAULTS } from "../../../src/settings/schema.js";
import type { State } from "../../../src/state/shape.js";

// A whole reconcile on fakes: while the host looks offline nothing is moved or marked failed.

const KEYS = [
  "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
  "YYSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
] as const;
const NOW = 1_764_050_000_000;
const OUT: RouteAnswer = { iface: "eth0" };

function config(iface: string, keys: readonly string[]): InterfaceConfig {
  const file = `/etc/wireguard/${iface}.conf`;
  const peers = keys.map((publicKey, i) => ({
    iface,
    publicKey,
    endpoint: { host: `vpn${i}.example.test`, port: 51820 },
    allowedIps: [`172.25.${i}.1/32`],
    at: { file, line: 3 },
  }));
  return { iface, file, saveConfig: false, peers, problems: [] };
}

class Fake {
  route: RouteAnswer = OUT;
  pingAnswers = false;
  tunnelAnswers = false;
  sets: string[] = [];
  checks = 0;
  readonly live = new Map<string, LivePeer>(
    KEYS.map((k, i) => [
      k,
      {
        publicKey: k,
        endpoint: `[2001:db8:${i}::1]:51820`,
        allowedIps: [`172.25.${i}.1/32`],
        latestHandshake: 0,
        rxBytes: 0,
        txBytes: 0,
      },
    ]),
  );
  deps(): PassDeps {
    return {
      wg: {
        show: async () => [...this.live.values()],
        showAll: async () => new Map(),
        setEndpoint: async (_i, _k, endpoint) => {
          this.sets.push(endpoint);
        },
      },
      resolve: async (name) => {
        const i = name.startsWith("vpn0") ? 0 : 1;
        return {
          ok: true,
          candidates: [
            { address: `2001:db8:${i}::1`, family: 6 },
            { address: `192.0.2.${i + 1}`, family: 4 },
          ],
        };
      },
      pinger: {
        probe: async (c) =>
          this.pingAnswers
            ? { address: c.address, alive: true, rttMs: 1 }
            : { address: c.address, alive: false, error: "timeout" },
        close() {},
      },
      systemPinger: () => {
        throw new Error("not used");
      },
      check: async () => {
        this.checks++;
        return this.tunnelAnswers
          ? { ok: true, how: "answered through the tunnel" }
          : { ok: false, how: "nothing came back" };
      },
      clock: { now: () => NOW, sleep: async () => {} },
      hostFamilies: () => ({ ipv4: true, ipv6: true }),
      route: async () => this.route,
    };
  }
}

const HELD: State = {
  version: 1,
  peers: { [`wg0/${KEYS[0]}`]: { failedUntil: { "192.0.2.9:51820": NOW + 60_000 } } },
};

async function pass(fake: Fake, interfaces: InterfaceConfig[], dryRun = false) {
  return reconcile(interfaces, DEFAULTS, HELD, fake.deps(), { dryRun });
}

test("no route to any peer: one line per interface, exit 1, nothing moved, memory untouched", async () => {
  const fake = new Fake();
  fake.route = { unreachable: "ENETUNREACH" };
  const result = await pass(fake, [config("wg0", [KEYS[0]]), config("wg1", [KEYS[1]])]);
  assert.deepEqual(fake.sets, []);
  assert.equal(fake.checks, 0, "routes alone decide: no WireGuard check");
  assert.equal(result.hostOffline, true, "the metrics' wgem_host_offline");
  const reason = "no route to any peer's address";
  const text = `this host looks offline (${reason}): no endpoint changed, no address marked failed; trying again next pass`;
  const shown = formatPass(result).filter((l) => l.level !== "info");
  assert.deepEqual(shown, [
    { level: "error", text: `wg0: error: ${text}` },
    { level: "error", text: `wg1: error: ${text}` },
  ]);
  assert.equal(exitCodeFor(result.problems, result.outcomes.filter(peerFailed).length), 1);
  assert.deepEqual(result.state.peers[`wg0/${KEYS[0]}`]?.failedUntil, {
    "192.0.2.9:51820": NOW + 60_000,
  });
  assert.deepEqual(result.state.peers[`wg1/${KEYS[1]}`]?.failedUntil, {});
  assert.equal(result.state.peers[`wg1/${KEYS[1]}`]?.last?.action, "keep");
});

test("two peers silent to ping and to WireGuard: offline after one check each", async () => {
  const fake = new Fake();
  const result = await pass(fake, [config("wg0", KEYS)]);
  assert.equal(fake.checks, 2);
  assert.deepEqual(fake.sets, []);
  assert.equal(result.hostOffline, true);
  assert.deepEqual(
    result.problems.map((p) => `${p.iface}: ${p.message}`),
    [
      "wg0: this host looks offline (none of 2 peers answered ping or WireGuard): no endpoint changed, no address marked failed; trying again next pass",
    ],
  );
});

test("peers that drop ping but carry WireGuard traffic: online, the pass goes on", async () => {
  const fake = new Fake();
  fake.tunnelAnswers = true;
  const result = await pass(fake, [config("wg0", KEYS)]);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(fake.sets, []);
  assert.notEqual(result.hostOffline, true);
  assert.match(result.outcomes[0]?.steps.at(-1)?.decision.reason ?? "", /works/);
});

test("a single silent peer is a peer that is down: the pass tries its other addresses", async () => {
  const fake = new Fake();
  const result = await pass(fake, [config("wg0", [KEYS[0]])]);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(fake.sets.slice(0, 1), ["192.0.2.1:51820"]);
});

test("--dry-run runs no WireGuard check, so silence alone does not say offline", async () => {
  const fake = new Fake();
  const result = await pass(fake, [config("wg0", KEYS)], true);
  assert.equal(fake.checks, 0);
  assert.deepEqual(result.problems, []);
});

test("route lookups stop once one route is found: a big healthy pass asks one round, not all", async () => {
  const lists = Array.from({ length: 500 }, (_, i) => [`2001:db8:${i}::1`, `192.0.2.${i % 250}`]);
  let asked = 0;
  const route = async (): Promise<RouteAnswer> => {
    asked++;
    await new Promise((resolve) => setImmediate(resolve));
    return OUT;
  };
  const counts = await countRouted(lists, new Set(), route);
  assert.ok(
    counts.some((n) => n > 0),
    "a route was found",
  );
  assert.ok(asked <= 64, `one round of lookups at most, not ${asked} of 1,000`);
  let none = 0;
  const nowhere = await countRouted(lists.slice(0, 3), new Set(), async () => {
    none++;
    return { unreachable: "ENETUNREACH" };
  });
  assert.deepEqual([nowhere, none], [[0, 0, 0], 6], "with no route, every address is asked");
});
