// The value checks of wireguard-tools' src/config.c (v1.0.20210914, the version Debian 12 ships),
// one function per kind of value, each true exactly when `wg setconf` accepts the value.
import { isIPv4, isIPv6 } from "node:net";
import type { ServiceLookup } from "../common/services.js";

/**
 * The port getaddrinfo(NULL, text) gives `wg` for a ListenPort or an Endpoint's port: a number
 * (strtoul, so `+51820` and `051820` work, and big numbers wrap modulo 65536) or a UDP service
 * name. Undefined when getaddrinfo fails.
 */
export function glibcPort(text: string, services: ServiceLookup): number | undefined {
  const value = strtoul(text);
  if (value === undefined) return text === "" ? undefined : services(text);
  // NOTE: glibc keeps the number in an int and treats a negative one as a name, which fails.
  const int = BigInt.asIntN(32, value);
  return int < 0n ? undefined : Number(int & 0xffffn);
}

/** FwMark: `off`, or a decimal or `0x` hexadecimal number up to 0xffffffff. */
export function isFwMark(text: string): boolean {
  if (text.toLowerCase() === "off") return true;
  if (!/^[0-9]/.test(text)) return false;
  const value = strtoul(text, text.length > 2 && text.startsWith("0x") ? 16 : 10);
  return value !== undefined && value <= 0xffffffffn;
}

/** PersistentKeepalive: `off`, or a decimal number 0-65535 starting with a digit. */
export function isKeepalive(text: string): boolean {
  if (text.toLowerCase() === "off") return true;
  if (!/^[0-9]/.test(text)) return false;
  const value = strtoul(text);
  return value !== undefined && value <= 65535n;
}

/** The first entry of an AllowedIPs value that `wg` rejects, or undefined when all are fine. */
export function badAllowedIp(value: string): string | undefined {
  return value.split(",").find((entry) => !isAllowedIp(entry));
}

// --- internal ---

/**
 * C's strtoul on a whole string: optional sign, digits of `base`, nothing else. Overflow gives
 * ULONG_MAX; a minus sign negates modulo 2^64. Undefined when there are trailing characters.
 */
function strtoul(text: string, base: 10 | 16 = 10): bigint | undefined {
  const match = (base === 10 ? /^([+-]?)([0-9]+)$/ : /^([+-]?)(?:0[xX])?([0-9a-fA-F]+)$/).exec(
    text,
  );
  if (match === null) return undefined;
  const digits = BigInt(base === 10 ? (match[2] ?? "0") : `0x${match[2] ?? "0"}`);
  if (digits > ULONG_MAX) return ULONG_MAX;
  return match[1] === "-" ? BigInt.asUintN(64, -digits) : digits;
}

const ULONG_MAX = 2n ** 64n - 1n;

// parse_ip(): an entry with a `:` is IPv6 (inet_pton), else IPv4 (inet_pton: exactly four
// decimal parts, no leading zeros); then an optional `/prefix` of digits up to 32 or 128.
function isAllowedIp(entry: string): boolean {
  const slash = entry.indexOf("/");
  const ip = slash < 0 ? entry : entry.slice(0, slash);
  const v6 = ip.includes(":");
  // NOTE: node's isIPv6 accepts a zone (`fe80::1%eth0`); inet_pton does not.
  if (v6 ? !isIPv6(ip) || ip.includes("%") : !isIPv4(ip)) return false;
  if (slash < 0) return true;
  const prefix = entry.slice(slash + 1);
  if (!/^[0-9]/.test(prefix)) return false;
  const value = strtoul(prefix);
  return value !== undefined && value <= (v6 ? 128n : 32n);
}
