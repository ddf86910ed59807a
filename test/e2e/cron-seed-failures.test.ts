/**
 * End-to-end: the failures the tool was written for, each repaired (or honestly reported) by one
 * zero-argument run: the peer moved, some records dead, IPv6 broken loudly or silently, one of
 * two peers broken, nothing reachable at all.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { type Lab, SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  assertMoved,
  cron,
  endpoint,
  labFor,
  labOpts,
  linesWith,
  peerPrefix,
  readState,
  show,
  TUNNEL_WAIT,
} from "./support/cron.js";

test("the peer moved and DNS changed: one run follows it", labOpts, async (t) => {
  const lab = await labFor(t, { servers: [{ addresses: ["2001:db8:2::10", "198.51.100.10"] }] });
  const old = endpoint(lab, 0, "2001:db8:2::10");
  assert.equal(await lab.liveEndpoint(0), old);
  await lab.moveServer("2001:db8:2::10", "2001:db8:2::20");
  await lab.moveServer("198.51.100.10", "198.51.100.20");
  await lab.setDns(lab.server(0).hostname, ["2001:db8:2::20", "198.51.100.20"]);
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 2_500 }), false, "the move broke it");

  const result = await cron(t, lab);
  const now = endpoint(lab, 0, "2001:db8:2::20");
  await assertMoved(lab, result, old, now);
});

test(
  "several A records, the current one dead: one run moves to the working one",
  labOpts,
  async (t) => {
    const lab = await labFor(t, { servers: [{ addresses: ["198.51.100.10"] }] });
    await lab.makeSilentDead("198.51.100.99");
    await lab.setDns(lab.server(0).hostname, ["198.51.100.99", "198.51.100.10"]);
    const dead = endpoint(lab, 0, "198.51.100.99");
    await lab.setEndpoint(0, dead);
    assert.equal(await lab.tunnelWorks(0, { timeoutMs: 2_500 }), false, "on the dead record");

    const result = await cron(t, lab);
    const good = endpoint(lab, 0, "198.51.100.10");
    await assertMoved(lab, result, dead, good);
  },
);

for (const how of ["loudly", "silently"] as const) {
  test(`IPv6 broken ${how}: one run moves to IPv4`, labOpts, async (t) => {
    const lab = await labFor(t);
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    assert.equal(await lab.liveEndpoint(0), v6);
    if (how === "loudly") await lab.breakIpv6Loudly();
    else await lab.breakIpv6Silently();
    assert.equal(await lab.tunnelWorks(0, { timeoutMs: 2_500 }), false, "IPv6 tunnel broken");

    const result = await cron(t, lab);
    assert.equal(result.exitCode, 0, show(result));
    const moved = linesWith(result, `moved ${v6} -> ${v4}`);
    assert.equal(moved.length, 1, show(result));
    assert.ok(moved[0]?.startsWith(peerPrefix(lab, 0)), show(result));
    assert.match(moved[0] ?? "", /verified: /, show(result));
    assert.ok(result.stdout.includes("moved"), `the change is on stdout: ${show(result)}`);
    assert.equal(await lab.liveEndpoint(0), v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "tunnel works over IPv4");

    const state = await readState(lab);
    assert.equal(state.version, 1);
    const peer = state.peers[`${lab.interface}/${lab.server(0).publicKey}`];
    assert.equal(peer?.last?.endpoint, v4, "state records the new endpoint");
  });
}

test("two peers on one interface, one broken: only that one moves", labOpts, async (t) => {
  const lab = await labFor(t, { servers: [{}, {}] });
  const first = endpoint(lab, 0, V6);
  const second = endpoint(lab, 1, "2001:db8:2::1");
  await lab.makeSilentDead("2001:db8:2::1");
  assert.equal(await lab.tunnelWorks(1, { timeoutMs: 2_500 }), false, "peer 2 broken");

  const result = await cron(t, lab);
  assert.equal(result.exitCode, 0, show(result));
  const moved = endpoint(lab, 1, "198.51.100.1");
  assert.equal(linesWith(result, `moved ${second} -> ${moved}`).length, 1, show(result));
  assert.equal(linesWith(result, peerPrefix(lab, 0)).length, 0, `peer 1 is quiet: ${show(result)}`);
  assert.equal(await lab.liveEndpoint(1), moved);
  assert.equal(await lab.liveEndpoint(0), first, "the healthy peer is untouched");
  assert.ok(await lab.tunnelWorks(1, TUNNEL_WAIT), "the broken peer works again");
  assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "the healthy peer still works");
});

test("nothing reachable: exit 1, an error line, the endpoint is restored", labOpts, async (t) => {
  const lab = await labFor(t);
  const v6 = endpoint(lab, 0, V6);
  await lab.makeSilentDead(V6);
  await lab.makeSilentDead(V4);

  const result = await cron(t, lab);
  assert.equal(result.exitCode, 1, show(result));
  const errors = result.stderr.split("\n").filter((line) => line.includes("error: "));
  assert.ok(errors.length >= 1, `an error line on stderr: ${show(result)}`);
  assert.ok(
    errors.every((line) => line.startsWith(peerPrefix(lab, 0))),
    show(result),
  );
  assert.equal(
    linesWith(result, `${peerPrefix(lab, 0)} error: restored ${v6}`).length,
    1,
    `says it restored the original endpoint: ${show(result)}`,
  );
  assert.equal(linesWith(result, "moved").length, 0, show(result));
  assert.equal(await lab.liveEndpoint(0), v6, "the original endpoint is back");
});

/** A total outage (every address silent), reported by one run as in the test above. */
async function afterTotalOutage(t: TestContext, lab: Lab): Promise<void> {
  await lab.makeSilentDead(V6);
  await lab.makeSilentDead(V4);
  const outage = await cron(t, lab);
  assert.equal(outage.exitCode, 1, show(outage));
  assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V6));
}

test("after a total outage only IPv4 comes back: the next run moves there", labOpts, async (t) => {
  const lab = await labFor(t);
  await afterTotalOutage(t, lab);
  await lab.revive(V4);

  const result = await cron(t, lab);
  const v4 = endpoint(lab, 0, V4);
  await assertMoved(lab, result, endpoint(lab, 0, V6), v4);
});

test("after a total outage everything comes back: the next run is quiet", labOpts, async (t) => {
  const lab = await labFor(t);
  await afterTotalOutage(t, lab);
  await lab.revive(V6);
  await lab.revive(V4);
  assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "the restored endpoint works again");

  const result = await cron(t, lab);
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(result.stdout, "", `nothing to mail: ${show(result)}`);
  assert.equal(result.stderr, "", `nothing to mail: ${show(result)}`);
  assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V6));
  assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT));
});
