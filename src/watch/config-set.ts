import { basename } from "node:path";
import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { discover, interfaceName, readInterfaceFile } from "../discover/discover.js";
import { discoverAll } from "../discover/sources.js";
import type { InterfaceConfig, Problem } from "../model.js";
import type { Settings } from "../settings/schema.js";
import { peerKey } from "../state/state.js";

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

  private managerProblems = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly filter: InterfaceFilter,
    /** With settings, every source they turn on is read (sources.ts); without, the folder alone. */
    private readonly settings?: Settings,
  ) {}

  /** Reads the whole folder, replacing what was there. */
  async loadAll(): Promise<readonly Problem[]> {
    const found = this.settings
      ? await discoverAll(this.settings, this.filter)
      : await discover(this.dir, this.filter);
    this.byIface.clear();
    for (const config of found.interfaces) this.byIface.set(config.iface, config);
    this.managerProblems = new Set(found.problems.map(problemText));
    return found.problems;
  }

  /**
   * Reads systemd-networkd's and NetworkManager's files again (one of them changed, or a full
   * pass is due). Returns the peers of interfaces whose description changed, and the problems
   * not reported before.
   */
  async refreshManagers(): Promise<{ keys: Set<string>; problems: Problem[] }> {
    if (this.settings === undefined) return { keys: new Set(), problems: [] };
    const managersOnly = { ...this.settings.sources, wgQuick: false };
    const found = await discoverAll({ ...this.settings, sources: managersOnly }, this.filter);
    const keys = new Set<string>();
    const fresh = new Map(found.interfaces.map((c) => [c.iface, c]));
    for (const [iface, old] of this.byIface) {
      if (old.source === undefined || old.source === "wg-quick" || fresh.has(iface)) continue;
      this.byIface.delete(iface);
    }
    for (const [iface, config] of fresh) {
      const old = this.byIface.get(iface);
      if (old !== undefined && (old.source ?? "wg-quick") === "wg-quick") continue;
      if (old !== undefined && JSON.stringify(old) === JSON.stringify(config)) continue;
      this.byIface.set(iface, config);
      for (const p of config.peers) keys.add(peerKey(iface, p.publicKey));
    }
    // Problems are reported when they appear, not again on every refresh.
    const problems = found.problems.filter((p) => p.at !== undefined);
    const news = problems.filter((p) => !this.managerProblems.has(problemText(p)));
    this.managerProblems = new Set(problems.map(problemText));
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

// --- internal ---

function problemText(p: Problem): string {
  return `${p.at?.file}:${p.at?.line}:${p.message}`;
}
