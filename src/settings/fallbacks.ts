import { canonicalAddress, literalFamily, parseEndpoint } from "../common/endpoint.js";
import { echoValue } from "../common/redact.js";
import type { HostPort } from "../model.js";

/**
 * The most fallback endpoints a peer may have. Each address of each fallback may cost one
 * WireGuard verification (verify.timeoutMs, 11 s) in a pass where nothing works, so a long list
 * would make such a pass outlast the cron minute; four covers "another port, another name".
 */
export const MAX_FALLBACKS = 4;

/**
 * Checks `peers.<key>.fallbackEndpoints`: a list of at most MAX_FALLBACKS endpoints, each checked
 * as `wg` checks an Endpoint (parseEndpoint), none repeated. Problems go to `errors`, each naming
 * its entry (`...fallbackEndpoints[1]: ...`). Literal addresses come back in canonical form.
 */
export function validateFallbackEndpoints(
  value: unknown,
  path: string,
  errors: string[],
): HostPort[] | undefined {
  if (!Array.isArray(value)) {
    errors.push(`${path}: expected a list of endpoints ("host:port"), got ${echoValue(value)}`);
    return undefined;
  }
  if (value.length > MAX_FALLBACKS) {
    errors.push(`${path}: expected at most ${MAX_FALLBACKS} endpoints, got ${value.length}`);
    return undefined;
  }
  const out: HostPort[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    const parsed = typeof entry === "string" ? parseEndpoint(entry) : undefined;
    if (parsed === undefined) {
      errors.push(`${at}: expected "host:port", got ${echoValue(entry)}`);
    } else if (typeof parsed === "string") {
      errors.push(`${at}: Endpoint ${echoValue(entry)}: ${parsed}`);
    } else {
      const endpoint = canonical(parsed);
      const key = `${endpoint.host.toLowerCase()}|${endpoint.port}`;
      const first = seen.get(key);
      if (first !== undefined) errors.push(`${at}: repeats ${path}[${first}]`);
      else seen.set(key, i);
      out.push(endpoint);
    }
  });
  return out;
}

/**
 * The JSON Schema of fallbackEndpoints: the list's length and each entry's `host:port` shape;
 * the entry itself is checked as `wg` checks an Endpoint by validateFallbackEndpoints only.
 */
export function fallbackEndpointsSchema() {
  return {
    type: "array",
    maxItems: MAX_FALLBACKS,
    items: { type: "string", pattern: "^.+:[^:]+$" },
  };
}

// --- internal ---

function canonical(endpoint: HostPort): HostPort {
  if (literalFamily(endpoint.host) === undefined) return endpoint;
  return { host: canonicalAddress(endpoint.host), port: endpoint.port };
}
