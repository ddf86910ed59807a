import type { InterfaceConfig, ManagedPeer, Problem } from "../model.js";

/**
 * The warning `SaveConfig = true` deserves, or undefined when saving can lose nothing.
 * On `wg-quick down`, wg-quick writes `wg showconf` over the file, so every Endpoint becomes the
 * literal live address. Only a peer that is managed now (a hostname Endpoint, not ignored) stops
 * being managed by that; a server whose peers have no Endpoint, a file of literal endpoints and
 * a file without peers lose nothing, and a warning there would reach cron's mail every minute.
 */
export function saveConfigWarning(
  config: InterfaceConfig,
  managed: readonly ManagedPeer[],
): Problem | undefined {
  if (!config.saveConfig) return undefined;
  const atRisk = managed.filter((peer) => peer.iface === config.iface);
  if (atRisk.length === 0) return undefined;
  return {
    severity: "warning",
    kind: "config",
    iface: config.iface,
    at: { file: config.file },
    message: `SaveConfig = true: wg-quick down will write the live endpoint (a literal address) over ${what(atRisk)}, which will then silently stop being managed; set SaveConfig = false`,
  };
}

// --- internal ---

function what(peers: readonly ManagedPeer[]): string {
  const hosts = [...new Set(peers.map((peer) => peer.endpoint.host))].join(", ");
  const count = peers.length === 1 ? "1 managed peer" : `${peers.length} managed peers`;
  return `the hostname of ${count} (${hosts})`;
}
