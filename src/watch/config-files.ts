import { basename } from "node:path";
import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { discover, interfaceName, readInterfaceFile } from "../discover/discover.js";
import { refreshManagerInterfaces } from "../discover/manager-refresh.js";
import { discoverAll } from "../discover/sources.js";
import type { InterfaceConfig, Problem } from "../model.js";
import { peerKey } from "../model.js";
import { formatProblem } from "../report/format.js";
import type { Log } from "../report/log.js";
import type { Settings } from "../settings/schema.js";

/** A change chokidar saw. */
export interface FileEvent {
  readonly kind: "add" | "change" | "unlink";
  readonly path: string;
}

/** What reading a changed file did to the set. */
export interface Reload {
  /** The interface whose peers changed, if any. */
  readonly iface: string | undefined;
  readonly problems: readonly Problem[];
}

/**
 * The interfaces in force in watch mode. A file that becomes malformed is reported and its last
 * good version stays in force until it is fixed; a removed file's peers are no longer managed.
 */
export class ConfigSet {
  private readonly byIface = new Map<string, InterfaceConfig>();
  /** The managers' file problems already reported, so that a refresh reports only new ones. */
  private reported = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly filter: InterfaceFilter,
    /** With settings, every source they turn on is read (discover/sources.ts); else the folder. */
    private readonly settings?: Settings,
  ) {}

  /** Reads the whole folder, replacing what was there. */
  async loadAll(): Promise<readonly Problem[]> {
    const found = this.settings
      ? await discoverAll(this.settings, this.filter)
      : await discover(this.dir, this.filter);
    this.byIface.clear();
    for (const config of found.interfaces) this.byIface.set(config.iface, config);
    this.reported = new Set(found.problems.map(problemText));
    return found.problems;
  }

  /** Reads the managers' files again; the peers to reconcile, and problems not reported before. */
  async refreshManagers(): Promise<{ keys: Set<string>; problems: Problem[] }> {
    if (this.settings === undefined) return { keys: new Set(), problems: [] };
    const { keys, problems } = await refreshManagerInterfaces(
      this.byIface,
      this.settings,
      this.filter,
    );
    const news = problems.filter((p) => !this.reported.has(problemText(p)));
    this.reported = new Set(problems.map(problemText));
    return { keys, problems: news };
  }

  /** Reads one added or changed file. */
  async reload(file: string): Promise<Reload> {
    const iface = interfaceName(file);
    if (iface === undefined || !selects(this.filter, iface))
      return { iface: undefined, problems: [] };
    const read = await readInterfaceFile(file);
    if (!("peers" in read)) return { iface: undefined, problems: [read] };
    const previous = this.byIface.get(iface);
    const broken = read.problems.some((p) => p.severity === "error");
    if (broken && previous !== undefined) {
      const kept: Problem = {
        severity: "warning",
        kind: "config",
        at: { file },
        message: "keeping the last good version in force until the file is fixed",
      };
      return { iface: undefined, problems: [...read.problems, kept] };
    }
    this.byIface.set(iface, read);
    return { iface, problems: read.problems };
  }

  /** Forgets a removed file; returns its interface if it was in force. */
  remove(file: string): string | undefined {
    const iface = basename(file, ".conf");
    return this.byIface.delete(iface) ? iface : undefined;
  }

  interfaces(): InterfaceConfig[] {
    return [...this.byIface.values()];
  }
}

/**
 * A config file was added, changed or removed: updates the set in force and logs what happened.
 * Returns the peers to reconcile at once (none for a removed file), or undefined when the set
 * did not change (not a *.conf file, an interface the filter leaves out, a file now broken).
 */
export async function configFileChanged(
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

/** Watches the config folder and the settings file with chokidar; the returned function stops it. */
export async function watchFiles(
  paths: readonly string[],
  onChange: (e: FileEvent) => Promise<void>,
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
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return () => watcher.close();
}

// --- internal ---

function problemText(p: Problem): string {
  return `${p.at?.file}:${p.at?.line}:${p.message}`;
}
