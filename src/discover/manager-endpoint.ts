import { classifyHost } from "../common/endpoint-host.js";
import { echo } from "../common/redact.js";
import type { HostPort } from "../model.js";

/**
 * An Endpoint as systemd-networkd and NetworkManager read it: `[v6]:port`, else split at the last
 * `:`; the port is digits only, 1-65535 (neither takes a service name, unlike `wg`). networkd also
 * wants the host to be an IPv4 address or a DNS name, so an unbracketed IPv6 address is refused.
 * Returns the reason when the value is bad; input is shown only through echo().
 */
export function parseManagerEndpoint(value: string): HostPort | string {
  const split = splitEndpoint(value);
  if (typeof split === "string") return split;
  const { host, portText, bracketed } = split;
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    return `expected a port 1-65535, got "${echo(portText)}"`;
  const port = Number(portText);
  const kind = classifyHost(host);
  if (kind.kind === "invalid") return `"${echo(host)}": ${kind.reason}`;
  const v6 = kind.kind === "literal" && kind.address.includes(":");
  if (v6 && !bracketed) return `"${echo(host)}": write an IPv6 address as [address]:port`;
  if (bracketed && !v6) return `"${echo(host)}": only an IPv6 address goes in brackets`;
  return { host: kind.kind === "literal" ? kind.address : host, port };
}

// --- internal ---

function splitEndpoint(
  value: string,
): { host: string; portText: string; bracketed: boolean } | string {
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    if (close < 0 || value[close + 1] !== ":") return 'expected "[address]:port"';
    return { host: value.slice(1, close), portText: value.slice(close + 2), bracketed: true };
  }
  const colon = value.lastIndexOf(":");
  if (colon <= 0) return 'expected "host:port"';
  return { host: value.slice(0, colon), portText: value.slice(colon + 1), bracketed: false };
}
