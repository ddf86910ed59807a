import type { HostPort } from "../model.js";
import { classifyHost } from "./endpoint-host.js";
import { echo } from "./redact.js";
import type { ServiceLookup } from "./services.js";

/**
 * Parses an Endpoint value as wireguard-tools' parse_endpoint() does: a value starting with `[`
 * is `[host]:port`, any other splits at the last `:`; host and port then go to getaddrinfo.
 * A literal host comes back in canonical text (`10.1` -> `10.0.0.1`). Returns the reason when
 * the value is bad; the reason shows input only through echo().
 */
export function parseEndpointValue(value: string, services: ServiceLookup): HostPort | string {
  const split = splitHostPort(value);
  if (typeof split === "string") return split;
  const { host, portText } = split;
  const port = portOf(portText, services);
  if (typeof port === "string") return port;
  const kind = classifyHost(host);
  if (kind.kind === "invalid") return `"${echo(host)}": ${kind.reason}`;
  return { host: kind.kind === "literal" ? kind.address : host, port };
}

// --- internal ---

function splitHostPort(value: string): { host: string; portText: string } | string {
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    if (close < 0) return 'no "]" closes the "["';
    if (value[close + 1] !== ":" || close + 2 >= value.length) {
      return 'expected "[address]:port"';
    }
    return { host: value.slice(1, close), portText: value.slice(close + 2) };
  }
  const colon = value.lastIndexOf(":");
  if (colon < 0 || colon === value.length - 1) return 'expected "host:port"';
  return { host: value.slice(0, colon), portText: value.slice(colon + 1) };
}

// NOTE: a deliberate difference from `wg`: it wraps numbers modulo 65536 (65536 is port 0, 65537
// is port 1) and sends to port 0; a port that cannot be what the operator meant is an error here.
function portOf(text: string, services: ServiceLookup): number | string {
  if (/^[-+]?[0-9]/.test(text)) {
    const port = /^\+?[0-9]+$/.test(text) ? Number(text) : 0;
    return port >= 1 && port <= 65535 ? port : `expected a port 1-65535, got "${echo(text)}"`;
  }
  return (
    services(text) ??
    `"${echo(text)}" is neither a port number nor a UDP service name in /etc/services`
  );
}
