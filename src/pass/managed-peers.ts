import { literalFamily } from "../common/endpoint.js";
import { echo } from "../common/redact.js";
import { saveConfigWarning } from "../discover/save-config.js";
import type { InterfaceConfig, ManagedPeer, Peer, Problem, Unmanaged } from "../model.js";
import type { ManagedInterface } from "../observe/live-peers.js";
import type { Settings } from "../settings/schema.js";

/**
 * Which peers of the config files this pass manages: those with a hostname Endpoint, or a
 * literal one the settings give fallbacks, and not ignored. Also gathers each file's problems
 * and the SaveConfig warning, which depends on what is managed.
 */
export function managedPeers(
  interfaces: readonly InterfaceConfig[],
  settings: Settings,
): { managed: ManagedInterface[]; unmanaged: Unmanaged[]; problems: Problem[] } {
  const unmanaged: Unmanaged[] = [];
  const problems: Problem[] = [];
  const managed = interfaces.map((config) => {
    problems.push(...config.problems);
    const peers = config.peers.filter((p) => isManaged(p, settings, unmanaged));
    const saveWarning = saveConfigWarning(config, peers);
    if (saveWarning !== undefined) problems.push(saveWarning);
    return { iface: config.iface, peers };
  });
  return { managed, unmanaged, problems };
}

// --- internal ---

function isManaged(peer: Peer, settings: Settings, out: Unmanaged[]): peer is ManagedPeer {
  const skip = (reason: string) => {
    out.push({ iface: peer.iface, publicKey: peer.publicKey, reason });
    return false;
  };
  if (peer.endpoint === undefined) return skip("no Endpoint: not managed");
  // A literal address has nothing to re-resolve, unless the settings give it fallbacks to try.
  const fallbacks = settings.peers[peer.publicKey]?.fallbackEndpoints ?? [];
  if (literalFamily(peer.endpoint.host) !== undefined && fallbacks.length === 0)
    return skip(`Endpoint is the literal address ${echo(peer.endpoint.host)}: not managed`);
  if (settings.peers[peer.publicKey]?.ignore === true)
    return skip("ignored by settings (peers.<key>.ignore)");
  return true;
}
