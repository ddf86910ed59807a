/**
 * End-to-end: fallback endpoints (settings `peers.<key>.fallbackEndpoints`). UDP 51820 blocked
 * while ping answers and the peer also listens on 443: one run moves to host:443, verified. The
 * peer's own name gone (NXDOMAIN) while a fallback name resolves: one run moves to the fallback.
 * The own name repaired: after the hold-down, one run moves back, verified.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import type { Lab } from "./lab/index.js";
import { SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  assertMoved,
  cron,
  endpoint,
  FAST,
  labFor,
  labOpts,
  linesWith,
  pause,
  peerPrefix,
  peerState,
  readState,
  show,
  TUNNEL_WAIT,
} from "./support/cron.js";

// Another address of the server, for the fallback name of the NXDOMAIN tests (routed, not on-link).
const ALT = "203.0.113.10";
const ALT_NAME = "alt1.wgem.test";

test(
  "UDP 51820 dropped while ping answers, peer also on 443: one run moves to host:443",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const { hostname, port } = lab.server(0);
    const fallback = `${hostname}:443`;
    // A handshake older than 1 s is stale here, so the run checks the current endpoint.
    const config = await settingsFile(lab, [fallback], { handshakeFreshSeconds: 1 });
    await lab.faults.dropUdp(port);
    await lab.faults.forwardUdp(443, port);
    await pause(2_500);

    const result = await cron(t, lab, ["--config", config]);
    const to = `[${V6}]:443`;
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(
      linesWith(result, `${endpoint(lab, 0, V6)} fails WireGuard`).length,
      1,
      show(result),
    );
    assert.equal(
      linesWith(result, `${endpoint(lab, 0, V4)} fails WireGuard`).length,
      1,
      show(result),
    );
    const moved = linesWith(result, `moved ${endpoint(lab, 0, V4)} -> ${to}: `);
    assert.equal(moved.length, 1, show(result));
    assert.ok(moved[0]?.includes(`${to} (fallback 1, ${fallback}) answers`), show(result));
    assert.ok(moved[0]?.includes("; verified: "), show(result));
    assert.equal(await lab.liveEndpoint(0), to);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "tunnel works over UDP 443");
    await assertStatus(t, lab, config, to, `fallback 1, ${fallback}`);
  },
);

test(
  "the peer's own name becomes NXDOMAIN while a fallback name resolves: one run moves to it",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const config = await moveToAlt(t, lab, 60);
    await assertStatus(t, lab, config, `${ALT}:${lab.server(0).port}`, "fallback 1, ");
  },
);

test(
  "the own name repaired: kept on the fallback during the hold-down, then moved back, verified",
  labOpts,
  async (t) => {
    const holdDownSeconds = 3;
    const lab = await labFor(t);
    const config = await moveToAlt(t, lab, holdDownSeconds);
    const { hostname, port } = lab.server(0);
    const alt = `${ALT}:${port}`;
    await lab.setDns(hostname, [V6, V4]);
    await lab.faults.restoreUdp(port, V6);
    await lab.faults.restoreUdp(port, V4);

    const early = await cron(t, lab, ["--config", config, "--verbose"]);
    assert.equal(early.exitCode, 0, show(early));
    const held = linesWith(early, `must do so for ${holdDownSeconds} s first`);
    assert.equal(held.length, 1, show(early));
    assert.ok(held[0]?.startsWith(`${peerPrefix(lab, 0)} ${alt} works (fallback 1, `), show(early));
    assert.equal(await lab.liveEndpoint(0), alt, "still on the fallback during the hold-down");

    await pause((holdDownSeconds + 1) * 1000);
    const back = await cron(t, lab, ["--config", config]);
    await assertMoved(lab, back, alt, endpoint(lab, 0, V6));
    assert.equal(linesWith(back, "moving back from fallback 1, ").length, 1, show(back));
    const last = peerState(await readState(lab), lab, 0)?.last;
    assert.equal(last !== undefined && "fallback" in last, false, "no longer on a fallback");
  },
);

// --- internal ---

/**
 * The server leaves its own addresses for ALT (UDP to them dropped, ping still answered), its
 * name becomes NXDOMAIN, and the fallback name ALT_NAME resolves to ALT: one run moves there.
 * Returns the settings file (the fallback, hold-down `holdDownSeconds`).
 */
async function moveToAlt(t: TestContext, lab: Lab, holdDownSeconds: number): Promise<string> {
  const { hostname, port } = lab.server(0);
  const fallback = `${ALT_NAME}:${port}`;
  // Stale after 1 s: the run checks the current endpoint. A failed check holds an endpoint for
  // 1 s only, so that the return to the own name can go to its first address, as it would
  // after the default 10 minutes.
  const config = await settingsFile(lab, [fallback], {
    handshakeFreshSeconds: 1,
    verify: { ...FAST.verify, failedHoldSeconds: 1 },
    holdDownSeconds,
  });
  await lab.addServerAddress(ALT);
  await lab.setDns(ALT_NAME, [ALT]);
  await lab.setDns(hostname, []);
  await lab.faults.dropUdp(port, V6);
  await lab.faults.dropUdp(port, V4);
  await pause(2_500);

  const result = await cron(t, lab, ["--config", config]);
  const from = endpoint(lab, 0, V6);
  const alt = `${ALT}:${port}`;
  const moved = linesWith(result, `moved ${from} -> ${alt}: ${hostname} has no A or AAAA record; `);
  assert.equal(moved.length, 1, show(result));
  assert.ok(moved[0]?.includes(`${alt} (fallback 1, ${fallback}) answers`), show(result));
  await assertMoved(lab, result, from, alt);
  return config;
}

/**
 * A settings file of the lab's (root-owned, mode 0600, passed with --config) giving server 0
 * the fallbacks `fallbacks` (and `holdDownSeconds`, default 60), with the quick verification of
 * the other e2e tests unless `settings` says otherwise.
 */
async function settingsFile(
  lab: Lab,
  fallbacks: readonly string[],
  { holdDownSeconds = 60, ...settings }: Readonly<Record<string, unknown>>,
): Promise<string> {
  const file = join(lab.names.tmpDir, "fallback-settings.json");
  const key = lab.server(0).publicKey;
  const body = {
    stateDir: lab.stateDir,
    ...FAST,
    ...settings,
    peers: { [key]: { fallbackEndpoints: fallbacks, holdDownSeconds } },
  };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** `status` prints server 0's line with `text` in it. */
/** `status` shows the peer's row on `endpoint`, with `on` (which fallback) in its last column. */
async function assertStatus(
  t: TestContext,
  lab: Lab,
  config: string,
  endpoint: string,
  on: string,
): Promise<void> {
  const status = await cron(t, lab, ["status", "--config", config]);
  assert.equal(status.exitCode, 0, show(status));
  const rows = linesWith(status, `  ${endpoint}  `).filter((row) => row.includes(`  up  `));
  assert.equal(rows.length, 1, show(status));
  assert.ok(rows[0]?.trimEnd().endsWith(on) || rows[0]?.includes(`  ${on}`), show(status));
}
