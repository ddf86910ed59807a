import { join } from "node:path";
import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import type { InterfaceConfig, Problem, SourceKind } from "../model.js";
import type { Settings } from "../settings/schema.js";
import { type Discovery, readConfFolder } from "./discover.js";
import { networkdFilesInUse } from "./networkctl.js";
import { findNetdevFiles, readNetdevs } from "./networkd-files.js";
import { readKeyfiles } from "./nm-files.js";

/** How each source is named in messages. */
const SOURCE_NAMES: Readonly<Record<SourceKind, string>> = {
  "wg-quick": "wg-quick",
  networkd: "systemd-networkd",
  networkmanager: "NetworkManager",
};

/**
 * Every WireGuard interface the host's files describe: wg-quick's `*.conf` in configDir,
 * systemd-networkd's `.netdev` files (netplan's among them) and NetworkManager's keyfiles, each
 * source unless the settings turn it off. An interface two sources describe is managed once,
 * from the first of wg-quick, networkd, NetworkManager, and reported. A missing or empty wg-quick folder is
 * only a problem when no source describes any interface.
 */
export async function discoverAll(settings: Settings, filter: InterfaceFilter): Promise<Discovery> {
  const { sources } = settings;
  const [quick, networkd, nm] = await Promise.all([
    sources.wgQuick ? readConfFolder(settings.configDir, filter) : undefined,
    sources.networkd
      ? readNetworkd(sources.networkdDirs, filter)
      : { interfaces: [], problems: [] },
    sources.networkManager
      ? readKeyfiles(sources.networkManagerDirs)
      : { interfaces: [], problems: [] },
  ]);
  const found: InterfaceConfig[] = [
    ...(quick?.interfaces ?? []).map((c) => tagged(c, "wg-quick")),
    ...networkd.interfaces.map((c) => tagged(c, "networkd")),
    ...nm.interfaces.map((c) => tagged(c, "networkmanager")),
  ];
  const problems: Problem[] = [...(quick?.problems ?? [])];
  const managerProblems = [...networkd.problems, ...nm.problems];
  const interfaces: InterfaceConfig[] = [];
  for (const config of found) {
    if (!selects(filter, config.iface)) continue;
    const first = interfaces.find((c) => c.iface === config.iface);
    if (first === undefined) interfaces.push(config);
    else problems.push(describedTwice(first, config));
  }
  // A manager's file the filter leaves out says nothing about the interfaces asked for.
  problems.push(
    ...managerProblems.filter((p) => p.iface === undefined || selects(filter, p.iface)),
  );
  const everything = found.map((c) => c.iface);
  if (everything.length === 0) {
    // The wg-quick folder's own trouble (missing, empty) says it best, as it always did.
    const why = quick === undefined ? nothingFound(settings) : quick.folder;
    if (why !== undefined) problems.unshift(why);
  }
  for (const name of filter.include)
    if (!everything.includes(name)) problems.push(notFound(name, settings));
  return { interfaces, problems };
}

// --- internal ---

/**
 * networkd's interfaces from the search path; where networkd itself names the files it used for
 * an interface (networkctl.ts), those are read instead.
 */
async function readNetworkd(dirs: readonly string[], filter: InterfaceFilter): Promise<Discovery> {
  const sets = await findNetdevFiles(dirs);
  const read = await readNetdevs(sets);
  const wanted = read.interfaces.map((c) => c.iface).filter((i) => selects(filter, i));
  const used = await networkdFilesInUse(wanted);
  if (used.size === 0) return read;
  const ifaceOf = new Map(read.interfaces.map((c) => [c.file, c.iface]));
  const told = sets.map((s) => used.get(ifaceOf.get(s.main) ?? "") ?? s);
  return told.every((s, i) => JSON.stringify(s) === JSON.stringify(sets[i]))
    ? read
    : readNetdevs(told);
}

function tagged(config: InterfaceConfig, source: SourceKind): InterfaceConfig {
  return { ...config, source, peers: config.peers.map((p) => ({ ...p, source })) };
}

function describedTwice(first: InterfaceConfig, again: InterfaceConfig): Problem {
  const kind = (c: InterfaceConfig) => SOURCE_NAMES[c.source ?? "wg-quick"];
  return {
    severity: "warning",
    kind: "config",
    iface: again.iface,
    at: { file: again.file },
    message: `${again.iface} is also described by ${first.file} (${kind(first)}); managed from that file only (wg-quick files come first, then systemd-networkd, then NetworkManager), this ${kind(again)} file is not used`,
  };
}

function nothingFound(settings: Settings): Problem {
  const where = [
    settings.sources.wgQuick ? `${settings.configDir}/*.conf` : undefined,
    settings.sources.networkd ? "systemd-networkd's *.netdev files" : undefined,
    settings.sources.networkManager ? "NetworkManager's keyfiles" : undefined,
  ].filter((w) => w !== undefined);
  const message = `no WireGuard interface is described in ${where.join(", ") || "any source: the settings turn every source off"}`;
  return { severity: "error", kind: "environment", message };
}

function notFound(name: string, settings: Settings): Problem {
  const { wgQuick, networkd, networkManager } = settings.sources;
  const managers =
    networkd || networkManager
      ? ", and no systemd-networkd or NetworkManager file describes it"
      : "";
  const file = wgQuick
    ? `no ${join(settings.configDir, `${name}.conf`)}`
    : "wg-quick files are not read";
  const message = `interface ${name} (--interface or the interfaces setting): ${file}${managers}`;
  return { severity: "error", kind: "environment", message };
}
