// The life of a stall, from the poll to the repair:
//  1. Every watch.pollMs, poll() reads the tunnels' netdev counters (stall-poll.ts, StallPoll);
//     nothing moved and no silence timed: done, no process started.
//  2. Else `wg show all dump` feeds the Detector (stall-detection.ts): data sent, nothing back.
//  3. The first poll of such a silence probes the peer's addresses early (EarlyProbes).
//  4. A silence of several round trips (silenceThresholdMs) makes the peer a Suspect; one an
//     interface's counters alone point at is confirmed by one echo first (stall-poll.ts).
//  5. The suspects get a pass of their own through the Scheduler (scheduler.ts), in pass().
//  6. runPass -> reconcile -> settle (pass/, apply/settle.ts) reuse the early echoes, and decide
//     (decide/decide.ts) checks a suspect through WireGuard even though ping answers.
//  7. A failed check moves the endpoint, verified in turn (apply/tunnel-check.ts); then
//     learn() and reset() give the peer a fresh start in the Detector.

import { dirname, resolve } from "node:path";
import type { Clock } from "../clock.js";
import { filterOf } from "../common/interface-filter.js";
import { managerWatchPaths } from "../discover/manager-folders.js";
import type { Problem } from "../model.js";
import { peerKey } from "../model.js";
import type { InterfaceTraffic } from "../observe/netdev.js";
import type { PassDeps } from "../pass/deps.js";
import type { PassTiming } from "../pass/pass.js";
import { runPass } from "../pass/pass.js";
import { formatProblem, short } from "../report/format.js";
import type { Log } from "../report/log.js";
import type { TtlLookup } from "../resolve/ttl.js";
import type { Settings } from "../settings/schema.js";
import { pruneScope } from "../state/prune.js";
import type { Kept } from "../state/service-lock.js";
import type { State } from "../state/shape.js";
import { ConfigSet, configFileChanged, type FileEvent } from "./config-files.js";
import { EndpointSweep } from "./endpoint-sweep.js";
import { Coalesced, inScope, Scheduler, type Scope } from "./scheduler.js";
import { Detector } from "./stall-detection.js";
import { EarlyProbes, lessonsOf, StallPoll } from "./stall-poll.js";
import { type TtlWatch, ttlWatchFor } from "./ttl-follow.js";

/**
 * The long-running service: full passes on a timer, a cheap counter poll (stall-poll.ts) that
 * turns suspect peers into immediate passes for just those peers, and config files reloaded as
 * they change. Everything goes through one Scheduler, so passes never overlap.
 */
export class WatchService {
  private configs: ConfigSet;
  private deps: PassDeps & { close(): void };
  private readonly stalls: StallPoll;
  /** Idle tunnels: one echo per endpoint every few seconds (endpoint-sweep.ts), if asked for. */
  readonly sweep: EndpointSweep | undefined;
  private readonly scheduler: Scheduler;
  private ttl: TtlWatch;
  private readonly suspects = new Map<string, string>();
  /** Problems of the last full read of the config folder: files it could not read keep their state. */
  private loadProblems: readonly Problem[] = [];
  private timers: NodeJS.Timeout[] = [];
  private stopWatching: (() => Promise<void>) | undefined;
  /** What the file watcher follows now: the config folder, the managers' folders, the settings file. */
  private watched: readonly string[] = [];
  private settingsFile: string | undefined;
  private stopped = false;
  private lastPass: PassTiming | undefined;
  /** SIGTERM/SIGINT: the pass under way starts no new move and undoes an unverified one. */
  private readonly interrupt = new AbortController();
  private readonly reloads: Coalesced;

  constructor(
    private settings: Settings,
    private state: State,
    private readonly dryRun: boolean,
    private readonly io: ServiceDeps,
  ) {
    this.configs = new ConfigSet(settings.configDir, filterOf(settings), settings);
    this.deps = io.makePassDeps(settings);
    this.stalls = new StallPoll(
      new Detector({
        silenceMs: settings.watch.silenceMs,
        handshakeStaleSeconds: settings.handshakeFreshSeconds,
      }),
      new EarlyProbes(io.clock),
    );
    this.scheduler = new Scheduler(
      (scope) => this.pass(scope),
      (error) => this.io.log.line({ level: "error", text: `error: pass failed: ${String(error)}` }),
    );
    this.ttl = this.ttlWatch();
    const period = io.endpointSweepMs;
    this.sweep = period === undefined ? undefined : new EndpointSweep(period);
    this.reloads = new Coalesced(() => this.reloadOnce(), io.clock, RELOAD_GAP_MS);
  }

  /** Loads the configs, starts the watchers and timers, and asks for a first full pass. */
  async start(settingsFile: string | undefined): Promise<void> {
    await this.loadConfigs();
    this.ttl.follow(this.configs.interfaces());
    this.settingsFile = settingsFile;
    await this.watchFolders();
    this.scheduler.requestPass({ kind: "all" });
    const timer = setInterval(
      () => this.scheduler.requestPass({ kind: "all" }),
      this.settings.watch.intervalSeconds * 1000,
    );
    this.timers.push(timer);
    this.pollLoop();
  }

  /**
   * Reads the settings again (SIGHUP, or the settings file changed); bad ones keep the old in
   * force. Requests that arrive while a reload is under way, or within a second of its start,
   * collapse into one more reload.
   */
  reloadSettings(): Promise<void> {
    return this.reloads.request();
  }

  /** Applies new settings (SIGHUP): configs are re-read and a full pass follows. */
  async reload(settings: Settings): Promise<void> {
    const old = this.deps;
    this.settings = settings;
    this.deps = this.io.makePassDeps(settings);
    this.configs = new ConfigSet(settings.configDir, filterOf(settings), settings);
    // Sources turned on or off, or moved, change the folders to watch.
    if (!this.stopped) await this.watchFolders();
    await this.loadConfigs();
    void this.ttl.stop();
    this.ttl = this.ttlWatch();
    if (!this.stopped) this.ttl.follow(this.configs.interfaces());
    // The pass under way may still use the old sockets: close them once it is done.
    void this.scheduler.idle().then(() => old.close());
    this.scheduler.requestPass({ kind: "all" });
  }

  /**
   * Stops timers and watchers and closes sockets. Given a signal (SIGTERM, SIGINT), the pass under
   * way is interrupted as a cron run's is: no new move, an unverified one undone, state saved.
   * Without one, the pass finishes. Safe to call twice.
   */
  async stop(signal?: NodeJS.Signals): Promise<void> {
    if (signal !== undefined && !this.interrupt.signal.aborted)
      this.interrupt.abort(Object.assign(new Error(`interrupted by ${signal}`), { signal }));
    if (this.stopped) return;
    this.stopped = true;
    this.reloads.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.stopWatching?.();
    await this.ttl.stop();
    await this.scheduler.stop();
    this.deps.close();
  }

  /** What `/metrics` shows: the state as the last pass left it, and when that pass ran. */
  metricsInput(): { state: State; lastPass: PassTiming | undefined } {
    return { state: this.state, lastPass: this.lastPass };
  }

  /** Resolves when no pass is running or queued. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  /** One poll of the counters, then a pass for the peers it found suspect (the poll loop's body). */
  async poll(): Promise<void> {
    if (!(await this.holdLock(this.settings.stateDir))) return;
    const { wg, pinger } = this.deps;
    const { clock, log, interfaceTraffic } = this.io;
    const { probe } = this.settings;
    const deps = { wg, pinger, clock, log, interfaceTraffic, probe };
    this.sweepEndpoints();
    const found = await this.stalls.poll(this.configs.interfaces(), deps);
    if (found.length === 0) return;
    for (const s of found) this.suspects.set(peerKey(s.iface, s.publicKey), s.reason);
    const keys = new Set(found.map((s) => peerKey(s.iface, s.publicKey)));
    this.scheduler.requestPass({ kind: "peers", keys });
  }

  // --- internal ---

  /** One reload; reloadSettings() coalesces the requests. */
  private async reloadOnce(): Promise<void> {
    try {
      const settings = await this.io.loadSettings();
      // The lock moves with the state, before anything is written there.
      if (!(await this.holdLock(settings.stateDir)))
        throw new Error(
          `stateDir ${settings.stateDir}: another wg-endpoint-manager holds its lock`,
        );
      await this.reload(settings);
      this.io.log.line({ level: "change", text: "settings reloaded" });
    } catch (error) {
      const text = `error: ${(error as Error).message}; keeping the settings in force`;
      this.io.log.line({ level: "error", text });
    }
  }

  private async pass(scope: Scope): Promise<void> {
    if (!(await this.holdLock(this.settings.stateDir))) return;
    // A full pass reads the managers' files again: a folder may have appeared since the start.
    if (scope.kind === "all") await this.refreshManagers();
    const interfaces = inScope(this.configs.interfaces(), scope);
    if (interfaces.length === 0) return;
    const suspects = new Map(this.suspects);
    this.suspects.clear();
    // A full pass forgets the peers no longer in any file, as a cron run does.
    const discovery = { interfaces, problems: this.loadProblems };
    const prune = scope.kind === "all" ? pruneScope(discovery, filterOf(this.settings)) : undefined;
    const report = await runPass({
      settings: this.settings,
      dryRun: this.dryRun,
      watch: { interfaces, state: this.state, suspects, prune },
      signal: this.interrupt.signal,
      // Echoes sent early, while a silence was timed, count for this pass (EarlyProbes, stall-poll.ts).
      deps: { ...this.deps, pinger: this.stalls.early.wrap(this.deps.pinger) },
    });
    if (report.state) this.state = report.state;
    if (report.timing) this.lastPass = report.timing;
    this.stalls.learn(lessonsOf(report.result?.outcomes ?? []));
    this.sweep?.learn(report.result?.outcomes ?? []);
    for (const o of report.result?.outcomes ?? []) {
      this.stalls.reset(o.peer.iface, o.peer.publicKey);
      this.ttl.saw(o.peer.endpoint.host, o.resolution);
    }
    for (const line of report.lines) this.io.log.line(line);
    this.io.passDone?.();
  }

  /** This poll's share of the idle check; a peer whose endpoint stopped answering gets a pass. */
  private sweepEndpoints(): void {
    const sweep = this.sweep;
    if (sweep === undefined) return;
    const { intervalMs, timeoutMs } = this.settings.probe;
    const configs = this.configs.interfaces();
    sweep.keepOnly(
      new Set(configs.flatMap((c) => c.peers.map((p) => peerKey(c.iface, p.publicKey)))),
    );
    const echo = { count: 1, intervalMs, timeoutMs };
    sweep.tick(this.deps.pinger, echo, this.io.clock.now(), (s) => {
      if (this.stopped) return;
      const key = peerKey(s.iface, s.publicKey);
      const text = `${s.iface} peer ${short(s.publicKey)}: suspect: ${s.reason}`;
      this.io.log.line({ level: "info", text });
      this.suspects.set(key, s.reason);
      this.scheduler.requestPass({ kind: "peers", keys: new Set([key]) });
    });
  }

  /** Watches the folders the settings in force name; a watcher already on them is kept. */
  private async watchFolders(): Promise<void> {
    const managers = await managerWatchPaths(this.settings);
    const file = this.settingsFile;
    const paths = [this.settings.configDir, ...managers, ...(file !== undefined ? [file] : [])];
    if (this.stopWatching !== undefined && sameList(paths, this.watched)) return;
    const old = this.stopWatching;
    this.stopWatching = undefined;
    await old?.();
    this.watched = paths;
    const stop = await this.io.watchFiles(paths, (e) => this.onFile(e, file));
    // stop() may have come while the watcher started.
    if (this.stopped) await stop();
    else this.stopWatching = stop;
  }

  /** Keeps the lock in `dir` (state/service-lock.ts); false while another instance holds it. */
  private async holdLock(dir: string): Promise<boolean> {
    const kept = await this.io.lock?.keep(dir);
    if (kept?.say !== undefined) this.io.log.line(kept.say);
    return kept?.held ?? true;
  }

  /** Reads every config file; their problems are logged once, and kept for pruning. */
  private async loadConfigs(): Promise<void> {
    this.loadProblems = await this.configs.loadAll();
    for (const p of this.loadProblems) this.io.log.line(formatProblem(p));
  }

  /** Follows the Endpoint names' DNS TTLs; a name whose addresses change gets its peers a pass. */
  private ttlWatch(): TtlWatch {
    return ttlWatchFor(this.settings, {
      clock: this.io.clock,
      log: this.io.log,
      resolve: (name) => this.deps.resolve(name),
      ttl: this.io.dnsTtl(this.settings.dns.timeoutMs),
      requestPass: (keys) => this.scheduler.requestPass({ kind: "peers", keys }),
    });
  }

  /** Reads the managers' files again; logs what changed and returns the peers to reconcile. */
  private async refreshManagers(): Promise<Set<string>> {
    const { keys, problems } = await this.configs.refreshManagers();
    for (const p of problems) this.io.log.line(formatProblem(p));
    if (keys.size > 0) {
      const ifaces = [...new Set([...keys].map((k) => k.slice(0, k.indexOf("/"))))].join(", ");
      this.io.log.line({ level: "info", text: `a manager's file changed: reconciling ${ifaces}` });
      this.ttl.follow(this.configs.interfaces());
    }
    return keys;
  }

  private pollLoop(): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      this.timers = this.timers.filter((t) => t !== timer);
      await this.poll().catch((error: unknown) =>
        this.io.log.line({ level: "warning", text: `warning: ${String(error)}` }),
      );
      this.pollLoop();
    }, this.settings.watch.pollMs);
    this.timers.push(timer);
  }

  private async onFile(event: FileEvent, settingsFile: string | undefined): Promise<void> {
    if (this.stopped) return;
    if (event.path === settingsFile) return this.reloadSettings();
    if (resolve(dirname(event.path)) !== resolve(this.settings.configDir)) {
      const keys = await this.refreshManagers();
      if (keys.size > 0) this.scheduler.requestPass({ kind: "peers", keys });
      return;
    }
    const changed = await configFileChanged(event, this.configs, this.io.log);
    if (changed === undefined) return;
    // A removed wg-quick file may leave its interface to a manager's file.
    const keys = event.kind === "unlink" ? await this.refreshManagers() : changed;
    this.ttl.follow(this.configs.interfaces());
    if (keys.size > 0) this.scheduler.requestPass({ kind: "peers", keys });
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Reloads requested within this long of the last one's start wait for one more reload. */
const RELOAD_GAP_MS = 1_000;

/** What the service needs from outside; the unit tests give fakes for each. */
export interface ServiceDeps {
  readonly clock: Clock;
  readonly log: Log;
  /** Makes the side effects of passes for given settings; close() is called when replaced. */
  readonly makePassDeps: (settings: Settings) => PassDeps & { close(): void };
  /**
   * Starts watching files; the returned function stops it. `onChange` resolves once the event is
   * dealt with (the set in force updated, its pass asked for), so tests can await it.
   */
  readonly watchFiles: (
    paths: readonly string[],
    onChange: (event: FileEvent) => Promise<void>,
  ) => Promise<() => Promise<void>>;
  /** Reads the settings again (settings file changed, SIGHUP); throws SettingsError if bad. */
  readonly loadSettings: () => Promise<Settings>;
  /** An interface's netdev counters (observe/netdev.ts); undefined if unreadable. */
  readonly interfaceTraffic: (iface: string) => Promise<InterfaceTraffic | undefined>;
  /** DNS TTLs of the Endpoint hostnames (resolve/ttl.ts), given the DNS timeout. */
  readonly dnsTtl: (timeoutMs: number) => TtlLookup;
  /** One echo per watched endpoint this often between passes (endpoint-sweep.ts); absent: none. */
  readonly endpointSweepMs?: number;
  /** The lock the service holds for its life (state/service-lock.ts); absent in tests without one. */
  readonly lock?: { keep(dir: string): Promise<Kept> };
  /** Called after each pass, once metricsInput() shows it (systemd's STATUS=). */
  readonly passDone?: () => void;
}
