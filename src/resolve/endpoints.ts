import { canonicalAddress, literalFamily } from "../common/endpoint.js";
import type { FallbackResolution, HostPort, ManagedPeer, Resolution } from "../model.js";
import type { Settings } from "../settings/schema.js";

/**
 * Every endpoint a peer may use: its own (the conf's Endpoint) and its fallbacks from the
 * settings (`peers.<key>.fallbackEndpoints`), in order.
 */
export function peerEndpoints(peer: ManagedPeer, settings: Settings): HostPort[] {
  return [peer.endpoint, ...(settings.peers[peer.publicKey]?.fallbackEndpoints ?? [])];
}

/** The hostnames among `endpoints`, each once: what the resolve step looks up. */
export function namesToResolve(endpoints: readonly HostPort[]): string[] {
  return [
    ...new Set(endpoints.filter((e) => literalFamily(e.host) === undefined).map((e) => e.host)),
  ];
}

/** A literal address as if resolved (no DNS), or undefined for a hostname. */
export function literalResolution(endpoint: HostPort): Resolution | undefined {
  const family = literalFamily(endpoint.host);
  if (family === undefined) return undefined;
  return { ok: true, candidates: [{ address: canonicalAddress(endpoint.host), family }] };
}

/** What an endpoint resolves to: a literal address itself, a name what DNS said. */
export function resolutionOf(
  endpoint: HostPort,
  resolutions: ReadonlyMap<string, Resolution>,
): Resolution {
  return (
    literalResolution(endpoint) ??
    resolutions.get(endpoint.host) ?? { ok: false, error: `${endpoint.host} was not resolved` }
  );
}

/** A peer's fallbacks, each with what it resolved to. */
export function fallbackResolutions(
  peer: ManagedPeer,
  settings: Settings,
  resolutions: ReadonlyMap<string, Resolution>,
): FallbackResolution[] {
  return (settings.peers[peer.publicKey]?.fallbackEndpoints ?? []).map((endpoint) => ({
    endpoint,
    resolution: resolutionOf(endpoint, resolutions),
  }));
}

/**
 * Every address a peer's own Endpoint and its fallbacks resolved to, in order, repeats kept (a
 * count of candidates counts them); names that failed give none.
 */
export function resolvedAddresses(
  resolution: Resolution,
  fallbacks: readonly FallbackResolution[] = [],
): string[] {
  return [resolution, ...fallbacks.map((f) => f.resolution)].flatMap((r) =>
    r.ok ? r.candidates.map((c) => c.address) : [],
  );
}
