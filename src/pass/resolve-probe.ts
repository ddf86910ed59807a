import { addressOf } from "../common/endpoint.js";
import type { Candidate, Resolution } from "../model.js";
import type { ObservedPeer } from "../observe/live-peers.js";
import { type Probes, startProbing } from "../probe/probe.js";
import type { Resolver } from "../resolve/dns.js";
import { literalResolution, namesToResolve, peerEndpoints } from "../resolve/endpoints.js";
import type { Settings } from "../settings/schema.js";
import { forEachBounded } from "../util/bounded.js";
import type { PassDeps } from "./deps.js";

/**
 * The resolve and probe steps for every observed peer at once: each name (Endpoints and
 * fallbacks) is resolved once, and its addresses are probed as soon as it resolves, so DNS and
 * ICMP overlap; literal addresses need no DNS. After SIGTERM nothing new is started.
 */
export async function resolveAndProbe(
  observed: readonly ObservedPeer[],
  settings: Settings,
  deps: PassDeps,
  signal: AbortSignal | undefined,
): Promise<{ resolutions: Map<string, Resolution>; probes: Probes }> {
  const probing = startProbing(settings.probe, deps.pinger, deps.systemPinger);
  const endpoints = observed.flatMap((o) => peerEndpoints(o.peer, settings));
  for (const e of endpoints) {
    const literal = literalResolution(e);
    if (literal?.ok) probing.add(literal.candidates);
  }
  const names = namesToResolve(endpoints);
  const resolutions = await resolveAll(
    names,
    deps.resolve,
    settings.dns.concurrency,
    signal,
    (r) => {
      if (r.ok && signal?.aborted !== true) probing.add(r.candidates);
    },
  );
  // The live endpoints too, once the names are in (most are among their addresses already):
  // one that DNS no longer lists may still be alive (decide/fallback.ts, decide/churn.ts).
  if (signal?.aborted !== true)
    probing.add(observed.flatMap((o) => liveCandidate(o.live.endpoint)));
  return { resolutions, probes: await probing.finish() };
}

// --- internal ---

function liveCandidate(endpoint: string | undefined): Candidate[] {
  if (endpoint === undefined) return [];
  const address = addressOf(endpoint);
  return [{ address, family: endpoint.startsWith("[") ? 6 : 4 }];
}

async function resolveAll(
  names: readonly string[],
  resolve: Resolver,
  concurrency: number,
  signal: AbortSignal | undefined,
  resolved: (resolution: Resolution) => void,
): Promise<Map<string, Resolution>> {
  const results = new Map<string, Resolution>();
  await forEachBounded(names, concurrency, async (name) => {
    if (signal?.aborted === true) return;
    const resolution = await resolve(name);
    results.set(name, resolution);
    resolved(resolution);
  });
  return results;
}
