// The life of a stall, from the poll to the repair:
//  1. Every watch.pollMs, poll() reads the tunnels' netdev counters (StallPoll, stall-poll.ts);
//     nothing moved and no silence timed: done, no process started.
//  2. Else `wg show all dump` feeds the Detector (detect/detector.ts): data sent, nothing back.
//  3. The first poll of such a silence probes the peer's addresses early (EarlyProbes, echoes.ts),
//     the endpoint that answered its last pass within a few of its round trips.
//  4. A silence of several round trips (silenceThresholdMs) makes the peer a Suspect; one an
//     interface's counters alone point at is confirmed by one echo first (stall-poll.ts).
//  5. The suspects get a pass of their own through the Scheduler (scheduler.ts), in pass().
//  6. runPass -> reconcile -> settle (pass/, apply/settle.ts) reuse the early echoes, and decide
//     (decide/decide.ts) checks a suspect through WireGuard even though ping answers.
//  7. A failed check moves the endpoint, verified in turn (apply/tunnel-check.ts); then
//     StallPoll.passed() gives the peer a fresh start in the Detector.

import type { Clock } from "../clock.js";
import { filterOf } from "../common/interface-filter.js";
import type { DetectorPolicy } from "../detect/detector.js";
import { peerKey } from "../model.js";
import type { InterfaceTraffic } from "../observe/netdev.js";
import type { PassDeps } from "../pass/deps.js";
import type { PassTiming } from "../pass/pass.js";
import { runPass } from "../pass/pass.js";
import { pruneScope } from "../pass/prune-scope.js";
import type { Log } from "../report/log.js";
import type { TtlLookup } from "../resolve/ttl.js";
import type { Settings } from "../settings/schema.js";
import type { Kept } from "../state/service-lock.js";
import type { State } from "../state/shape.js";
import { ConfigFiles, type WatchFiles } from "./config-files.js";
import { Coalesced, inScope, Scheduler, type Scope, Timers } from "./scheduler.js";
import { StallPoll } from "./stall-poll.js";
import { type TtlWatch, ttlWatchFor } from "./ttl-follow.js";

/**
 * The long-running service: full passes on a timer, a cheap counter poll (stall-poll.ts) that
 * turns suspect peers into immediate passes for just those peers, and config files reloaded as
 * they change. Everything goes through one Scheduler, so passes never overlap.
 */
export class WatchService {
  /** The config files in force, their folders watched (config-files.ts). */
  private readonly configs: ConfigFiles;
  private deps: PassDeps & { close(): void };
  private readonly stalls: StallPoll;
  private readonly scheduler: Scheduler;
  private ttl: TtlWatch;
  private readonly suspects = new Map<string, string>();
  private readonly timers = new Timers();
  /** The full-pass timer, once start() set it: its period, and how to stop it. */
  private fullPasses: { readonly ms: number; readonly stop: () => void } | undefined;
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
    this.configs = new ConfigFiles(settings, {
      log: io.log,
      watchFiles: io.watchFiles,
      reloadSettings: () => this.reloadSettings(),
      changed: () => this.ttl.follow(this.configs.interfaces()),
      requestPass: (keys) => this.scheduler.requestPass({ kind: "peers", keys }),
    });
    this.deps = io.makePassDeps(settings);
    this.stalls = new StallPoll(detectorPolicy(settings), io.clock, io.endpointSweepMs);
    this.scheduler = new Scheduler(
      (scope) => this.pass(scope),
      (error) => this.io.log.line({ level: "error", text: `error: pass failed: ${String(error)}` }),
    );
    this.ttl = this.ttlWatch();
    this.reloads = new Coalesced(() => this.reloadOnce(), io.clock, RELOAD_GAP_MS);
  }

  /** Loads the configs, starts the watchers and timers, and asks for a first full pass. */
  async start(settingsFile: string | undefined): Promise<void> {
    await this.configs.load();
    this.ttl.follow(this.configs.interfaces());
    await this.configs.watch(settingsFile);
    this.scheduler.requestPass({ kind: "all" });
    this.timeFullPasses();
    this.timers.loop(
      () => this.settings.watch.pollMs,
      () =>
        this.poll().catch((error: unknown) =>
          this.io.log.line({ level: "warning", text: `warning: ${String(error)}` }),
        ),
    );
  }

  /**
   * Reads the settings again (SIGHUP, or the settings file changed); bad ones keep the old in
   * force. Requests that arrive while a reload is under way, or within a second of its start,
   * collapse into one more reload.
   */
  reloadSettings(): Promise<void> {
    return this.reloads.request();
  }

  /**
   * Applies new settings (SIGHUP): configs are re-read and a full pass follows; the full-pass
   * timer and the stall detector's limits follow `watch` (pollMs is read at each poll). Nothing
   * changes until the new configs are read and watched: if that throws, the old settings stay.
   */
  async reload(settings: Settings): Promise<void> {
    const deps = this.io.makePassDeps(settings);
    try {
      await this.configs.reload(settings);
    } catch (error) {
      deps.close();
      throw error;
    }
    const old = this.deps;
    this.settings = settings;
    this.deps = deps;
    this.stalls.configure(detectorPolicy(settings));
    if (this.fullPasses !== undefined) this.timeFullPasses();
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
    this.stalls.stop();
    this.timers.stop();
    await this.configs.stop();
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

  /** One poll (the poll loop's body); the peers it finds suspect get a pass of their own. */
  async poll(): Promise<void> {
    if (!(await this.holdLock())) return;
    const { wg, pinger } = this.deps;
    const { clock, log, interfaceTraffic } = this.io;
    const deps = { wg, pinger, clock, log, interfaceTraffic, probe: this.settings.probe };
    await this.stalls.poll(this.configs.interfaces(), deps, (found) => {
      for (const s of found) this.suspects.set(peerKey(s.iface, s.publicKey), s.reason);
      const keys = new Set(found.map((s) => peerKey(s.iface, s.publicKey)));
      this.scheduler.requestPass({ kind: "peers", keys });
    });
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
      try {
        await this.reload(settings);
      } catch (error) {
        // The state stays where the settings in force keep it: so does the lock.
        await this.holdLock(this.settings.stateDir);
        throw error;
      }
      this.io.log.line({ level: "change", text: "settings reloaded" });
    } catch (error) {
      const text = `error: ${(error as Error).message}; keeping the settings in force`;
      this.io.log.line({ level: "error", text });
    }
  }

  private async pass(scope: Scope): Promise<void> {
    if (!(await this.holdLock())) return;
    // A full pass reads the managers' files again: a folder may have appeared since the start.
    if (scope.kind === "all") await this.configs.refreshManagers();
    const interfaces = inScope(this.configs.interfaces(), scope);
    if (interfaces.length === 0) return;
    const suspects = new Map(this.suspects);
    this.suspects.clear();
    // A full pass forgets the peers no longer in any file, as a cron run does.
    const discovery = { interfaces, problems: this.configs.problems };
    const prune = scope.kind === "all" ? pruneScope(discovery, filterOf(this.settings)) : undefined;
    const report = await runPass({
      settings: this.settings,
      dryRun: this.dryRun,
      watch: { interfaces, state: this.state, suspects, prune },
      signal: this.interrupt.signal,
      // Echoes sent early, while a silence was timed, count for this pass (EarlyProbes, echoes.ts).
      deps: { ...this.deps, pinger: this.stalls.early.wrap(this.deps.pinger) },
    });
    if (report.state) this.state = report.state;
    if (report.timing) this.lastPass = report.timing;
    const outcomes = report.result?.outcomes ?? [];
    this.stalls.passed(outcomes);
    for (const o of outcomes) this.ttl.saw(o.peer.endpoint.host, o.resolution);
    for (const line of report.lines) this.io.log.line(line);
    this.io.passDone?.();
  }

  /** Full passes every watch.intervalSeconds: the timer restarts only if the period changed. */
  private timeFullPasses(): void {
    const ms = this.settings.watch.intervalSeconds * 1000;
    if (this.fullPasses?.ms === ms) return;
    this.fullPasses?.stop();
    const stop = this.timers.every(ms, () => this.scheduler.requestPass({ kind: "all" }));
    this.fullPasses = { ms, stop };
  }

  /**
   * Keeps the lock in `dir`, or where it is (state/service-lock.ts): only a reload moves it.
   * False while another instance holds it.
   */
  private async holdLock(dir?: string): Promise<boolean> {
    const kept = await this.io.lock?.keep(dir);
    if (kept?.say !== undefined) this.io.log.line(kept.say);
    return kept?.held ?? true;
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
}

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
  readonly watchFiles: WatchFiles;
  /** Reads the settings again (settings file changed, SIGHUP); throws SettingsError if bad. */
  readonly loadSettings: () => Promise<Settings>;
  /** An interface's netdev counters (observe/netdev.ts); undefined if unreadable. */
  readonly interfaceTraffic: (iface: string) => Promise<InterfaceTraffic | undefined>;
  /** DNS TTLs of the Endpoint hostnames (resolve/ttl.ts), given the DNS timeout. */
  readonly dnsTtl: (timeoutMs: number) => TtlLookup;
  /** One echo per watched endpoint this often between passes (echoes.ts); absent: none. */
  readonly endpointSweepMs?: number;
  /** The lock the service holds for its life (state/service-lock.ts); absent in tests without one. */
  readonly lock?: { keep(dir?: string): Promise<Kept> };
  /** Called after each pass, once metricsInput() shows it (systemd's STATUS=). */
  readonly passDone?: () => void;
}

/** The stall detector's limits in `settings`. */
function detectorPolicy(settings: Settings): DetectorPolicy {
  const { silenceMs } = settings.watch;
  return { silenceMs, handshakeStaleSeconds: settings.handshakeFreshSeconds };
}

/** Reloads requested within this long of the last one's start wait for one more reload. */
const RELOAD_GAP_MS = 1_000;
