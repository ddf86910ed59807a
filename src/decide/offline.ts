import type { Decision } from "./types.js";

/** What one peer showed in this pass, for telling "the peer is down" from "this host is offline". */
export interface PeerReach {
  readonly iface: string;
  /** Addresses of the peer this pass knows: resolved ones and the live endpoint's. */
  readonly addresses: number;
  /**
   * How many of them were found to have a route other than through loopback, a reject route or
   * a tunnel; the pass stops looking at the first one, since only "none" tells.
   */
  readonly routed: number;
  /**
   * Whether an address answered ping or the live endpoint carried WireGuard traffic in this pass;
   * undefined when that could not be learnt (--dry-run runs no WireGuard check).
   */
  readonly answered: boolean | undefined;
}

/**
 * Silence proves "offline" only across this many peers: one silent peer is just as likely down
 * itself. A watch-mode pass for one suspect peer therefore goes by the routes alone.
 */
export const SILENT_PEERS_FOR_OFFLINE = 2;

/**
 * Why this host looks offline, from this pass alone, or undefined when it does not: no route
 * leads to any address of any peer (no default route either), or at least two peers were asked
 * and none answered, neither ping nor WireGuard. Peers with no address at all say nothing.
 */
export function hostOffline(peers: readonly PeerReach[]): string | undefined {
  const known = peers.filter((p) => p.addresses > 0);
  if (known.length === 0) return undefined;
  if (known.every((p) => p.routed === 0)) return "no route to any peer's address";
  if (known.length < SILENT_PEERS_FOR_OFFLINE) return undefined;
  if (known.every((p) => p.answered === false))
    return `none of ${known.length} peers answered ping or WireGuard`;
  return undefined;
}

/** The one line for an interface while the host looks offline (instead of one per peer). */
export function offlineMessage(reason: string): string {
  return `this host looks offline (${reason}): no endpoint changed, no address marked failed; trying again next pass`;
}

/** Each peer's decision while the host looks offline: keep the endpoint, try nothing. */
export function offlineDecision(current: string | undefined, reason: string): Decision {
  const keeping = current ?? "no endpoint";
  return {
    action: "keep",
    endpoint: current,
    reason: `this host looks offline (${reason}); keeping ${keeping}`,
  };
}
