import type { Clock } from "../clock.js";
import { addressOf, literalFamily } from "../discover/endpoint.js";
import type { InterfaceConfig } from "../model.js";
import { type InterfaceTraffic, sameTraffic } from "../observe/netdev.js";
import { type PassDeps, runPass } from "../pass/pass.js";
import { formatPass, formatProblem } from "../report/format.js";
import type { Settings } from "../settings/schema.js";
import { peerKey, type State, saveState } from "../state/state.js";
import { ConfigSet } from "./config-set.js";
import { Detector, type InterfaceCounters, type Suspect } from "./detector.js";
import type { Log } from "./log.js";
import { Scheduler, type Scope } from "./scheduler.js";

/** What the service needs from outside; each a seam for tests. */
export interface ServiceDeps {
  readonly clock: Clock;
  readonly log: Log;
  /** Makes the side effects of passes for given settings; close() is called when replaced. */
  readonly makePassDeps: (settings: Settings) => PassDeps & { close(): void };
  /** Starts watching files; the returned function stops it. */
  readonly watchFiles: (
    paths: readonly string[],
    onChange: (event: FileEvent) => void,
  ) => Promise<() => Promise<void>>;
  /** Reads the settings again (settings file changed, SIGHUP); throws SettingsError if bad. */
  readonly loadSettings: () => Promise<Settings>;
  /** An interface's netdev counters (observe/netdev.ts); undefined if unreadable. */
  readonly interfaceTraffic: (iface: string) => Promise<InterfaceTraffic | undefined>;
}

/** A change chokidar saw. */
export interface FileEvent {
  readonly kind: "add" | "change" | "unlink";
  readonly path: string;
}

/**
 * The long-running service: full passes on a timer, a cheap counter poll that turns suspect
 * peers into immediate passes for just those peers, and config files reloaded as they change.
 * Everything goes through one Scheduler, so passes never overlap.
 */
export class WatchService {
  private configs: ConfigSet;
  private deps: PassDeps & { close(): void };
  private readonly detector: Detector;
  private readonly scheduler: Scheduler;
  private readonly suspects = new Map<string, string>();
  /** Netdev counters at the last poll. */
  private traffic = new Map<string, InterfaceTraffic | undefined>();
  private timers: NodeJS.Timeout[] = [];
  private stopWatching: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(
    private settings: Settings,
    private state: State,
    private readonly dryRun: boolean,
    private readonly io: ServiceDeps,
  ) {
    this.configs = new ConfigSet(settings.configDir, {
      include: settings.interfaces,
      exclude: settings.exclude,
    });
    this.deps = io.makePassDeps(settings);
    this.detector = new Detector({
      silenceMs: settings.watch.silenceMs,
      handshakeStaleSeconds: settings.handshakeFreshSeconds,
    });
    this.scheduler = new Scheduler(
      (scope) => this.pass(scope),
      (error) => this.io.log.line({ level: "error", text: `error: pass failed: ${String(error)}` }),
    );
  }

  /** Loads the configs, starts the watchers and timers, and asks for a first full pass. */
  async start(settingsFile: string | undefined): Promise<void> {
    for (const p of await this.configs.loadAll()) this.io.log.line(formatProblem(p));
    const paths = [this.settings.configDir, ...(settingsFile ? [settingsFile] : [])];
    this.stopWatching = await this.io.watchFiles(paths, (e) => void this.onFile(e, settingsFile));
    this.scheduler.requestPass({ kind: "all" });
    this.every(this.settings.watch.intervalSeconds * 1000, () =>
      this.scheduler.requestPass({ kind: "all" }),
    );
    this.pollLoop();
  }

  /** Reads the settings again (SIGHUP, or the settings file changed); bad ones keep the old in force. */
  async reloadSettings(): Promise<void> {
    try {
      await this.reload(await this.io.loadSettings());
      this.io.log.line({ level: "change", text: "settings reloaded" });
    } catch (error) {
      const text = `error: ${(error as Error).message}; keeping the settings in force`;
      this.io.log.line({ level: "error", text });
    }
  }

  /** Applies new settings (SIGHUP): configs are re-read and a full pass follows. */
  async reload(settings: Settings): Promise<void> {
    const old = this.deps;
    this.settings = settings;
    this.deps = this.io.makePassDeps(settings);
    this.configs = new ConfigSet(settings.configDir, {
      include: settings.interfaces,
      exclude: settings.exclude,
    });
    for (const p of await this.configs.loadAll()) this.io.log.line(formatProblem(p));
    // The pass under way may still use the old sockets: close them once it is done.
    void this.scheduler.idle().then(() => old.close());
    this.scheduler.requestPass({ kind: "all" });
  }

  /** Stops timers and watchers, lets a running pass finish (its state is saved), and closes sockets. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.stopWatching?.();
    await this.scheduler.stop();
    this.deps.close();
  }

  /** Resolves when no pass is running or queued (for tests). */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  // --- internal ---

  private async pass(scope: Scope): Promise<void> {
    const interfaces = inScope(this.configs.interfaces(), scope);
    if (interfaces.length === 0) return;
    const suspects = new Map(this.suspects);
    this.suspects.clear();
    const result = await runPass(interfaces, this.settings, this.state, this.deps, {
      dryRun: this.dryRun,
      suspects,
    });
    this.state = result.state;
    if (!this.dryRun) await saveState(this.settings.stateDir, this.state);
    for (const o of result.outcomes)
      this.detector.reset(o.target.peer.iface, o.target.peer.publicKey);
    // Config problems were logged when the file was read; a full pass every minute need not repeat them.
    const fresh = { ...result, problems: result.problems.filter((p) => p.kind !== "config") };
    for (const line of formatPass(fresh)) this.io.log.line(line);
  }

  private async poll(): Promise<void> {
    const configs = this.configs.interfaces().filter((c) => c.peers.length > 0);
    const managed = new Set(
      configs.flatMap((c) => c.peers.map((p) => peerKey(c.iface, p.publicKey))),
    );
    if (managed.size === 0) return;
    const traffic = new Map(
      await Promise.all(
        configs.map(async (c) => [c.iface, await this.io.interfaceTraffic(c.iface)] as const),
      ),
    );
    // No packet went through any tunnel and no silence is being timed: `wg show` (a process)
    // would say nothing new, so an idle service costs a few file reads a poll.
    const still = [...traffic].every(([iface, t]) => sameTraffic(t, this.traffic.get(iface)));
    this.traffic = traffic;
    if (still && !this.detector.timing()) {
      this.detector.skipped(this.io.clock.now());
      return;
    }
    const all = await this.deps.wg.showAll();
    const snapshot = new Map(
      [...all].map(([iface, peers]) => [
        iface,
        peers.filter((p) => managed.has(peerKey(iface, p.publicKey))),
      ]),
    );
    const counters = new Map<string, InterfaceCounters>();
    for (const [iface, t] of traffic) {
      const txBytes = (all.get(iface) ?? []).reduce((sum, p) => sum + p.txBytes, 0);
      if (t !== undefined) counters.set(iface, { offered: t.offered, txBytes });
    }
    const found = await this.confirmed(
      this.detector.observe(snapshot, this.io.clock.now(), counters),
    );
    if (found.length === 0) return;
    for (const s of found) {
      this.suspects.set(peerKey(s.iface, s.publicKey), s.reason);
      this.io.log.line({
        level: "info",
        text: `${s.iface} peer ${s.publicKey.slice(0, 8)}: suspect: ${s.reason}`,
      });
    }
    this.scheduler.requestPass({
      kind: "peers",
      keys: new Set(found.map((s) => peerKey(s.iface, s.publicKey))),
    });
  }

  /**
   * Drops the suspects that only the interface's counters point at when their endpoint answers an
   * echo: a send that fails locally fails the echo at once too.
   */
  private async confirmed(found: readonly Suspect[]): Promise<Suspect[]> {
    const checked = await Promise.all(
      found.map(async (s) => {
        if (s.endpoint === undefined) return s;
        const address = addressOf(s.endpoint);
        const candidate = { address, family: literalFamily(address) ?? 4 };
        const echo = await this.deps.pinger
          .probe(candidate, { count: 1, intervalMs: 0, timeoutMs: 1_000 })
          .catch((error: unknown) => ({ alive: false, error: String(error) }));
        if (!echo.alive)
          return { ...s, reason: `${s.reason}; ${s.endpoint}: ${echo.error ?? "no answer"}` };
        this.io.log.line({
          level: "info",
          text: `${s.iface} peer ${s.publicKey.slice(0, 8)}: ${s.reason}, but ${s.endpoint} answers ping: not suspect`,
        });
        return undefined;
      }),
    );
    return checked.filter((s) => s !== undefined);
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

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    this.timers.push(timer);
  }

  private async onFile(event: FileEvent, settingsFile: string | undefined): Promise<void> {
    if (this.stopped) return;
    if (event.path === settingsFile) return this.reloadSettings();
    if (!event.path.endsWith(".conf")) return;
    if (event.kind === "unlink") {
      const iface = this.configs.remove(event.path);
      if (iface)
        this.io.log.line({
          level: "change",
          text: `${event.path} removed: ${iface} is no longer managed`,
        });
      return;
    }
    const reload = await this.configs.reload(event.path);
    for (const p of reload.problems) this.io.log.line(formatProblem(p));
    if (reload.iface === undefined) return;
    this.io.log.line({ level: "info", text: `${event.path} changed: reconciling ${reload.iface}` });
    const config = this.configs.interfaces().find((c) => c.iface === reload.iface);
    const keys = new Set((config?.peers ?? []).map((p) => peerKey(p.iface, p.publicKey)));
    this.scheduler.requestPass({ kind: "peers", keys });
  }
}

/** The interfaces, narrowed to the peers a scope names. */
function inScope(interfaces: readonly InterfaceConfig[], scope: Scope): InterfaceConfig[] {
  if (scope.kind === "all") return [...interfaces];
  return interfaces
    .map((c) => ({
      ...c,
      problems: [],
      peers: c.peers.filter((p) => scope.keys.has(peerKey(c.iface, p.publicKey))),
    }))
    .filter((c) => c.peers.length > 0);
}
