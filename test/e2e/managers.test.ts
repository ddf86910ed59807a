/**
 * End-to-end: interfaces that systemd-networkd, netplan or NetworkManager describe, with no
 * /etc/wireguard file at all. Each is repaired as a wg-quick interface is: a zero-argument run
 * after a silent IPv6 break or a peer move, and the watch service within its recovery time, also
 * when the manager puts a dead address back; a working manager pick is left alone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  assertMoved,
  cron,
  endpoint,
  labFor,
  labOpts,
  linesWith,
  peerPrefix,
  show,
} from "./support/cron.js";
import {
  addDropin,
  describeBy,
  HOST_HAS_ETC_SYSTEMD,
  type ManagerFile,
} from "./support/managers.js";
import { since, startWatch } from "./support/watch.js";

/** The watch service's recovery goal, as for wg-quick interfaces (watch.test.ts). */
const RECOVERY_MS = 10_000;
const etcOpts = HOST_HAS_ETC_SYSTEMD ? labOpts : { skip: "no /etc/systemd on this host" };

const KINDS: readonly [ManagerFile, string, { skip?: string }][] = [
  ["netdev", "a .netdev file in /etc/systemd/network", etcOpts],
  ["netdev-dropin", "a .netdev whose peer sits in a drop-in", etcOpts],
  ["netplan", "netplan's file under /run/systemd/network", labOpts],
  ["keyfile", "a NetworkManager keyfile", labOpts],
];

for (const [kind, what, opts] of KINDS) {
  test(
    `${what}, no /etc/wireguard file: a zero-argument run repairs a silent IPv6 break`,
    opts,
    async (t) => {
      const lab = await labFor(t);
      const described = await describeBy(lab, kind);
      const v6 = endpoint(lab, 0, V6);
      assert.equal(await lab.liveEndpoint(0), v6, "the manager's pick: the first address, IPv6");

      const healthy = await cron(t, lab);
      assert.equal(healthy.exitCode, 0, show(healthy));
      assert.equal(
        healthy.stdout + healthy.stderr,
        "",
        `a working pick is left alone: ${show(healthy)}`,
      );

      await lab.breakIpv6Silently();
      const result = await cron(t, lab, ["--verbose"]);
      await assertMoved(lab, result, v6, endpoint(lab, 0, V4));
      const read = linesWith(result, `${peerPrefix(lab, 0)} Read from ${described.file}:`);
      assert.equal(read.length, 1, `--verbose names the file: ${show(result)}`);

      const status = await lab.runTool(["status"]);
      assert.equal(status.exitCode, 0, status.stderr);
      assert.match(status.stdout, / ON +FILE\n/);
      assert.ok(status.stdout.includes(described.file), status.stdout);

      const json = await cron(t, lab, ["--json"]);
      const doc = JSON.parse(json.stdout) as {
        outcomes: { peer: { at: { file: string }; source: string } }[];
      };
      assert.equal(doc.outcomes[0]?.peer.at.file, described.file, json.stdout);
      assert.equal(
        doc.outcomes[0]?.peer.source,
        kind.startsWith("netdev") || kind === "netplan" ? "networkd" : "networkmanager",
      );
    },
  );
}

test(
  "a NetworkManager keyfile: a zero-argument run follows a peer that moved",
  labOpts,
  async (t) => {
    const lab = await labFor(t, { servers: [{ addresses: ["2001:db8:2::10", "198.51.100.10"] }] });
    await describeBy(lab, "keyfile");
    const old = endpoint(lab, 0, "2001:db8:2::10");
    assert.equal(await lab.liveEndpoint(0), old);
    await lab.moveServer("2001:db8:2::10", "2001:db8:2::20");
    await lab.moveServer("198.51.100.10", "198.51.100.20");
    await lab.setDns(lab.server(0).hostname, ["2001:db8:2::20", "198.51.100.20"]);
    assert.equal(await lab.tunnelWorks(0, { timeoutMs: 2_500 }), false, "the move broke it");

    const result = await cron(t, lab);
    await assertMoved(lab, result, old, endpoint(lab, 0, "2001:db8:2::20"));
  },
);

test(
  "watch, netplan's file under /run: repairs an IPv6 break, repairs a dead address the manager puts back, and leaves a working manager pick alone",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    await describeBy(lab, "netplan");
    const watch = await startWatch(t, lab);
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    assert.equal(await lab.liveEndpoint(0), v6);

    let started = performance.now();
    await lab.breakIpv6Silently();
    let works = await lab.tunnelWorks(0, { timeoutMs: 2 * RECOVERY_MS });
    let took = since(started);
    t.diagnostic(`IPv6 break: recovered in ${took} ms`);
    assert.ok(works && took <= RECOVERY_MS, `recovered in ${took} ms\n${watch.log}`);
    assert.equal(await lab.liveEndpoint(0), v4);

    // networkd restarts and pushes its first address again: the dead IPv6 one.
    const mark = watch.log.length;
    await lab.setEndpoint(0, v6);
    started = performance.now();
    works = await lab.tunnelWorks(0, { timeoutMs: 2 * RECOVERY_MS });
    took = since(started);
    t.diagnostic(`dead address put back: recovered in ${took} ms`);
    assert.ok(works && took <= RECOVERY_MS, `recovered in ${took} ms\n${watch.log.slice(mark)}`);
    assert.equal(await lab.liveEndpoint(0), v4);

    // IPv6 works again and the manager puts its (working) pick back: it stays.
    await lab.repairIpv6();
    await lab.setEndpoint(0, v6);
    assert.ok(await lab.tunnelWorks(0, { timeoutMs: 10_000 }), "the manager's pick works");
    const before = watch.log.length;
    // Two counter polls and a full pass' worth of traffic; bounded, no timing goal.
    for (let i = 0; i < 3; i++) await lab.tunnelWorks(0, { timeoutMs: 3_000 });
    assert.equal(await lab.liveEndpoint(0), v6, `left alone\n${watch.log.slice(before)}`);
    assert.doesNotMatch(watch.log.slice(before), / moved /);
  },
);

test(
  "watch, a drop-in added while it runs: its peer is managed and repaired like the others",
  etcOpts,
  async (t) => {
    const lab = await labFor(t, { servers: [{}, {}] });
    const described = await describeBy(lab, "netdev", [0]);
    const watch = await startWatch(t, lab);
    const second = `${lab.interface} peer ${lab.server(1).publicKey.slice(0, 8)}`;
    assert.ok(!watch.log.includes(second), `peer 1 is not managed yet\n${watch.log}`);

    const mark = watch.log.length;
    await addDropin(lab, described, 1);
    const changed = new RegExp(`a manager's file changed: reconciling ${lab.interface}`);
    assert.ok(await watch.waitForLog(changed, 10_000, mark), watch.log.slice(mark));

    await lab.breakIpv6Silently();
    const started = performance.now();
    const works = await lab.tunnelWorks(1, { timeoutMs: 2 * RECOVERY_MS });
    const took = since(started);
    assert.ok(works && took <= RECOVERY_MS, `peer 1 recovered in ${took} ms\n${watch.log}`);
    assert.equal(await lab.liveEndpoint(1), endpoint(lab, 1, "198.51.100.1"));
  },
);
