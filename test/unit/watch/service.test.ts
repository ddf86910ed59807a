import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "../../../src/clock.js";
import type { Verdict } from "../../../src/decide/types.js";
import type { LivePeer } from "../../../src/model.js";
import type { Wg } from "../../../src/observe/wg.js";
import type { PassDeps } from "../../../src/pass/deps.js";
import type { Line } from "../../../src/report/format.js";
import { DEFAULTS, type Settings } from "../../../src/settings/schema.js";
import { ServiceLock } from "../../../src/state/service-lock.js";
import { EMPTY_STATE, type State } from "../../../src/state/shape.js";
import type { FileEvent } from "../../../src/watch/config-files.js";
import { type ServiceDeps, WatchService } from "../../../src/watch/service.js";

// The service with a fake clock, a fake `wg`, fake DNS/ICMP and a fake file watcher: what it
// does on start, on a file change, on a stalled tunnel, on bad settings and on stop.

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const CONF = `[Interface]
PrivateKey = 6KlCNMKAkKcfT+iQxfl7ABTz4yiso5iwGjJgdGVu9VQ=
[Peer]
PublicKey = ${KEY}
AllowedIPs = 172.25.1.1/32
Endpoint = vpn.example.test:51820
`;
const V6 = "[2001:db8:1::1]:51820";
const V4 = "192.0.2.1:51820";

/** A peer on a fake interface whose IPv6 address is dead and IPv4 address works. */
class Fixture {
  now = 1_764_050_000_000;
  live: LivePeer = {
    publicKey: KEY,
    endpoint: V6,
    allowedIps: ["172.25.1.1/32"],
    latestHandshake: 0,
    rxBytes: 0,
    txBytes: 0,
  };
  offered = 0;
  showAlls = 0;
  sets: string[] = [];
  resolved: string[] = [];
  /** Fake time each DNS answer takes. */
  dnsMs = 0;
  /** Every address an echo policy was sent to, in order. */
  probed: string[] = [];
  /** The timeout of each address's last echoes. */
  timeouts = new Map<string, number>();
  closed = 0;
  /** Passes ended. */
  passes = 0;
  lines: Line[] = [];
  onFile: ((e: FileEvent) => Promise<void>) | undefined;
  /** Replaces the check through the tunnel (given the pass's abort signal) when set. */
  checkHook: ((signal: AbortSignal | undefined) => Promise<Verdict>) | undefined;
  unwatched = false;
  /** The paths of each watcher started, and how many were stopped. */
  watches: string[][] = [];
  unwatches = 0;
  readonly dir = mkdtempSync(join(tmpdir(), "wgem-svc-"));
  readonly settings: Settings;
  readonly clock: Clock = {
    now: () => this.now,
    sleep: async (ms) => {
      this.now += ms;
    },
  };

  constructor(conf: string | undefined, overrides: Partial<Settings> = {}) {
    this.settings = {
      ...DEFAULTS,
      configDir: join(this.dir, "conf"),
      stateDir: join(this.dir, "state"),
      // Timers never fire in a test: polls are called by hand.
      watch: { intervalSeconds: 3600, pollMs: 3_600_000, silenceMs: 2000, ttlFloorSeconds: 3600 },
      ...overrides,
    };
    mkdirSync(this.settings.configDir);
    if (conf !== undefined) writeFileSync(join(this.settings.configDir, "wg0.conf"), conf);
  }

  service(
    loadSettings: () => Promise<Settings> = async () => this.settings,
    state: State = EMPTY_STATE,
    lock?: ServiceLock,
  ): WatchService {
    return new WatchService(this.settings, state, false, {
      ...(lock !== undefined ? { lock } : {}),
      ...this.deps(),
      loadSettings,
    });
  }

  /** The service's fakes, but for its lock and settings. */
  deps(): Omit<ServiceDeps, "loadSettings"> {
    return {
      clock: this.clock,
      log: { line: (l) => this.lines.push(l) },
      makePassDeps: () => this.passDeps(),
      watchFiles: async (paths, onChange) => {
        this.onFile = onChange;
        this.watches.push([...paths]);
        return async () => {
          this.unwatched = true;
          this.unwatches++;
        };
      },
      interfaceTraffic: async () => ({ offered: this.offered, delivered: 0 }),
      dnsTtl: () => async () => 60,
      passDone: () => {
        this.passes++;
      },
    };
  }

  text(level: Line["level"]): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.text);
  }

  private passDeps(): PassDeps & { close(): void } {
    const wg: Wg = {
      show: async () => [this.live],
      showAll: async () => {
        this.showAlls++;
        return new Map([["wg0", [this.live]]]);
      },
      setEndpoint: async (_iface, _key, endpoint) => {
        this.sets.push(endpoint);
        this.live = { ...this.live, endpoint };
      },
    };
    return {
      wg,
      resolve: async (name) => {
        this.resolved.push(name);
        this.now += this.dnsMs;
        return {
          ok: true,
          candidates: [
            { address: "2001:db8:1::1", family: 6 },
            { address: "192.0.2.1", family: 4 },
          ],
        };
      },
      pinger: {
        probe: async (c, policy) => {
          this.probed.push(c.address);
          this.timeouts.set(c.address, policy.timeoutMs);
          return c.address === "192.0.2.1"
            ? { address: c.address, alive: true, rttMs: 1 }
            : { address: c.address, alive: false, error: "timeout" };
        },
        close() {},
      },
      systemPinger: () => {
        throw new Error("not used");
      },
      check: async (_iface, _key, _address, signal) =>
        this.checkHook !== undefined
          ? this.checkHook(signal)
          : this.live.endpoint === V4
            ? { ok: true, how: "172.25.1.1 answered through the tunnel" }
            : { ok: false, how: "nothing came back" },
      clock: this.clock,
      hostFamilies: () => ({ ipv4: true, ipv6: true }),
      route: async () => ({ iface: "eth0" }),
      close: () => {
        this.closed++;
      },
    };
  }
}

async function started(): Promise<{ f: Fixture; service: WatchService }> {
  const f = new Fixture(CONF);
  const service = f.service();
  await service.start(undefined);
  await service.idle();
  return { f, service };
}

test("start: the first full pass moves the dead IPv6 endpoint to IPv4, verified", async () => {
  const { f, service } = await started();
  assert.deepEqual(f.sets, [V4]);
  assert.match(
    f.text("change").join("\n"),
    /moved \[2001:db8:1::1\]:51820 -> 192\.0\.2\.1:51820: .*; verified: 172\.25\.1\.1 answered through the tunnel/,
  );
  await service.stop();
});

test("a changed config file gets a pass of its own peers; a removed one is no longer managed", async () => {
  const { f, service } = await started();
  f.resolved = [];
  writeFileSync(
    join(f.settings.configDir, "wg0.conf"),
    CONF.replace("vpn.example.test", "vpn2.example.test"),
  );
  await f.onFile?.({ kind: "change", path: join(f.settings.configDir, "wg0.conf") });
  await service.idle();
  assert.deepEqual(f.resolved, ["vpn2.example.test"]);
  await f.onFile?.({ kind: "unlink", path: join(f.settings.configDir, "wg0.conf") });
  assert.ok(
    f
      .text("change")
      .includes(`${join(f.settings.configDir, "wg0.conf")} removed: wg0 is no longer managed`),
  );
  await service.stop();
});

test("a poll that sees data go out and nothing come back for silenceMs makes the peer suspect and reconciles it", async () => {
  const { f, service } = await started();
  // A recent handshake: only the silence can make the peer suspect.
  f.live = { ...f.live, endpoint: V6, latestHandshake: Math.floor(f.now / 1000) - 10 };
  f.sets = [];
  f.offered = 10;
  await service.poll(); // first snapshot: the baseline
  f.now += 500;
  f.offered = 20;
  f.live = { ...f.live, txBytes: f.live.txBytes + 500 };
  await service.poll(); // data went out; the silence starts
  f.now += 2100;
  f.offered = 30;
  f.live = { ...f.live, txBytes: f.live.txBytes + 500 };
  await service.poll(); // nothing back for 2.1 s: suspect
  await service.idle();
  assert.deepEqual(f.sets, [V4]);
  assert.ok(
    f.lines.some((l) => /suspect: sent data 3 s ago and received nothing since/.test(l.text)),
  );
  await service.stop();
});

test("data unanswered at a poll: the peer's addresses are probed at once, and its suspect pass uses those echoes", async () => {
  const { f, service } = await started();
  f.live = { ...f.live, endpoint: V6, latestHandshake: Math.floor(f.now / 1000) - 10 };
  f.sets = [];
  f.probed = [];
  f.offered = 10;
  await service.poll(); // the baseline
  f.now += 500;
  f.offered = 20;
  f.live = { ...f.live, txBytes: f.live.txBytes + 500 };
  await service.poll(); // data went out, nothing back: probed early
  assert.deepEqual(f.probed, ["2001:db8:1::1", "192.0.2.1"]);
  // 192.0.2.1 answered the last pass in 1 ms: 8 round trips, at least 250 ms, tell it is dead.
  const timeouts = Object.fromEntries(f.timeouts);
  assert.deepEqual(timeouts, { "2001:db8:1::1": 1000, "192.0.2.1": 250 });
  assert.ok(f.text("info").some((t) => t.endsWith(": data unanswered; probing 2 addresses early")));
  f.now += 2100;
  f.offered = 30;
  f.live = { ...f.live, txBytes: f.live.txBytes + 500 };
  await service.poll(); // suspect: the pass reuses the early echoes
  await service.idle();
  assert.deepEqual(f.sets, [V4]);
  // The verification through the tunnel is its own echo, sent after the move.
  assert.deepEqual(f.probed.slice(0, 2), ["2001:db8:1::1", "192.0.2.1"]);
  assert.equal(f.probed.filter((a) => a === "2001:db8:1::1").length, 1, f.probed.join(" "));
  await service.stop();
});

test("an idle tunnel costs no wg call: counters that did not move skip the snapshot", async () => {
  const { f, service } = await started();
  await service.poll();
  await service.poll();
  await service.poll();
  assert.equal(f.showAlls, 1);
  f.offered = 5;
  await service.poll();
  assert.equal(f.showAlls, 2);
  await service.stop();
});

test("bad settings on reload keep the old ones in force; stop is safe twice and closes everything", async () => {
  const f = new Fixture(undefined);
  const service = f.service(async () => {
    throw new Error('probe.timeoutMs: expected a positive integer, got "2s"');
  });
  await service.start(undefined);
  await service.reloadSettings();
  assert.deepEqual(f.text("error"), [
    `error: no *.conf files in ${f.settings.configDir}; put WireGuard configs there or pass --config-dir DIR`,
    'error: probe.timeoutMs: expected a positive integer, got "2s"; keeping the settings in force',
  ]);
  await service.stop();
  await service.stop();
  assert.equal(f.unwatched, true);
  assert.equal(f.closed, 1);
});

test("a full pass forgets peers no longer in any file, and keeps interfaces the filter leaves out", async () => {
  const f = new Fixture(CONF, { exclude: ["wg1"] });
  const gone = "wg0/SkTpT4Zp3kDkQWg9wCXuNn5dQdW2q8QNfSJJ/ytEpn4=";
  const other = "wg1/SkTpT4Zp3kDkQWg9wCXuNn5dQdW2q8QNfSJJ/ytEpn4=";
  const state: State = {
    version: 1,
    peers: { [gone]: { failedUntil: {} }, [other]: { failedUntil: {} } },
  };
  const service = f.service(async () => f.settings, state);
  await service.start(undefined);
  await service.idle();
  const saved = JSON.parse(readFileSync(join(f.settings.stateDir, "state.json"), "utf8")) as State;
  assert.deepEqual(Object.keys(saved.peers).sort(), [`wg0/${KEY}`, other]);
  await service.stop();
});

test("a full pass forgets peers no config file holds any more; the metrics see the pass", async () => {
  const f = new Fixture(CONF);
  const gone = "wg9/fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
  const service = f.service(undefined, { version: 1, peers: { [gone]: { failedUntil: {} } } });
  assert.deepEqual(Object.keys(service.metricsInput().state.peers), [gone]);
  assert.equal(service.metricsInput().lastPass, undefined);
  const started = f.now;
  f.dnsMs = 7;
  await service.start(undefined);
  await service.idle();
  const { state, lastPass } = service.metricsInput();
  assert.deepEqual(Object.keys(state.peers), [`wg0/${KEY}`]);
  assert.equal(state.peers[`wg0/${KEY}`]?.changes, 1);
  // The one pass ran from start() to now on the fake clock, its DNS answer taking 7 ms of it.
  assert.ok(f.now - started >= 7);
  assert.deepEqual(lastPass, { at: f.now, durationMs: f.now - started, hostOffline: false });
  await service.stop();
});

test("SIGTERM during a verification: no wait for it, the unverified move is undone, the state saved", async () => {
  const f = new Fixture(CONF);
  // The check answers only when interrupted, or fails after 2 s.
  f.checkHook = (signal) =>
    new Promise((resolve) => {
      const failed = setTimeout(() => resolve({ ok: false, how: "nothing came back" }), 2_000);
      signal?.addEventListener("abort", () => {
        clearTimeout(failed);
        resolve({ ok: false, how: "interrupted", interrupted: true });
      });
    });
  const service = f.service();
  await service.start(undefined);
  for (let i = 0; i < 100 && f.sets.length === 0; i++) await sleep(10);
  assert.deepEqual(f.sets, [V4], "moved, and verifying");
  const stopping = performance.now();
  await service.stop("SIGTERM");
  const took = performance.now() - stopping;
  assert.deepEqual(f.sets, [V4, V6], "the unverified move is undone");
  assert.ok(took < 1_000, `stopped after ${Math.round(took)} ms`);
  assert.ok(
    f
      .text("warning")
      .includes("warning: interrupted by SIGTERM: stopped, unverified moves undone; state saved"),
    f.lines.map((l) => l.text).join("\n"),
  );
  const saved = JSON.parse(readFileSync(join(f.settings.stateDir, "state.json"), "utf8")) as State;
  assert.equal(saved.peers[`wg0/${KEY}`]?.last?.endpoint, V6);
});

test("50 SIGHUPs at once: at most 2 reloads and a handful of log lines", async () => {
  const f = new Fixture(CONF);
  let loads = 0;
  const service = f.service(async () => {
    loads++;
    return f.settings;
  });
  await service.start(undefined);
  await service.idle();
  try {
    const before = f.lines.length;
    await Promise.all(Array.from({ length: 50 }, () => service.reloadSettings()));
    await service.idle();
    assert.ok(loads <= 2, `${loads} reloads`);
    // What the service prints without --verbose.
    const logged = f.lines
      .slice(before)
      .filter((l) => l.level !== "info")
      .map((l) => l.text);
    assert.ok(logged.filter((t) => t === "settings reloaded").length <= 2, logged.join("\n"));
    assert.ok(logged.length <= 6, `${logged.length} lines:\n${logged.join("\n")}`);
  } finally {
    await service.stop();
  }
});

test("a peer no longer managed (ignored by the settings) loses its state entry", async () => {
  const f = new Fixture(CONF, { peers: { [KEY]: { ignore: true } } });
  const state: State = { version: 1, peers: { [`wg0/${KEY}`]: { failedUntil: {} } } };
  const service = f.service(undefined, state);
  await service.start(undefined);
  await service.idle();
  try {
    assert.deepEqual(service.metricsInput().state.peers, {});
    const saved = JSON.parse(readFileSync(join(f.settings.stateDir, "state.json"), "utf8"));
    assert.deepEqual(saved, { version: 1, peers: {} });
  } finally {
    await service.stop();
  }
});

test("the state folder removed under the service: the next poll holds the lock again", async () => {
  const f = new Fixture(CONF);
  const lock = await ServiceLock.acquire(f.settings.stateDir);
  if (!(lock instanceof ServiceLock)) throw new Error("lock held");
  const service = f.service(undefined, undefined, lock);
  await service.start(undefined);
  await service.idle();
  try {
    rmSync(f.settings.stateDir, { recursive: true });
    await service.poll();
    const file = join(f.settings.stateDir, "lock");
    assert.equal(readFileSync(file, "utf8").split("\n")[0], String(process.pid));
    assert.ok(
      f
        .text("warning")
        .includes(`warning: ${file} was gone (the state folder removed?); holding it again`),
    );
  } finally {
    await service.stop();
    await lock.release();
  }
});

test("a reload to a new stateDir moves the lock with the state", async () => {
  const f = new Fixture(CONF);
  const lock = await ServiceLock.acquire(f.settings.stateDir);
  if (!(lock instanceof ServiceLock)) throw new Error("lock held");
  const moved = { ...f.settings, stateDir: join(f.dir, "state2") };
  const service = f.service(async () => moved, undefined, lock);
  await service.start(undefined);
  await service.idle();
  try {
    await service.reloadSettings();
    await service.idle();
    assert.equal(existsSync(join(f.settings.stateDir, "lock")), false, "the old lock is gone");
    const file = join(moved.stateDir, "lock");
    assert.equal(readFileSync(file, "utf8").split("\n")[0], String(process.pid));
    assert.ok(existsSync(join(moved.stateDir, "state.json")), "the state follows");
  } finally {
    await service.stop();
    await lock.release();
  }
});

test("a reload that turns networkd off or moves its folders watches the folders now in force", async () => {
  const f = new Fixture(CONF);
  const first = join(f.dir, "networkd1");
  const second = join(f.dir, "networkd2");
  for (const dir of [first, second]) mkdirSync(join(dir, "wg7.netdev.d"), { recursive: true });
  const none = { networkManager: false, networkManagerDirs: [] };
  const on = { ...f.settings, sources: { ...f.settings.sources, ...none, networkdDirs: [first] } };
  let next: Settings = on;
  const service = new WatchService(on, EMPTY_STATE, false, {
    ...f.deps(),
    loadSettings: async () => next,
  });
  await service.start(undefined);
  await service.idle();
  try {
    const conf = f.settings.configDir;
    assert.deepEqual(f.watches, [[conf, first, join(first, "wg7.netdev.d")]]);
    next = { ...on, sources: { ...on.sources, networkdDirs: [second] } };
    await service.reloadSettings();
    assert.deepEqual(f.watches.at(-1), [conf, second, join(second, "wg7.netdev.d")]);
    assert.equal(f.unwatches, 1, "the first watcher is stopped");
    next = { ...on, sources: { ...on.sources, networkd: false } };
    f.now += 2_000;
    await service.reloadSettings();
    assert.deepEqual(f.watches.at(-1), [conf]);
    f.now += 2_000;
    await service.reloadSettings();
    assert.equal(f.watches.length, 3, "the same folders: the watcher is kept");
    await service.idle();
  } finally {
    await service.stop();
  }
  assert.equal(f.unwatches, 3);
});

test("a reload that fails half-way keeps the old settings, configs and sockets in force", async () => {
  const f = new Fixture(CONF);
  const elsewhere = join(f.dir, "conf2");
  mkdirSync(elsewhere);
  const deps = f.deps();
  // The new folders cannot be watched.
  const watchFiles: ServiceDeps["watchFiles"] = async (paths, onChange, onError) => {
    if (paths.includes(elsewhere)) throw new Error(`ENOSPC: cannot watch ${elsewhere}`);
    return deps.watchFiles(paths, onChange, onError);
  };
  const service = new WatchService(f.settings, EMPTY_STATE, false, {
    ...deps,
    watchFiles,
    loadSettings: async () => ({ ...f.settings, configDir: elsewhere }),
  });
  await service.start(undefined);
  await service.idle();
  try {
    await service.reloadSettings();
    assert.deepEqual(f.text("error"), [
      `error: ENOSPC: cannot watch ${elsewhere}; keeping the settings in force`,
    ]);
    assert.equal(f.closed, 1, "the new sockets are closed");
    // The old folder is still the one in force: its file's change gets a pass.
    f.resolved = [];
    const file = join(f.settings.configDir, "wg0.conf");
    writeFileSync(file, CONF.replace("vpn.example.test", "vpn2.example.test"));
    await f.onFile?.({ kind: "change", path: file });
    await service.idle();
    assert.deepEqual(f.resolved, ["vpn2.example.test"]);
  } finally {
    await service.stop();
  }
  assert.equal(f.closed, 2, "the old sockets are closed on stop");
});

test("a poll queued while the lock moves to a new stateDir does not take it back", async () => {
  const f = new Fixture(CONF);
  const lock = await ServiceLock.acquire(f.settings.stateDir);
  if (!(lock instanceof ServiceLock)) throw new Error("lock held");
  const moved = { ...f.settings, stateDir: join(f.dir, "state2") };
  let service: WatchService | undefined;
  let polled: Promise<void> | undefined;
  // Right after the reload asks for the lock in the new folder, before the settings switch.
  const keeping = {
    keep: (dir?: string) => {
      const kept = lock.keep(dir);
      if (dir === moved.stateDir) polled = service?.poll();
      return kept;
    },
  };
  service = new WatchService(f.settings, EMPTY_STATE, false, {
    ...f.deps(),
    lock: keeping,
    loadSettings: async () => moved,
  });
  await service.start(undefined);
  await service.idle();
  try {
    await service.reloadSettings();
    await polled;
    await service.idle();
    const moves = f.text("change").filter((t) => t.startsWith("the lock moved"));
    assert.deepEqual(moves, [`the lock moved with the state to ${join(moved.stateDir, "lock")}`]);
    assert.equal(existsSync(join(f.settings.stateDir, "lock")), false, "the old lock is gone");
  } finally {
    await service.stop();
    await lock.release();
  }
});

test("a reload to a new stateDir that fails half-way leaves the lock with the state in force", async () => {
  const f = new Fixture(CONF);
  const lock = await ServiceLock.acquire(f.settings.stateDir);
  if (!(lock instanceof ServiceLock)) throw new Error("lock held");
  const elsewhere = join(f.dir, "conf2");
  mkdirSync(elsewhere);
  const moved = { ...f.settings, configDir: elsewhere, stateDir: join(f.dir, "state2") };
  const deps = f.deps();
  const service = new WatchService(f.settings, EMPTY_STATE, false, {
    ...deps,
    lock,
    watchFiles: async (paths, onChange, onError) => {
      if (paths.includes(elsewhere)) throw new Error(`ENOSPC: cannot watch ${elsewhere}`);
      return deps.watchFiles(paths, onChange, onError);
    },
    loadSettings: async () => moved,
  });
  await service.start(undefined);
  await service.idle();
  try {
    await service.reloadSettings();
    await service.poll();
    const pid = String(process.pid);
    assert.equal(readFileSync(join(f.settings.stateDir, "lock"), "utf8").split("\n")[0], pid);
    assert.equal(existsSync(join(moved.stateDir, "lock")), false, "the new folder's lock is gone");
  } finally {
    await service.stop();
    await lock.release();
  }
});

test("a reload applies watch.intervalSeconds: the next full pass comes that long after it; a failed reload keeps the old", async (t) => {
  t.mock.timers.enable({ apis: ["setInterval"] });
  const watch = { intervalSeconds: 60, pollMs: 3_600_000, silenceMs: 2000, ttlFloorSeconds: 3600 };
  const f = new Fixture(CONF, { watch });
  const elsewhere = join(f.dir, "conf2");
  mkdirSync(elsewhere);
  const deps = f.deps();
  let next = f.settings;
  const service = new WatchService(f.settings, EMPTY_STATE, false, {
    ...deps,
    watchFiles: async (paths, onChange, onError) => {
      if (paths.includes(elsewhere)) throw new Error(`ENOSPC: cannot watch ${elsewhere}`);
      return deps.watchFiles(paths, onChange, onError);
    },
    loadSettings: async () => next,
  });
  const after = async (ms: number) => {
    t.mock.timers.tick(ms);
    await service.idle();
    return f.passes;
  };
  await service.start(undefined);
  await service.idle();
  try {
    assert.equal(await after(30_000), 1);
    await service.reloadSettings(); // the same interval: the timer keeps its time
    assert.equal(await after(0), 2);
    assert.equal(await after(30_000), 3, "60 s after the start");
    next = { ...f.settings, configDir: elsewhere, watch: { ...watch, intervalSeconds: 10 } };
    await service.reloadSettings(); // fails half-way: 60 s stays in force
    assert.equal(await after(10_000), 3);
    assert.equal(await after(50_000), 4);
    next = { ...f.settings, watch: { ...watch, intervalSeconds: 10 } };
    await service.reloadSettings();
    assert.equal(await after(0), 5);
    assert.equal(await after(9_999), 5);
    assert.equal(await after(1), 6, "10 s after the reload");
    // Every 10 s, and no pass of the old timer (60 s after the last one, at 180 s).
    for (let i = 7; i <= 11; i++) assert.equal(await after(10_000), i);
  } finally {
    await service.stop();
  }
});

test("a reload applies watch.silenceMs: a silence that made a peer suspect before is not yet long enough", async () => {
  const f = new Fixture(CONF);
  const raised = { ...f.settings, watch: { ...f.settings.watch, silenceMs: 5000 } };
  const service = f.service(async () => raised);
  await service.start(undefined);
  await service.idle();
  try {
    await service.reloadSettings();
    await service.idle();
    f.live = { ...f.live, endpoint: V6, latestHandshake: Math.floor(f.now / 1000) - 10 };
    f.sets = [];
    const poll = async (ms: number, offered: number, txBytes: number) => {
      f.now += ms;
      f.offered = offered;
      f.live = { ...f.live, txBytes };
      await service.poll();
      await service.idle();
    };
    await poll(0, 10, 0); // the baseline
    await poll(500, 20, 500); // data went out; the silence starts
    await poll(2100, 30, 1000); // 2.6 s: suspect under the old 2 s, not under 5 s
    assert.deepEqual(f.sets, []);
    await poll(2600, 40, 1500); // 5.2 s
    assert.deepEqual(f.sets, [V4]);
  } finally {
    await service.stop();
  }
});
