/**
 * End-to-end: the unit's ExecStart (notify-fd, then `watch`), under the unit's capabilities, with
 * a real notify socket the test reads as systemd would. Type=notify: READY=1 only once the first
 * pass has ended and /metrics is bound; STATUS= says how the peers are; WATCHDOG=1 comes every
 * half WATCHDOG_USEC from the main PID (so NotifyAccess= stays main), and stops while the process
 * is frozen (SIGSTOP), as it would when the event loop is wedged. SIGHUP: RELOADING=1 with
 * MONOTONIC_USEC=, then READY=1 once the settings are read again.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { FAST, labFor, labOpts, peerState, readState, type StateFile } from "./support/cron.js";
import { type NotifyMessage, NotifySocket } from "./support/notify-socket.js";
import { readServiceExec, setprivArgv } from "./support/unit-file.js";
import { launchInClient, stopAfter } from "./support/watch.js";

/** The watchdog period the test gives (systemd's is the unit's WatchdogSec=): pings every 500 ms. */
const WATCHDOG_USEC = 1_000_000;
const STATUS = /^1 peer up, last pass \d+ s ago$/;

test(
  "the unit's ExecStart: READY after the first pass, STATUS, watchdog pings that stop while frozen, RELOADING on SIGHUP",
  labOpts,
  async (t) => {
    const exec = await readServiceExec();
    assert.equal(exec.type, "notify");
    assert.equal(exec.notifyAccess, "", "NotifyAccess= is left at main");
    assert.match(exec.watchdogSec, /^\d+s$/);
    const lab = await labFor(t);
    await lab.writeToolConfig({ ...FAST, metrics: { listen: "127.0.0.1:9777" } });
    const notify = await NotifySocket.open(lab.names.tmpDir);
    t.after(() => notify.close());

    const env = { NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: String(WATCHDOG_USEC) };
    const argv = setprivArgv(exec, [], env);
    t.diagnostic(`running: ${argv.join(" ")}`);
    let stateAtReady: StateFile | undefined;
    const service = stopAfter(
      t,
      await launchInClient(lab, argv, async () => {
        const ready = await notify.waitFor("READY", /^1$/, 30_000);
        stateAtReady = await readState(lab).catch(() => undefined);
        return ready !== undefined;
      }),
    );
    t.after(() => service.signal("SIGCONT"));

    const [ready, ...more] = notify.carrying("READY");
    assert.ok(ready !== undefined && more.length === 0, "one READY=1");
    assert.equal(ready.pid, service.pid, "READY=1 comes from the main PID");
    assert.match(ready.fields.get("STATUS") ?? "", STATUS);
    assert.ok(stateAtReady !== undefined, "the first pass saved its state before READY=1");
    assert.ok(peerState(stateAtReady, lab, 0)?.last, "and recorded the peer");
    assert.match(service.log, /serving metrics on http:\/\/127\.0\.0\.1:9777\/metrics/);

    // Pings every 500 ms, each with a STATUS whose age has moved on with the clock.
    const from = performance.now();
    await sleep(3_000);
    const pings = notify.carrying("WATCHDOG", from);
    assert.ok(pings.length >= 4, `${pings.length} pings in 3 s`);
    for (const p of pings) {
      assert.equal(p.fields.get("WATCHDOG"), "1");
      assert.equal(p.pid, service.pid, "pings come from the main PID");
      assert.match(p.fields.get("STATUS") ?? "", STATUS);
    }
    const ages = pings.map((p) =>
      Number(/last pass (\d+) s/.exec(p.fields.get("STATUS") ?? "")?.[1]),
    );
    assert.ok((ages.at(-1) ?? 0) >= 2, `the age in STATUS grows: ${ages.join(" ")}`);

    // Frozen, the process sends nothing; thawed, it pings again.
    service.signal("SIGSTOP");
    const frozen = performance.now();
    await sleep(3_000);
    const thawed = performance.now();
    service.signal("SIGCONT");
    // A datagram written just before SIGSTOP may still be on its way to the reader's output.
    const whileFrozen = notify.carrying("WATCHDOG", frozen + 200, thawed);
    assert.deepEqual(whileFrozen.length, 0, "no ping while frozen");
    assert.ok(await notify.waitFor("WATCHDOG", /^1$/, 3_000, notify.messages.length));

    // SIGHUP: RELOADING=1 stamped with CLOCK_MONOTONIC (shared with this process), then READY=1.
    const hup = notify.messages.length;
    const before = process.hrtime.bigint() / 1000n;
    service.signal("SIGHUP");
    const readyAgain = await notify.waitFor("READY", /^1$/, 10_000, hup);
    const after = process.hrtime.bigint() / 1000n;
    const reloading = notify.messages.slice(hup).filter((m) => m.fields.has("RELOADING"));
    assert.equal(reloading.length, 1, "one RELOADING=1");
    const [reload] = reloading;
    assert.equal(reload?.fields.get("RELOADING"), "1");
    assert.equal(reload?.pid, service.pid);
    const usec = BigInt(reload?.fields.get("MONOTONIC_USEC") ?? "-1");
    assert.ok(before <= usec && usec <= after, `MONOTONIC_USEC ${before} <= ${usec} <= ${after}`);
    assert.ok(readyAgain !== undefined, "READY=1 again");
    const order = [reload, readyAgain].map((m) => notify.messages.indexOf(m as NotifyMessage));
    assert.ok(order[0] !== -1 && (order[0] ?? 0) < (order[1] ?? 0), "RELOADING=1, then READY=1");
    assert.match(service.log, /settings reloaded/);

    // SIGTERM: STOPPING=1, then a clean exit.
    assert.equal(await service.stop("SIGTERM"), 0, service.log);
    const stopping = notify.carrying("STOPPING");
    assert.equal(stopping.length, 1, "one STOPPING=1");
    assert.equal(stopping[0]?.pid, service.pid);
  },
);
