/**
 * End-to-end: an idle tunnel (keepalives only, no data) whose IPv6 path breaks silently. No
 * counter can show it (a keepalive is never answered), and full passes are an hour apart here:
 * the service's idle check of each endpoint between passes must find and repair it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import { endpoint, labFor, labOpts, TUNNEL_WAIT } from "./support/cron.js";
import { since, startWatch } from "./support/watch.js";

test(
  "an idle tunnel whose IPv6 breaks silently is moved to IPv4 by the idle check",
  labOpts,
  async (t) => {
    const lab = await labFor(t, {
      servers: [{ persistentKeepalive: 5 }],
      toolConfig: { watch: { intervalSeconds: 3_600 } },
    });
    const watch = await startWatch(t, lab);
    assert.ok(await watch.waitForLog(/ keep | works /, 10_000), watch.log);
    assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V6));
    await sleep(4_000); // idle: the checks of a healthy endpoint raise nothing
    assert.doesNotMatch(watch.log, /suspect/);

    const started = performance.now();
    await lab.breakIpv6Silently();
    const moved = await watch.waitForLog(/ moved .* -> /, 30_000);
    t.diagnostic(`moved after ${since(started)} ms`);
    assert.ok(moved, watch.log);
    assert.match(watch.log, /stopped answering ping \(.*\) on an idle check/);
    assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V4));
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "the tunnel works over IPv4");
  },
);
