import { checkAddressOf } from "../apply/tunnel-address.js";
import { addressOf } from "../common/endpoint.js";
import { hostOffline, offlineDecision, offlineMessage, type PeerReach } from "../decide/offline.js";
import type { ManagedPeer, ProbeResult, Problem, Resolution } from "../model.js";
import { peerKey } from "../model.js";
import type { ObservedPeer } from "../observe/live-peers.js";
import { leadsOut } from "../observe/routes.js";
import { fallbackResolutions, resolutionOf, resolvedAddresses } from "../resolve/endpoints.js";
import type { Settings } from "../settings/schema.js";
import type { PeerState } from "../state/shape.js";
import { forEachBounded } from "../util/bounded.js";
import type { PassDeps } from "./deps.js";
import type { PeerResult } from "./peer-state.js";

/** What the pass saw, as far as telling "offline" needs. */
export interface OfflineSeen {
  readonly resolutions: ReadonlyMap<string, Resolution>;
  readonly probes: ReadonlyMap<string, ProbeResult>;
}

/**
 * Why this host looks offline (decide/offline.ts), from the routes, the pass's pings and, only
 * when no address of any peer answered ping, one WireGuard check of each peer's live endpoint
 * (the check the pass would make first anyway). Undefined when the host looks online.
 */
export async function offlineReason(
  observed: readonly ObservedPeer[],
  seen: OfflineSeen,
  tunnels: ReadonlySet<string>,
  settings: Settings,
  deps: PassDeps,
  canCheck: boolean,
): Promise<string | undefined> {
  const addressLists = observed.map(({ peer, live }) =>
    addressesOf(peer, live.endpoint, seen.resolutions, settings),
  );
  const routedCounts = await countRouted(addressLists, tunnels, deps.route);
  const reach = observed.map(({ peer, live }, i) => {
    const addresses = addressLists[i] ?? [];
    const pinged = addresses.some((a) => seen.probes.get(a)?.alive === true);
    const inside = checkAddressOf(peer, live, settings.peers[peer.publicKey]?.verifyAddress);
    const check =
      canCheck && live.endpoint !== undefined
        ? async () => (await deps.check(peer.iface, peer.publicKey, inside)).ok
        : undefined;
    return {
      iface: peer.iface,
      addresses: addresses.length,
      routed: routedCounts[i] ?? 0,
      answered: pinged ? true : canCheck ? false : undefined,
      check,
    } satisfies PeerReach & { check: (() => Promise<boolean>) | undefined };
  });
  const byRoutes = hostOffline(reach.map((r) => ({ ...r, answered: undefined })));
  if (byRoutes !== undefined || hostOffline(reach) === undefined) return byRoutes;
  // Every peer was silent to ping: only WireGuard can tell now (peers may drop ICMP).
  const checked = await Promise.all(
    reach.map(async (r) => ({ ...r, answered: (await r.check?.()) ?? false })),
  );
  return hostOffline(checked);
}

/** Route lookups in flight at once: each holds a UDP socket until the kernel answers. */
const ROUTE_LOOKUPS_AT_ONCE = 64;

/**
 * How many of each list's addresses were found to have a route leading off this host. Only
 * "none at all" tells (decide/offline.ts), so the lookups stop once one route is found: a
 * healthy host asks at most one round of ROUTE_LOOKUPS_AT_ONCE, however many peers it has.
 * NOTE(perf): asking for all of a big pass's thousands of addresses cost a socket each.
 */
export async function countRouted(
  addressLists: readonly (readonly string[])[],
  tunnels: ReadonlySet<string>,
  route: PassDeps["route"],
): Promise<number[]> {
  const counts = addressLists.map(() => 0);
  const asks = addressLists.flatMap((addresses, i) => addresses.map((address) => ({ i, address })));
  let found = false;
  await forEachBounded(asks, ROUTE_LOOKUPS_AT_ONCE, async ({ i, address }) => {
    if (found) return;
    if (!leadsOut(await route(address), tunnels)) return;
    counts[i] = (counts[i] ?? 0) + 1;
    found = true;
  });
  return counts;
}

/**
 * The pass's result while offline: endpoints kept, each peer's state untouched (decide/offline.ts),
 * one problem per interface.
 */
export function offlineResults(
  observed: readonly ObservedPeer[],
  seen: OfflineSeen,
  reason: string,
  peers: Readonly<Record<string, PeerState>>,
  now: number,
): { results: PeerResult[]; problems: Problem[] } {
  const results = observed.map(({ peer, live }): PeerResult => {
    const resolution = resolutionOf(peer.endpoint, seen.resolutions);
    const probes = resolution.ok
      ? resolution.candidates.flatMap((c) => seen.probes.get(c.address) ?? [])
      : [];
    const decision = offlineDecision(live.endpoint, reason);
    const outcome = {
      peer,
      live,
      original: live.endpoint,
      resolution,
      probes,
      steps: [{ decision }],
    };
    const state = peers[peerKey(peer.iface, peer.publicKey)] ?? { failedUntil: {} };
    return { outcome, state, at: now };
  });
  const ifaces = [...new Set(observed.map((o) => o.peer.iface))];
  const message = offlineMessage(reason);
  const problems = ifaces.map(
    (iface): Problem => ({ severity: "error", kind: "peer", iface, message }),
  );
  return { results, problems };
}

// --- internal ---

/** Every address a peer may be reached at: its own Endpoint's, its fallbacks', its live one. */
function addressesOf(
  peer: ManagedPeer,
  endpoint: string | undefined,
  resolutions: ReadonlyMap<string, Resolution>,
  settings: Settings,
): string[] {
  const resolved = resolvedAddresses(
    resolutionOf(peer.endpoint, resolutions),
    fallbackResolutions(peer, settings, resolutions),
  );
  const current = endpoint === undefined ? [] : [addressOf(endpoint)];
  return [...new Set([...resolved, ...current])];
}
