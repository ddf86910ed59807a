import assert from "node:assert/strict";
import { test } from "node:test";
import type { LivePeer, ManagedPeer } from "../../../src/model.js";
import { observePeers } from "../../../src/observe/live-peers.js";
import { type Wg, WgCommandError } from "../../../src/observe/wg.js";

const A = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const B = "qEvKunk1m1FJ5XBI+ueL8DvYLuXCfEmx7eydzn9wZgs=";

const peer = (iface: string, publicKey: string): ManagedPeer => ({
  iface,
  publicKey,
  endpoint: { host: "vpn.example.test", port: 51820 },
  allowedIps: ["172.25.1.1/32"],
  at: { file: `/etc/wireguard/${iface}.conf`, line: 5 },
});
const live = (publicKey: string): LivePeer => ({
  publicKey,
  endpoint: "192.0.2.1:51820",
  allowedIps: ["172.25.1.1/32"],
  latestHandshake: 0,
  rxBytes: 0,
  txBytes: 0,
});

test("each managed peer is matched with its live state; one not running is a warning", async () => {
  const shown: string[] = [];
  const wg: Wg = {
    show: async (iface) => {
      shown.push(iface);
      return [live(A)];
    },
    showAll: async () => new Map(),
    setEndpoint: async () => {},
  };
  const { observed, problems } = await observePeers(wg, [
    { iface: "wg0", peers: [peer("wg0", A), peer("wg0", B)] },
    { iface: "wg1", peers: [] },
  ]);
  assert.deepEqual(shown, ["wg0"], "an interface without managed peers is not asked");
  assert.deepEqual(
    observed.map((o) => [o.peer.publicKey, o.live.endpoint]),
    [[A, "192.0.2.1:51820"]],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.peer, B);
  assert.match(problems[0]?.message ?? "", /not on the running interface/);
});

test("an interface that is down is a warning; any other wg failure an error", async () => {
  const failing = (reason: "not-up" | "failed"): Wg => ({
    show: async () => {
      throw new WgCommandError(
        "wg0 is not up",
        reason,
        ["show", "wg0", "dump"],
        1,
        "no such device",
      );
    },
    showAll: async () => new Map(),
    setEndpoint: async () => {},
  });
  const down = await observePeers(failing("not-up"), [{ iface: "wg0", peers: [peer("wg0", A)] }]);
  assert.deepEqual(
    down.problems.map((p) => [p.severity, p.kind, p.iface]),
    [["warning", "environment", "wg0"]],
  );
  const broken = await observePeers(failing("failed"), [{ iface: "wg0", peers: [peer("wg0", A)] }]);
  assert.equal(broken.problems[0]?.severity, "error");
  assert.deepEqual(broken.observed, []);
});
