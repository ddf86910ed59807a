import type { Family, HostPort } from "../model.js";
import { ipFamily } from "./ip.js";

/** Parses an Endpoint value the way `wg` does: `[v6]:port`, else split at the last `:`. */
export function parseEndpoint(value: string): HostPort | string {
  let host: string;
  let portText: string;
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    if (close < 0 || value[close + 1] !== ":") {
      return `expected "[IPv6]:port", got "${value}"`;
    }
    host = value.slice(1, close);
    portText = value.slice(close + 2);
    if (ipFamily(stripScope(host)) !== 6) return `"${host}" in brackets is not an IPv6 address`;
  } else {
    const colon = value.lastIndexOf(":");
    if (colon < 0) return `expected "host:port", got "${value}"`;
    host = value.slice(0, colon);
    portText = value.slice(colon + 1);
    if (host.includes(":")) return `an IPv6 address needs brackets: "[${host}]:${portText}"`;
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    return `expected a port 1-65535, got "${portText}"`;
  }
  if (ipFamily(stripScope(host)) === 0 && !isHostname(host)) {
    return `"${host}" is neither an IP address nor a valid hostname`;
  }
  return { host, port };
}

/** The family of a literal address, or undefined for a hostname. */
export function literalFamily(host: string): Family | undefined {
  const v = ipFamily(stripScope(host));
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
  if (ipFamily(bare) !== 6) return address;
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return scope === undefined ? canonical : `${canonical}%${scope}`;
}

// --- internal ---

function stripScope(host: string): string {
  const percent = host.indexOf("%");
  return percent < 0 ? host : host.slice(0, percent);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

function isHostname(host: string): boolean {
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label)) && !/^[\d.]+$/.test(name);
}
