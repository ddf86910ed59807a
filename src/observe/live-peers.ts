import { literalFamily } from "../common/endpoint.js";
import { echo } from "../common/redact.js";
import { saveConfigWarning } from "../discover/save-config.js";
import type { InterfaceConfig, LivePeer, ManagedPeer, Problem } from "../model.js";
import type { Settings } from "../settings/schema.js";
import { type Wg, WgCommandError } from "./wg.js";

/** A managed peer together with its live state: what the rest of the pass works on. */
export interface ObservedPeer {
  readonly peer: ManagedPeer;
  readonly live: LivePeer;
}

/** Peers this pass leaves alone, and why (shown with --verbose). */
export interface Unmanaged {
  readonly iface: string;
  readonly publicKey: string;
  readonly reason: string;
}

/** The observe step: one `wg show` per interface, matched against the config files. */
export async function observePeers(
  wg: Wg,
  interfaces: readonly InterfaceConfig[],
  settings: Settings,
): Promise<{ observed: ObservedPeer[]; unmanaged: Unmanaged[]; problems: Problem[] }> {
  const observed: ObservedPeer[] = [];
  const unmanaged: Unmanaged[] = [];
  const problems: Problem[] = [];
  await Promise.all(
    interfaces.map(async (config) => {
      problems.push(...config.problems);
      const managed = config.peers.filter((p) => isManaged(p, settings, unmanaged));
      const saveWarning = saveConfigWarning(config, managed);
      if (saveWarning !== undefined) problems.push(saveWarning);
      if (managed.length === 0) return;
      let live: LivePeer[];
      try {
        live = await wg.show(config.iface);
      } catch (error) {
        if (!(error instanceof WgCommandError)) throw error;
        // An interface that is down is worth a warning; no `wg` or no permission stops the tool working.
        const severity = error.reason === "not-up" ? "warning" : "error";
        problems.push({
          severity,
          kind: "environment",
          iface: config.iface,
          message: error.message,
        });
        return;
      }
      // A map, not find(): a hub's 2,000 peers would cost 2 million comparisons.
      const byKey = new Map(live.map((l) => [l.publicKey, l]));
      for (const peer of managed) {
        const match = byKey.get(peer.publicKey);
        if (match === undefined) problems.push(notLive(peer));
        else observed.push({ peer, live: match });
      }
    }),
  );
  return { observed, unmanaged, problems };
}

// --- internal ---

function isManaged(
  peer: ManagedPeer | InterfaceConfig["peers"][number],
  settings: Settings,
  out: Unmanaged[],
): peer is ManagedPeer {
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

function notLive(peer: ManagedPeer): Problem {
  return {
    severity: "warning",
    kind: "peer",
    iface: peer.iface,
    peer: peer.publicKey,
    at: peer.at,
    message: `is in the file but not on the running interface; skipped (apply the file with: wg syncconf ${peer.iface} <(wg-quick strip ${peer.iface}))`,
  };
}
