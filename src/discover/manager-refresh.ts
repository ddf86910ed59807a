import type { InterfaceFilter } from "../common/interface-filter.js";
import type { InterfaceConfig, Problem } from "../model.js";
import { peerKey } from "../model.js";
import type { Settings } from "../settings/schema.js";
import { discoverAll } from "./sources.js";

/** What reading the managers' files again changed. */
export interface ManagerRefresh {
  /** The peers of interfaces whose description is new or changed. */
  readonly keys: Set<string>;
  readonly problems: readonly Problem[];
}

/**
 * Reads systemd-networkd's and NetworkManager's files again and brings `byIface` up to date: a
 * manager's interface that is gone is forgotten, a new or changed one replaces the old, and an
 * interface a wg-quick file describes stays as it is (wg-quick files come first).
 */
export async function refreshManagerInterfaces(
  byIface: Map<string, InterfaceConfig>,
  settings: Settings,
  filter: InterfaceFilter,
): Promise<ManagerRefresh> {
  const managersOnly = { ...settings.sources, wgQuick: false };
  const found = await discoverAll({ ...settings, sources: managersOnly }, filter);
  const fresh = new Map(found.interfaces.map((c) => [c.iface, c]));
  for (const [iface, old] of byIface)
    if (fromManager(old) && !fresh.has(iface)) byIface.delete(iface);
  const keys = new Set<string>();
  for (const [iface, config] of fresh) {
    const old = byIface.get(iface);
    if (old !== undefined && !fromManager(old)) continue;
    if (old !== undefined && JSON.stringify(old) === JSON.stringify(config)) continue;
    byIface.set(iface, config);
    for (const p of config.peers) keys.add(peerKey(iface, p.publicKey));
  }
  // Folder-level problems (nothing found anywhere) are the wg-quick folder's to report.
  return { keys, problems: found.problems.filter((p) => p.at !== undefined) };
}

// --- internal ---

function fromManager(config: InterfaceConfig): boolean {
  return config.source === "networkd" || config.source === "networkmanager";
}
