import { formatEndpoint } from "../common/endpoint.js";
import type {
  Candidate,
  CandidateEndpoint,
  EndpointOrigin,
  Family,
  HostFamilies,
  HostPort,
  Resolution,
} from "../model.js";
import { missingFamilies } from "./families.js";

/** One configured endpoint of a peer (the conf's, or a fallback) and what resolving it gave. */
export interface EndpointSource {
  readonly origin: EndpointOrigin;
  readonly endpoint: HostPort;
  readonly resolution: Resolution;
}

/** The peer's configured endpoints in the order they are tried: its own first, then the fallbacks. */
export function endpointSources(
  primary: HostPort,
  resolution: Resolution,
  fallbacks: readonly { readonly endpoint: HostPort; readonly resolution: Resolution }[],
): EndpointSource[] {
  return [
    { origin: { kind: "primary" }, endpoint: primary, resolution },
    ...fallbacks.map((f, i) => ({
      origin: { kind: "fallback", number: i + 1, endpoint: hostPortText(f.endpoint) } as const,
      endpoint: f.endpoint,
      resolution: f.resolution,
    })),
  ];
}

/**
 * Every endpoint the peer may be set to, best first: the sources in order, and within each source
 * happy eyeballs (the preferred family first, each family in the resolver's order). Addresses of a
 * family this host cannot send from are left out, and of each source at most `perName` are kept
 * (capped()); `leftOut` holds the others, for the report.
 */
export function candidateEndpoints(
  sources: readonly EndpointSource[],
  host: HostFamilies,
  preferred: Family,
  perName = Number.POSITIVE_INFINITY,
  current?: string,
): { ordered: CandidateEndpoint[]; leftOut: CandidateEndpoint[] } {
  const ordered: CandidateEndpoint[] = [];
  const leftOut: CandidateEndpoint[] = [];
  for (const source of sources) {
    const all = usable(source, host)
      .sort((a, b) => Number(b.family === preferred) - Number(a.family === preferred))
      .map((c) => ({ ...c, port: source.endpoint.port, origin: source.origin }));
    const kept = capped(all, perName, current);
    ordered.push(...all.filter((c) => kept.has(c)));
    leftOut.push(...all.filter((c) => !kept.has(c)));
  }
  return { ordered, leftOut };
}

/** Why a source gives no endpoint this host can use, or undefined when it gives one. */
export function sourceProblem(source: EndpointSource, host: HostFamilies): string | undefined {
  if (!source.resolution.ok) return source.resolution.error;
  if (usable(source, host).length > 0) return undefined;
  const listed = source.resolution.candidates.map((c) => c.address).join(", ");
  return `${source.endpoint.host} resolves only to ${listed} and ${missingFamilies(source.resolution.candidates)}`;
}

/** The configured endpoint `endpoint` (normalised `addr:port`) belongs to, first match wins. */
export function originOf(
  endpoint: string | undefined,
  sources: readonly EndpointSource[],
): EndpointOrigin | undefined {
  if (endpoint === undefined) return undefined;
  const found = sources.find(
    (s) =>
      s.resolution.ok &&
      s.resolution.candidates.some((c) => formatEndpoint(c.address, s.endpoint.port) === endpoint),
  );
  return found?.origin;
}

/**
 * The fallback a peer's endpoint is on, or undefined when it is on one of its own Endpoint's
 * addresses (or on none of the configured ones: a roamed or hand-set endpoint).
 */
export function fallbackOf(
  endpoint: string | undefined,
  primary: HostPort,
  resolution: Resolution,
  fallbacks: readonly { readonly endpoint: HostPort; readonly resolution: Resolution }[],
): FallbackOrigin | undefined {
  const origin = originOf(endpoint, endpointSources(primary, resolution, fallbacks));
  return origin?.kind === "fallback" ? origin : undefined;
}

/**
 * `fallback 2, vpn.example.test:443`: which fallback, as decisions, the report and `status` all
 * name it (the one wording; `number` counts from 1, `endpoint` is the settings' `host:port`).
 */
export function fallbackName(fallback: {
  readonly number: number;
  readonly endpoint: string;
}): string {
  return `fallback ${fallback.number}, ${fallback.endpoint}`;
}

/** The origin of a candidate from a fallback. */
export type FallbackOrigin = Extract<EndpointOrigin, { kind: "fallback" }>;

/** `host:port`, with brackets around an IPv6 literal. */
export function hostPortText(endpoint: HostPort): string {
  return formatEndpoint(endpoint.host, endpoint.port);
}

// --- internal ---

/**
 * At most `limit` of one name's candidates, the families taken in turn (preferred first) so that
 * a cap never drops a whole family; the current endpoint is always among them, so that a cap
 * never makes a working endpoint look gone from DNS.
 */
function capped(
  all: readonly CandidateEndpoint[],
  limit: number,
  current: string | undefined,
): Set<CandidateEndpoint> {
  if (all.length <= limit) return new Set(all);
  const kept = new Set(all.filter((c) => formatEndpoint(c.address, c.port) === current));
  const families = [
    all.filter((c) => c.family === all[0]?.family),
    all.filter((c) => c.family !== all[0]?.family),
  ];
  for (let i = 0; kept.size < limit && i < all.length; i++) {
    for (const list of families) {
      const c = list[i];
      if (c !== undefined && kept.size < limit) kept.add(c);
    }
  }
  return kept;
}

function usable(source: EndpointSource, host: HostFamilies): Candidate[] {
  if (!source.resolution.ok) return [];
  return source.resolution.candidates.filter((c) => (c.family === 6 ? host.ipv6 : host.ipv4));
}
