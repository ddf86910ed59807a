// What an Endpoint's host is, decided as glibc's getaddrinfo decides it for `wg`: first a numeric
// IPv4 address in any form inet_aton takes, then an IPv6 address (with an optional zone), and
// only then a name to look up.
import { isIPv6 } from "node:net";
import { numberToIp } from "./ip-number.js";

/** A host as getaddrinfo reads it: a literal address (in canonical text) or a name to look up. */
export type HostKind =
  | { readonly kind: "literal"; readonly address: string }
  | { readonly kind: "name" }
  | { readonly kind: "invalid"; readonly reason: string };

/** Classifies an Endpoint host; `reason` never repeats the host (the caller shows it). */
export function classifyHost(host: string): HostKind {
  if (host === "") return { kind: "invalid", reason: "the host is empty" };
  const v4 = inetAton(host);
  if (v4 !== undefined) return { kind: "literal", address: v4 };
  const percent = host.indexOf("%");
  const bare = percent < 0 ? host : host.slice(0, percent);
  if (isIPv6(bare) && !bare.includes("%")) return ipv6(bare, percent < 0 ? undefined : host);
  if (host.includes(":")) return { kind: "invalid", reason: "not an IPv6 address" };
  if (/^[0-9.]+$/.test(host)) return { kind: "invalid", reason: "not an IPv4 address" };
  return isHostname(host)
    ? { kind: "name" }
    : {
        kind: "invalid",
        reason:
          "not a hostname (labels of 1-63 letters, digits, - and _, at most 253 characters) or an IP address",
      };
}

/**
 * glibc's inet_aton, exact form: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the
 * last part fills the remaining bytes (`10.1` is 10.0.0.1). The address in dotted-quad form.
 */
export function inetAton(text: string): string | undefined {
  const parts = text.split(".");
  if (parts.length > 4) return undefined;
  const values: bigint[] = [];
  for (const part of parts) {
    const value = partValue(part);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const last = values.pop() ?? 0n;
  if (values.some((v) => v > 255n)) return undefined;
  const lastBits = BigInt(8 * (4 - values.length));
  if (last >= 1n << lastBits) return undefined;
  let address = last;
  values.forEach((v, i) => {
    address |= v << BigInt(8 * (3 - i));
  });
  return numberToIp(address, 4);
}

// --- internal ---

function partValue(part: string): bigint | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(part)) return BigInt(`0x${part.slice(2)}`);
  if (/^0[0-7]*$/.test(part)) return BigInt(`0o${part.slice(1) || "0"}`);
  if (/^[1-9][0-9]*$/.test(part)) return BigInt(part);
  return undefined;
}

// A zone is a number, or (on a link-local address) an interface name, as getaddrinfo takes it.
// NOTE: whether a named interface exists is only known where `wg` runs; it is not checked here.
function ipv6(bare: string, withZone: string | undefined): HostKind {
  if (withZone === undefined) return { kind: "literal", address: bare };
  const zone = withZone.slice(bare.length + 1);
  const linkLocal = /^(fe[89ab][0-9a-f]|ff[0-9a-f]2):/i.test(bare);
  if (/^[0-9]+$/.test(zone) ? BigInt(zone) <= 0xffffffffn : linkLocal && zone !== "") {
    return { kind: "literal", address: withZone };
  }
  return {
    kind: "invalid",
    reason: "a zone must be a number, or an interface on a link-local address",
  };
}

const LABEL = /^[A-Za-z0-9_-]{1,63}$/;

function isHostname(host: string): boolean {
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}
