/**
 * End-to-end: `watch` re-resolves a name when its DNS TTL runs out. The tunnel is
 * idle (no traffic, so no counter moves and the stall poll never fires) and the full pass is an
 * hour away: only the TTL can make the service notice that the peer moved.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import { endpoint, labFor, labOpts, TUNNEL_WAIT } from "./support/cron.js";
import { since, startWatch } from "./support/watch.js";

/** With a TTL of 5 s, the live endpoint follows a DNS change within 10 s. */
const FOLLOW_MS = 10_000;
const MOVED = "2001:db8:5::1";

test("an idle tunnel follows a DNS change within 10 s of it (TTL 5 s)", labOpts, async (t) => {
  const lab = await labFor(t, {
    dnsTtlSeconds: 5,
    // No full pass and no counter poll within the test: only the TTL can make the service act.
    // (A fresh wireguard-go interface sends IPv6 router solicitations for its first seconds,
    // which the stall poll may rightly take for traffic; that is watch.test.ts's business.)
    toolConfig: { watch: { intervalSeconds: 3_600, pollMs: 60_000 } },
  });
  const watch = await startWatch(t, lab);
  const hostname = lab.server(0).hostname;
  assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V6), "starts on IPv6");

  // The peer moves to a new IPv6 address (the old one goes silent) and DNS follows.
  await lab.moveServer(V6, MOVED);
  const started = performance.now();
  await lab.setDns(hostname, [MOVED, V4]);
  const want = endpoint(lab, 0, MOVED);
  // Waits twice as long as allowed, so that a late follow is seen as late, not as none.
  let live: string | null = null;
  for (let i = 0; i < (2 * FOLLOW_MS) / 100 && live !== want; i++) {
    live = await lab.liveEndpoint(0);
    if (live !== want) await new Promise((r) => setTimeout(r, 100));
  }
  const took = since(started);
  t.diagnostic(`live endpoint followed DNS in ${took} ms`);
  assert.equal(live, want, watch.log);
  assert.ok(took <= FOLLOW_MS, `followed after ${took} ms, allowed ${FOLLOW_MS}\n${watch.log}`);
  const lines = watch.log.split("\n");
  assert.ok(lines.includes(`${hostname}: re-resolving every 5 s (DNS TTL 5 s)`), watch.log);
  assert.ok(lines.includes(`${hostname} now resolves to ${V4}, ${MOVED}: reconciling its peers`));
  assert.doesNotMatch(watch.log, /suspect: /, "the counters had nothing to do with it");
  assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "the tunnel works on the new address");
});
