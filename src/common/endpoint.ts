import { isIP } from "node:net";
import type { Family, HostPort } from "../model.js";
import { parseEndpointValue } from "./endpoint-parse.js";
import { noServices } from "./services.js";

/**
 * Parses an Endpoint value the way `wg` does (`[host]:port`, else split at the last `:`); the
 * port must be a number 1-65535 (see endpoint-parse.ts).
 */
export function parseEndpoint(value: string): HostPort | string {
  return parseEndpointValue(value, noServices);
}

/** The family of a literal address, or undefined for a hostname. */
export function literalFamily(host: string): Family | undefined {
  const v = isIP(stripScope(host));
  return v === 4 || v === 6 ? v : undefined;
}

/** The address part of a normalised endpoint. */
export function addressOf(endpoint: string): string {
  return endpoint.startsWith("[")
    ? endpoint.slice(1, endpoint.lastIndexOf("]"))
    : endpoint.slice(0, endpoint.lastIndexOf(":"));
}

/** `addr:port` with brackets for IPv6, in the canonical form `wg show` prints. */
export function formatEndpoint(address: string, port: number): string {
  return literalFamily(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** An endpoint string in canonical form, so that equal endpoints compare equal however written. */
export function normaliseEndpoint(text: string): string | undefined {
  const parsed = parseEndpoint(text);
  if (typeof parsed === "string") return undefined;
  const family = literalFamily(parsed.host);
  if (family === undefined) return undefined;
  return formatEndpoint(canonicalAddress(parsed.host), parsed.port);
}

/** One spelling per address: lower case, IPv6 zeros compressed (`2001:DB8:0::1` -> `2001:db8::1`). */
export function canonicalAddress(address: string): string {
  const [bare = address, scope] = address.split("%");
  if (isIP(bare) !== 6) return address;
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return scope === undefined ? canonical : `${canonical}%${scope}`;
}

// --- internal ---

function stripScope(host: string): string {
  const percent = host.indexOf("%");
  return percent < 0 ? host : host.slice(0, percent);
}
