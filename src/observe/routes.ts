import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { endianness } from "node:os";
import { ipToNumber } from "../common/ip-number.js";

/** One route of the main routing table, as /proc/net/route or /proc/net/ipv6_route lists it. */
export interface Route {
  readonly family: 4 | 6;
  /** The destination prefix as a number (32 or 128 bits), host bits zero. */
  readonly prefix: bigint;
  readonly length: number;
  readonly iface: string;
  /** An unreachable, prohibit or blackhole route (RTF_REJECT): no way out. */
  readonly reject: boolean;
}

/** The host's routes, both families; a family whose file cannot be read has none. */
export async function readRoutes(): Promise<Route[]> {
  const [v4, v6] = await Promise.all([
    readFile("/proc/net/route", "utf8").catch(() => ""),
    readFile("/proc/net/ipv6_route", "utf8").catch(() => ""),
  ]);
  return [...parseIpv4Routes(v4), ...parseIpv6Routes(v6)];
}

/**
 * /proc/net/route: a header, then `Iface Destination Gateway Flags RefCnt Use Metric Mask ...`,
 * addresses and masks in hex in the host's byte order.
 */
export function parseIpv4Routes(text: string, order = endianness()): Route[] {
  return lines(text)
    .slice(1)
    .flatMap((f) => {
      const [iface, dest, , flags, , , , mask] = f;
      if (iface === undefined || dest === undefined || flags === undefined || mask === undefined)
        return [];
      const maskBits = ipv4Number(mask, order);
      return [
        {
          family: 4 as const,
          prefix: ipv4Number(dest, order) & maskBits,
          length: countOnes(maskBits),
          iface,
          reject: (Number.parseInt(flags, 16) & RTF_REJECT) !== 0,
        },
      ];
    });
}

/**
 * /proc/net/ipv6_route: `dest destlen src srclen nexthop metric refcnt use flags iface`, addresses
 * as 32 hex digits in network order. Local and multicast entries are listed too; they never match
 * a peer's address.
 */
export function parseIpv6Routes(text: string): Route[] {
  return lines(text).flatMap((f) => {
    const [dest, len, , , , , , , flags, iface] = f;
    if (dest?.length !== 32 || len === undefined || flags === undefined || iface === undefined)
      return [];
    return [
      {
        family: 6 as const,
        prefix: BigInt(`0x${dest}`),
        length: Number.parseInt(len, 16),
        iface,
        reject: (Number.parseInt(flags, 16) & RTF_REJECT) !== 0,
      },
    ];
  });
}

/**
 * Whether a route leads to `address` other than through loopback, a reject route or one of
 * `tunnels` (a peer's endpoint reached through WireGuard itself is no way out).
 */
export function routed(
  address: string,
  routes: readonly Route[],
  tunnels: ReadonlySet<string>,
): boolean {
  const family = isIP(address.replace(/%.*$/, ""));
  if (family !== 4 && family !== 6) return false;
  const bits = family === 4 ? 32 : 128;
  const value = ipToNumber(address.replace(/%.*$/, ""), family);
  return routes.some(
    (r) =>
      r.family === family &&
      !r.reject &&
      r.iface !== "lo" &&
      !tunnels.has(r.iface) &&
      value >> BigInt(bits - r.length) === r.prefix >> BigInt(bits - r.length),
  );
}

// --- internal ---

const RTF_REJECT = 0x0200;

function lines(text: string): string[][] {
  return text
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 1);
}

function ipv4Number(hex: string, order: "BE" | "LE"): bigint {
  const n = Number.parseInt(hex, 16) >>> 0;
  if (order === "BE") return BigInt(n);
  const swapped = ((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24);
  return BigInt(swapped >>> 0);
}

function countOnes(mask: bigint): number {
  return mask.toString(2).replace(/0/g, "").length;
}
