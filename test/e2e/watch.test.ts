/**
 * End-to-end: `wg-endpoint-manager watch` as a service in the client namespace, on real WireGuard.
 * Each test starts from a tunnel that works over IPv6 and traffic through it (a ping loop), as on
 * a host in use; the service must notice a failure from the counters and repair it in seconds.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { type Lab, TOOL_BIN, SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  cron,
  endpoint,
  labFor,
  labOpts,
  pause,
  peerState,
  readState,
  show,
  TUNNEL_WAIT,
} from "./support/cron.js";
import {
  launchInClient,
  since,
  startWatch,
  stopAfter,
  type WatchProcess,
} from "./support/watch.js";

/** A broken tunnel carries traffic again within 10 s. */
const RECOVERY_MS = 10_000;

/** Saves the way editors do: a new file in the same folder, renamed over the old one. */
async function saveLikeAnEditor(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${Date.now()}.swp`);
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}

/** `text` as a literal in a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Waits (bounded) until peer `index`'s live endpoint satisfies `ok`; the last one seen. */
async function waitForEndpoint(
  lab: Lab,
  index: number,
  ok: (endpoint: string | null) => boolean,
  timeoutMs: number,
): Promise<string | null> {
  const deadline = performance.now() + timeoutMs;
  let last: string | null = null;
  for (let i = 0; i < timeoutMs / 100 + 1; i++) {
    last = await lab.liveEndpoint(index);
    if (ok(last) || performance.now() >= deadline) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

const IPV6_FAULTS = [
  ["silently (the peer discards our IPv6 packets)", (lab: Lab) => lab.breakIpv6Silently()],
  ["loudly (ip6tables in the client)", (lab: Lab) => lab.breakIpv6Loudly()],
] as const;

for (const [how, inject] of IPV6_FAULTS) {
  test(`IPv6 breaks ${how}: traffic flows again over IPv4 within 10 s`, labOpts, async (t) => {
    const lab = await labFor(t);
    const watch = await startWatch(t, lab);
    assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V6));

    const started = performance.now();
    await inject(lab);
    // Waits twice as long as allowed, so that a late recovery is seen as late, not as none.
    const works = await lab.tunnelWorks(0, { timeoutMs: 2 * RECOVERY_MS });
    const took = since(started);
    t.diagnostic(`recovered in ${took} ms`);
    assert.ok(works, `tunnel works again (waited ${took} ms)\n${watch.log}`);
    assert.ok(
      took <= RECOVERY_MS,
      `recovered after ${took} ms, allowed ${RECOVERY_MS}\n${watch.log}`,
    );
    assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V4));
    assert.match(watch.log, /suspect: /);
  });
}

test(
  "Endpoint changed to another hostname, saved by rename: followed within 5 s",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const watch = await startWatch(t, lab);
    assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V6), "starts on IPv6");
    await lab.setDns("moved.wgem.test", [V4]);
    const original = await readFile(lab.clientConfFile, "utf8");
    const edited = original.replace(`${lab.server(0).hostname}:`, "moved.wgem.test:");
    assert.notEqual(edited, original);

    const started = performance.now();
    await saveLikeAnEditor(lab.clientConfFile, edited);
    const want = endpoint(lab, 0, V4);
    // Waits twice as long as allowed, so that the time check below can fail on its own.
    const live = await waitForEndpoint(lab, 0, (e) => e === want, 10_000);
    const took = since(started);
    t.diagnostic(`live endpoint followed in ${took} ms`);
    assert.equal(live, want, watch.log);
    assert.ok(took <= 5_000, `took ${took} ms`);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "tunnel works on the new endpoint");

    // `status` reads what the running service recorded (once its pass is saved).
    assert.ok(await watch.waitForLog(/ moved .* -> /, 10_000), watch.log);
    const shown = await lab.runTool(["status"]);
    assert.equal(shown.exitCode, 0, shown.stderr);
    const key = lab.server(0).publicKey.slice(0, 8);
    const [header, row, ...rest] = shown.stdout.trimEnd().split("\n");
    assert.match(
      header ?? "",
      /^INTERFACE +PEER +HOSTNAME +ENDPOINT +SINCE +LAST CHECK +RESULT +ON$/,
    );
    const cells = `${lab.interface} +${literal(key)} +moved\\.wgem\\.test +${literal(want)} +\\d+ s ago +\\d+ s ago +up +primary`;
    assert.match(row ?? "", new RegExp(`^${cells}$`), shown.stdout);
    assert.deepEqual(rest, [], shown.stdout);
  },
);

test("a [Peer] added to the file is managed from then on", labOpts, async (t) => {
  const lab = await labFor(t, { servers: [{}, {}] });
  const full = await readFile(lab.clientConfFile, "utf8");
  const at = full.lastIndexOf("[Peer]");
  await saveLikeAnEditor(lab.clientConfFile, full.slice(0, at));
  const watch = await startWatch(t, lab);
  // Peer 2 is on the interface but not in the file: the service must leave it alone.
  const stray = "203.0.113.77:51821";
  await lab.setEndpoint(1, stray);
  await new Promise((r) => setTimeout(r, 1_500));
  assert.equal(await lab.liveEndpoint(1), stray, "a peer not in the file is not managed");

  await saveLikeAnEditor(lab.clientConfFile, full);
  const want = endpoint(lab, 1, "2001:db8:2::1");
  const live = await waitForEndpoint(lab, 1, (e) => e === want, 10_000);
  assert.equal(live, want, watch.log);
  assert.ok(await lab.tunnelWorks(1, TUNNEL_WAIT), "the added peer's tunnel works");
});

test(
  "a corrupted file is reported and its last good version stays in force",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const watch = await startWatch(t, lab);
    const good = await readFile(lab.clientConfFile, "utf8");
    const bad = good.replace("[Peer]", "[Peer]\nthis line is garbage");
    const line = bad.split("\n").indexOf("this line is garbage") + 1;
    const from = watch.log.length;
    await saveLikeAnEditor(lab.clientConfFile, bad);
    const file = `/etc/wireguard/${lab.interface}.conf`;
    const peer = `${lab.interface} peer ${lab.server(0).publicKey.slice(0, 8)}`;
    const error = `${file}:${line}: ${peer}: error: expected "Key = Value", got "this line is garbage"; peer skipped`;
    const kept = `${file}: warning: keeping the last good version in force until the file is fixed`;
    const reported = await watch.waitForLog(new RegExp(`^${literal(kept)}$`, "m"), 5_000, from);
    assert.ok(reported, `the last good version is kept\n${watch.log.slice(from)}`);
    assert.ok(watch.log.slice(from).split("\n").includes(error), watch.log.slice(from));

    // Still managed through the last good version: a broken IPv6 path is still repaired.
    const started = performance.now();
    await lab.breakIpv6Silently();
    const works = await lab.tunnelWorks(0, { timeoutMs: RECOVERY_MS });
    assert.ok(works, `recovered with the last good version (${since(started)} ms)\n${watch.log}`);
    assert.equal(await lab.liveEndpoint(0), endpoint(lab, 0, V4));
    assert.ok(watch.running, "the service keeps running");
  },
);

test(
  "SIGTERM while a move is being verified: undone, state saved, lock free, exit 0 at once",
  labOpts,
  async (t) => {
    const holdDownSeconds = 1;
    // A long verification, so that the signal surely lands in it.
    const lab = await labFor(t, { toolConfig: { holdDownSeconds, verify: { timeoutMs: 30_000 } } });
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    await lab.setEndpoint(0, v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "healthy on IPv4");
    // IPv6 answers ping but carries no WireGuard: the move back to it can never be verified.
    await lab.dropUdpOverIpv6(lab.server(0).port);
    const first = await cron(t, lab);
    assert.equal(first.exitCode, 0, show(first));
    await pause((holdDownSeconds + 1) * 1000);

    const command = [process.execPath, TOOL_BIN, "watch", "--verbose"];
    const started = (w: WatchProcess) => w.waitForLog(/^watching /m, 15_000);
    const watch = stopAfter(t, await launchInClient(lab, command, started));
    const moved = await waitForEndpoint(lab, 0, (e) => e === v6, 15_000);
    assert.equal(moved, v6, `the service moved to IPv6 and is verifying it:\n${watch.log}`);

    const signalled = performance.now();
    const code = await watch.stop("SIGTERM", 5_000);
    const took = since(signalled);
    t.diagnostic(`exit ${code} ${took} ms after SIGTERM`);
    assert.equal(code, 0, `exited 0 within 5 s (signal ${watch.exitSignal})\n${watch.log}`);
    assert.ok(took < 2_000, `stopped within 2 s, took ${took} ms`);
    assert.equal(await lab.liveEndpoint(0), v4, "the unverified move is undone");
    assert.match(watch.log, /SIGTERM: stopping; the pass under way makes no new move/);
    assert.match(
      watch.log,
      new RegExp(
        `restored ${literal(v4)}: interrupted by SIGTERM before ${literal(v6)} was verified`,
      ),
    );
    assert.match(
      watch.log,
      /interrupted by SIGTERM: stopped, unverified moves undone; state saved/,
    );
    assert.equal(existsSync(join(lab.stateDir, "lock")), false, "the lock file is removed");
    const saved = peerState(await readState(lab), lab, 0);
    assert.equal(saved?.last?.endpoint, v4, "state saved with the endpoint put back");

    const after = await lab.runTool([]);
    assert.doesNotMatch(`${after.stdout}${after.stderr}`, /skipping/, "the lock was released");
  },
);

test(
  "the state folder removed under the service: it holds the lock again and a cron run is refused",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const watch = await startWatch(t, lab);
    const from = watch.log.length;
    await rm(lab.stateDir, { recursive: true });
    const retaken = new RegExp(`${literal(join(lab.stateDir, "lock"))} was gone`);
    // The service's next poll (0.5 s) holds the lock again; then a cron run comes.
    const retook = await watch.waitForLog(retaken, 5_000, from);
    const cronRun = await lab.runTool([]);
    const said = `${cronRun.stdout}${cronRun.stderr}`;
    const refused = `another wg-endpoint-manager \\(PID ${watch.pid}\\) is running; skipping this pass`;
    assert.match(said, new RegExp(refused));
    assert.ok(retook, watch.log.slice(from));
    assert.ok(watch.running, "the service keeps running");
  },
);

test(
  "50 SIGHUPs within a second: at most 2 reloads and a handful of log lines",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const watch = await startWatch(t, lab);
    const from = watch.log.length;
    for (let i = 0; i < 50; i++) {
      watch.signal("SIGHUP");
      await pause(15);
    }
    // The last reload starts at most a second after the first; then the service is quiet.
    await pause(3_000);
    const logged = watch.log.slice(from).trimEnd().split("\n");
    const reloads = logged.filter((l) => l === "settings reloaded").length;
    assert.ok(reloads >= 1 && reloads <= 2, `${reloads} reloads:\n${logged.join("\n")}`);
    // --verbose: each reload's full pass prints its reasoning (8 lines for the lab's one peer).
    assert.ok(logged.length <= 30, `${logged.length} lines:\n${logged.join("\n")}`);
    assert.ok(watch.running, "the service keeps running");
  },
);
