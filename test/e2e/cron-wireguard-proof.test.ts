/**
 * End-to-end: WireGuard itself is the proof, ICMP only evidence. A peer that drops echo is left
 * alone while its tunnel works and repaired through WireGuard checks when it does not; an IPv6
 * that answers ping but carries no WireGuard never strands the tunnel and is not retried while it
 * is marked failed; IPv6 is taken back only after the hold-down; two runs never interleave.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { test } from "node:test";
import { SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  assertMoved,
  cron,
  endpoint,
  labFor,
  labOpts,
  linesWith,
  pause,
  peerPrefix,
  peerState,
  readState,
  show,
  TUNNEL_WAIT,
  wgSetLine,
} from "./support/cron.js";

test("peer drops ICMP echo, tunnel healthy: nothing changes", labOpts, async (t) => {
  const lab = await labFor(t);
  const v6 = endpoint(lab, 0, V6);
  await lab.dropIcmpEcho();

  const result = await cron(t, lab);
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(result.stdout, "", `nothing to mail: ${show(result)}`);
  assert.equal(result.stderr, "", `nothing to mail: ${show(result)}`);
  assert.equal(await lab.liveEndpoint(0), v6);
  assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT));

  const verbose = await cron(t, lab, ["--verbose"]);
  assert.equal(verbose.exitCode, 0, show(verbose));
  assert.equal(linesWith(verbose, `${V6} is not reachable`).length, 1, show(verbose));
  assert.equal(
    linesWith(verbose, `${peerPrefix(lab, 0)} WireGuard confirms ${v6}`).length,
    1,
    `checked through WireGuard: ${show(verbose)}`,
  );
  assert.equal(linesWith(verbose, "Executing").length, 0, show(verbose));
  assert.equal(await lab.liveEndpoint(0), v6);
});

test(
  "peer drops ICMP echo and IPv6 breaks: WireGuard checks alone move it to IPv4",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    // The lab just made a handshake (its tunnel check), so the handshake is fresh.
    await lab.dropIcmpEcho();
    await lab.breakIpv6Silently();

    const result = await cron(t, lab);
    await assertMoved(lab, result, v6, v4);
  },
);

test(
  "IPv6 pings but carries no WireGuard: never stranded, not retried while failed",
  labOpts,
  async (t) => {
    const holdDownSeconds = 2;
    const lab = await labFor(t, { toolConfig: { holdDownSeconds } });
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    await lab.setEndpoint(0, v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "healthy on IPv4");
    await lab.dropUdpOverIpv6(lab.server(0).port);

    // Run 1: IPv6 answers ping from now on; the hold-down keeps the working IPv4.
    const first = await cron(t, lab, ["--verbose"]);
    assert.equal(first.exitCode, 0, show(first));
    assert.equal(linesWith(first, "must do so for").length, 1, show(first));
    assert.equal(await lab.liveEndpoint(0), v4);

    // Run 2, past the hold-down: IPv6 is tried, WireGuard says no, back to IPv4 in the same run.
    await pause((holdDownSeconds + 1) * 1000);
    const second = await cron(t, lab);
    assert.equal(second.exitCode, 0, show(second));
    assert.equal(
      linesWith(second, `${v6} fails WireGuard verification`).length,
      1,
      `IPv6 was tried and failed: ${show(second)}`,
    );
    assert.equal(linesWith(second, `moved ${v6} -> ${v4}`).length, 1, show(second));
    assert.equal(await lab.liveEndpoint(0), v4, "never stranded on IPv6");
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT));
    const failed = peerState(await readState(lab), lab, 0)?.failedUntil[v6];
    assert.ok(failed !== undefined && failed > Date.now(), "IPv6 is marked failed in state.json");

    // Run 3: IPv6 still answers ping and the hold-down is long over, but it is marked failed.
    await pause((holdDownSeconds + 1) * 1000);
    const third = await cron(t, lab, ["--verbose"]);
    assert.equal(third.exitCode, 0, show(third));
    assert.equal(linesWith(third, wgSetLine(lab, 0, v6)).length, 0, `no retry: ${show(third)}`);
    assert.equal(linesWith(third, "Executing").length, 0, show(third));
    assert.equal(await lab.liveEndpoint(0), v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT));
  },
);

test(
  "current IPv6 pings but carries no WireGuard, handshake stale: checked and moved",
  labOpts,
  async (t) => {
    // A handshake older than 1 s counts as stale here (135 s by default), so the run checks.
    const lab = await labFor(t, { toolConfig: { handshakeFreshSeconds: 1 } });
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    await lab.dropUdpOverIpv6(lab.server(0).port);
    await pause(2_500);

    const result = await cron(t, lab);
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(linesWith(result, `${v6} fails WireGuard verification`).length, 1, show(result));
    assert.equal(linesWith(result, `moved ${v6} -> ${v4}`).length, 1, show(result));
    assert.equal(await lab.liveEndpoint(0), v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "tunnel works over IPv4");
  },
);

test(
  "IPv6 repaired after a fallback: back to IPv6 only after the hold-down",
  labOpts,
  async (t) => {
    const holdDownSeconds = 4;
    const lab = await labFor(t, { toolConfig: { holdDownSeconds } });
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    await lab.breakIpv6Silently();

    const fallback = await cron(t, lab);
    assert.equal(fallback.exitCode, 0, show(fallback));
    assert.equal(linesWith(fallback, `moved ${v6} -> ${v4}`).length, 1, show(fallback));
    assert.equal(await lab.liveEndpoint(0), v4);

    await lab.repairIpv6();
    const early = await cron(t, lab, ["--verbose"]);
    assert.equal(early.exitCode, 0, show(early));
    const held = linesWith(early, `must do so for ${holdDownSeconds} s`);
    assert.equal(held.length, 1, show(early));
    assert.ok(held[0]?.startsWith(`${peerPrefix(lab, 0)} ${v4} works`), show(early));
    assert.equal(await lab.liveEndpoint(0), v4, "still IPv4 during the hold-down");
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT));

    await pause((holdDownSeconds + 1) * 1000);
    const back = await cron(t, lab);
    await assertMoved(lab, back, v4, v6);
  },
);

test(
  "two runs started together: one works, the other skips; state stays valid",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    // A pass of several seconds (probes time out, then a WireGuard check waits for nothing), so
    // that the two runs overlap however they are scheduled.
    await lab.dropIcmpEcho();
    await lab.breakIpv6Silently();

    const results = await Promise.all([cron(t, lab), cron(t, lab)]);
    const both = results.map(show).join("\n---\n");
    for (const result of results) assert.equal(result.exitCode, 0, both);
    const skipped = results.filter((r) =>
      /^another wg-endpoint-manager \(PID \d+\) is running; skipping this pass$/m.test(r.stderr),
    );
    assert.equal(skipped.length, 1, `exactly one run skips: ${both}`);
    const worker = results.find((r) => !skipped.includes(r));
    assert.ok(worker !== undefined);
    assert.equal(linesWith(worker, `moved ${v6} -> ${v4}`).length, 1, both);
    assert.equal(skipped[0]?.stdout, "", `the skipping run does nothing else: ${both}`);

    const state = await readState(lab);
    assert.equal(state.version, 1);
    assert.equal(peerState(state, lab, 0)?.last?.endpoint, v4);
    assert.deepEqual(
      await readdir(lab.stateDir),
      ["state.json"],
      "the lock is released and no temporary file is left",
    );
    assert.equal(await lab.liveEndpoint(0), v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT));
  },
);
