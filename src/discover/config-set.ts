import { basename } from "node:path";
import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import type { InterfaceConfig, Problem } from "../model.js";
import type { Settings } from "../settings/schema.js";
import { discover, interfaceName, readInterfaceFile } from "./discover.js";
import { refreshManagerInterfaces } from "./manager-refresh.js";
import { discoverAll } from "./sources.js";

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

  /** Reads one added or changed file: the interface whose peers changed, if any, and problems. */
  async reload(file: string): Promise<{ iface: string | undefined; problems: readonly Problem[] }> {
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

// --- internal ---

function problemText(p: Problem): string {
  return `${p.at?.file}:${p.at?.line}:${p.message}`;
}
