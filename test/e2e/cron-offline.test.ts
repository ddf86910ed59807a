/**
 * End-to-end: "this host is offline" is not "the peer is down". While the
 * client's uplink is gone, cron runs say so once per interface, exit 1, move nothing and mark no
 * address failed; the first run after the uplink returns repairs the tunnels (IPv6 broke during
 * the outage), with no address held back.
 *
 * The issue asks for an outage of a minute; these outages last two runs (about 10-15 s). The
 * tool keeps no timer between runs: each run decides from what it sees, so a longer outage is
 * only more runs like these. What a minute would show, a failed-hold (600 s) outlasting the
 * outage, shows just as well after a short one: that is what "no address held back" checks.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import type { Lab } from "./lab/index.js";
import { uplinkDown, uplinkHeard, uplinkSilent, uplinkUp } from "./lab/uplink.js";
import {
  assertMoved,
  cron,
  endpoint,
  FAST,
  labFor,
  labOpts,
  lines,
  linesWith,
  peerState,
  readState,
  show,
} from "./support/cron.js";

const V6 = ["2001:db8:1::1", "2001:db8:2::1"] as const;
const V4 = ["192.0.2.1", "198.51.100.1"] as const;

/** Two runs during the outage: each says "offline" once, exits 1, and changes nothing. */
async function duringOutage(t: TestContext, lab: Lab, reason: string): Promise<void> {
  const line = `${lab.interface}: error: this host looks offline (${reason}): no endpoint changed, no address marked failed; trying again next pass`;
  for (let run = 1; run <= 2; run++) {
    const result = await cron(t, lab);
    assert.equal(result.exitCode, 1, show(result));
    assert.deepEqual(linesWith(result, "offline"), [line], show(result));
    assert.deepEqual(linesWith(result, "wg set"), [], show(result));
    for (const i of [0, 1]) assert.equal(await lab.liveEndpoint(i), endpoint(lab, i, V6[i] ?? ""));
    const state = await readState(lab);
    for (const i of [0, 1])
      assert.deepEqual(peerState(state, lab, i)?.failedUntil, {}, `run ${run}: nothing held back`);
    assert.match(await readFile(textfile(lab), "utf8"), /^wgem_host_offline 1$/m);
  }
}

/** The first run after the outage moves both peers off the IPv6 that broke meanwhile. */
async function afterOutage(t: TestContext, lab: Lab): Promise<void> {
  const result = await cron(t, lab);
  assert.deepEqual(
    lines(result).filter((l) => /offline|recently|again/.test(l)),
    [],
    show(result),
  );
  for (const i of [0, 1])
    await assertMoved(lab, result, endpoint(lab, i, V6[i] ?? ""), endpoint(lab, i, V4[i] ?? ""), i);
  assert.match(await readFile(textfile(lab), "utf8"), /^wgem_host_offline 0$/m);
}

/** A lab of two peers whose runs write the metrics (wgem_host_offline) to textfile(lab). */
async function twoPeerLab(t: TestContext): Promise<Lab> {
  const lab = await labFor(t, { servers: [{}, {}] });
  await lab.writeToolConfig({ ...FAST, metrics: { textfile: textfile(lab) } });
  return lab;
}

function textfile(lab: Lab): string {
  return join(lab.names.tmpDir, "wgem.prom");
}

test(
  "the uplink goes down (no route) and comes back: repaired by the first run",
  labOpts,
  async (t) => {
    const lab = await twoPeerLab(t);
    await uplinkDown(lab.names);
    await uplinkSilent(lab.names, 6); // the peers' IPv6 breaks while the host is away
    await duringOutage(t, lab, "no route to any peer's address");
    await uplinkUp(lab.names);
    await afterOutage(t, lab);
  },
);

test(
  "the uplink stays up but nothing answers beyond it, then comes back: repaired by the first run",
  labOpts,
  async (t) => {
    const lab = await twoPeerLab(t);
    await uplinkSilent(lab.names, 4);
    await uplinkSilent(lab.names, 6);
    await duringOutage(t, lab, "none of 2 peers answered ping or WireGuard");
    await uplinkHeard(lab.names, 4); // IPv4 comes back; IPv6 stays broken
    await afterOutage(t, lab);
  },
);
