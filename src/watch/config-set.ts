import { basename } from "node:path";
import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { discover, interfaceName, readInterfaceFile } from "../discover/discover.js";
import type { InterfaceConfig, Problem } from "../model.js";

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

  constructor(
    private readonly dir: string,
    private readonly filter: InterfaceFilter,
  ) {}

  /** Reads the whole folder, replacing what was there. */
  async loadAll(): Promise<readonly Problem[]> {
    const found = await discover(this.dir, this.filter);
    this.byIface.clear();
    for (const config of found.interfaces) this.byIface.set(config.iface, config);
    return found.problems;
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
