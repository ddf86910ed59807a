import { dirname, resolve } from "node:path";
import { filterOf } from "../common/interface-filter.js";
import { ConfigSet } from "../discover/config-set.js";
import { managerWatchPaths } from "../discover/manager-folders.js";
import type { InterfaceConfig, Problem } from "../model.js";
import { parsePeerKey, peerKey } from "../model.js";
import { formatProblem } from "../report/format.js";
import type { Log } from "../report/log.js";
import type { Settings } from "../settings/schema.js";

/** A change chokidar saw. */
export interface FileEvent {
  readonly kind: "add" | "change" | "unlink";
  readonly path: string;
}

/** Starts watching files; the returned function stops it. */
export type WatchFiles = (
  paths: readonly string[],
  onChange: (event: FileEvent) => Promise<void>,
  onError: (error: unknown) => void,
) => Promise<() => Promise<void>>;

/** What ConfigFiles needs from the service. */
export interface ConfigFilesDeps {
  readonly log: Log;
  /** watchFiles (below), or a fake in the unit tests. */
  readonly watchFiles: WatchFiles;
  /** The settings file changed. */
  readonly reloadSettings: () => Promise<void>;
  /** The interfaces in force changed (the service follows their names' TTLs). */
  readonly changed: () => void;
  /** These peers' files changed: they want a pass. */
  readonly requestPass: (keys: Set<string>) => void;
}

/**
 * The service's config files: the set in force, the folders watched (the config folder, the
 * managers' folders, the settings file) and what each file event does to them.
 */
export class ConfigFiles {
  private configs: ConfigSet;
  /** Problems of the last full read of the config folder: files it could not read keep their state. */
  private loadProblems: readonly Problem[] = [];
  private stopWatching: (() => Promise<void>) | undefined;
  /** What the watcher follows now. */
  private watched: readonly string[] = [];
  private settingsFile: string | undefined;
  private stopped = false;
  /** watchFolders() calls run one at a time: two at once would each start a watcher. */
  private watching: Promise<unknown> = Promise.resolve();

  constructor(
    private settings: Settings,
    private readonly io: ConfigFilesDeps,
  ) {
    this.configs = new ConfigSet(settings.configDir, filterOf(settings), settings);
  }

  /** The problems of the last full read, kept for pruning. */
  get problems(): readonly Problem[] {
    return this.loadProblems;
  }

  interfaces(): InterfaceConfig[] {
    return this.configs.interfaces();
  }

  /** Reads every config file; their problems are logged once, and kept for pruning. */
  async load(): Promise<void> {
    this.loadProblems = await this.configs.loadAll();
    for (const p of this.loadProblems) this.io.log.line(formatProblem(p));
  }

  /** Starts watching the folders the settings in force name, and the settings file. */
  async watch(settingsFile: string | undefined): Promise<void> {
    this.settingsFile = settingsFile;
    await this.watchFolders(this.settings);
  }

  /**
   * New settings: every file is read again and the folders they name are watched. The new set
   * comes into force only once all of it worked; if any of it throws, the old set stays.
   */
  async reload(settings: Settings): Promise<void> {
    const configs = new ConfigSet(settings.configDir, filterOf(settings), settings);
    const problems = await configs.loadAll();
    // Sources turned on or off, or moved, change the folders to watch.
    if (!this.stopped) await this.watchFolders(settings);
    this.settings = settings;
    this.configs = configs;
    this.loadProblems = problems;
    for (const p of problems) this.io.log.line(formatProblem(p));
  }

  /** Reads the managers' files again; logs what changed and returns the peers to reconcile. */
  async refreshManagers(): Promise<Set<string>> {
    const { keys, problems } = await this.configs.refreshManagers();
    for (const p of problems) this.io.log.line(formatProblem(p));
    if (keys.size > 0) {
      const ifaces = [...new Set([...keys].map((k) => parsePeerKey(k).iface))].join(", ");
      this.io.log.line({ level: "info", text: `a manager's file changed: reconciling ${ifaces}` });
      this.io.changed();
    }
    return keys;
  }

  /** Stops the watcher; later events are ignored. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopWatching?.();
  }

  // --- internal ---

  /** Watches the folders `settings` name; a watcher already on them is kept. */
  private watchFolders(settings: Settings): Promise<void> {
    const next = this.watching.then(() => this.watchFoldersNow(settings));
    this.watching = next.catch(() => undefined);
    return next;
  }

  private async watchFoldersNow(settings: Settings): Promise<void> {
    const managers = await managerWatchPaths(settings);
    const file = this.settingsFile;
    const paths = [settings.configDir, ...managers, ...(file !== undefined ? [file] : [])];
    if (this.stopWatching !== undefined && sameList(paths, this.watched)) return;
    // The new watcher starts before the old one stops: if it fails, the old one stays.
    const stop = await this.io.watchFiles(
      paths,
      (e) => this.onFile(e, file).catch((error: unknown) => this.failed("a file event", error)),
      (error) => this.failed("the file watcher", error),
    );
    // stop() may have come while the watcher started: it stopped the old one.
    if (this.stopped) return stop();
    const old = this.stopWatching;
    this.stopWatching = stop;
    this.watched = paths;
    await old?.();
  }

  private failed(what: string, error: unknown): void {
    const text = `error: ${what} failed: ${String(error)}; watching on`;
    this.io.log.line({ level: "error", text });
  }

  private async onFile(event: FileEvent, settingsFile: string | undefined): Promise<void> {
    if (this.stopped) return;
    if (event.path === settingsFile) return this.io.reloadSettings();
    if (resolve(dirname(event.path)) !== resolve(this.settings.configDir)) {
      const keys = await this.refreshManagers();
      if (keys.size > 0) this.io.requestPass(keys);
      return;
    }
    const changed = await configFileChanged(event, this.configs, this.io.log);
    if (changed === undefined) return;
    // A removed wg-quick file may leave its interface to a manager's file.
    const keys = event.kind === "unlink" ? await this.refreshManagers() : changed;
    this.io.changed();
    if (keys.size > 0) this.io.requestPass(keys);
  }
}

/**
 * Watches the given paths with chokidar (the wg-quick folder, the managers' folders one level deep
 * for their drop-in folders, the settings file); the returned function stops it.
 */
export async function watchFiles(
  paths: readonly string[],
  onChange: (e: FileEvent) => Promise<void>,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  // chokidar is loaded here, so the cron run never pays for it.
  const { watch: chokidar } = await import("chokidar");
  const watcher = chokidar([...paths], {
    ignoreInitial: true,
    // One level down: networkd's drop-in folders (NAME.netdev.d/*.conf), even ones made later.
    depth: 1,
    // Editors save by writing a new file and renaming it over the old one: wait for it to settle.
    atomic: true,
    awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
  });
  watcher.on("add", (path) => void onChange({ kind: "add", path }));
  watcher.on("change", (path) => void onChange({ kind: "change", path }));
  watcher.on("unlink", (path) => void onChange({ kind: "unlink", path }));
  // Without a listener, an error event (a folder unreadable, too many watches) kills the process.
  watcher.on("error", onError);
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return () => watcher.close();
}

// --- internal ---

/**
 * A config file was added, changed or removed: updates the set in force and logs what happened.
 * Returns the peers to reconcile at once (none for a removed file), or undefined when the set
 * did not change (not a *.conf file, an interface the filter leaves out, a file now broken).
 */
async function configFileChanged(
  event: FileEvent,
  configs: ConfigSet,
  log: Log,
): Promise<Set<string> | undefined> {
  if (!event.path.endsWith(".conf")) return undefined;
  if (event.kind === "unlink") {
    const iface = configs.remove(event.path);
    if (iface === undefined) return undefined;
    log.line({ level: "change", text: `${event.path} removed: ${iface} is no longer managed` });
    return new Set();
  }
  const reload = await configs.reload(event.path);
  for (const p of reload.problems) log.line(formatProblem(p));
  if (reload.iface === undefined) return undefined;
  log.line({ level: "info", text: `${event.path} changed: reconciling ${reload.iface}` });
  const config = configs.interfaces().find((c) => c.iface === reload.iface);
  return new Set((config?.peers ?? []).map((p) => peerKey(p.iface, p.publicKey)));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
