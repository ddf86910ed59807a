/**
 * The lab's naming and address plan. Only documentation ranges are used: 192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 for the "Internet" between client and server,
 * 172.25.0.0/16 inside tunnels.
 *
 *   client ns wgem-c-<id>                      server ns wgem-s-<id>
 *   vc<id> 192.0.2.2/24 2001:db8:1::2/64 ----- vs<id> 192.0.2.1/24 2001:db8:1::1/64 (+ extras /32 /128)
 *   wgc<id> 172.25.<n+i>.2/24 (one per server)  wgs<id><a|b> 172.25.<n+i>.1/24, UDP 51820+i
 *
 * The client routes 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 via the server, so any
 * address in those ranges can be made to exist (or be silently dead) on the server.
 */
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, from this module's place in dist/test/e2e/lab/. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** The built CLI the lab runs. */
export const TOOL_BIN = join(REPO_ROOT, "dist", "bin", "bin.js");

export const CLIENT_V4 = "192.0.2.2";
export const CLIENT_V6 = "2001:db8:1::2";
export const SERVER_V4 = "192.0.2.1";
export const SERVER_V6 = "2001:db8:1::1";
/** Routed from the client to the server namespace (besides the on-link /24 and /64). */
export const ROUTED_V4 = ["198.51.100.0/24", "203.0.113.0/24"] as const;
export const ROUTED_V6 = "2001:db8::/32";
/** Server i listens on BASE_PORT + i (all servers share the server namespace). */
export const BASE_PORT = 51820;
export const MAX_SERVERS = 2;

/** Every name one lab uses; all derive from a short unique id so labs never collide. */
export interface LabNames {
  readonly id: string;
  readonly clientNs: string;
  readonly serverNs: string;
  readonly clientVeth: string;
  readonly serverVeth: string;
  readonly clientIface: string;
  /** /etc/netns/<clientNs>: bind-mounted over /etc inside the client namespace. */
  readonly clientEtc: string;
  /** Per-lab scratch dir: keys, dnsmasq files, logs, the tool's state dir. */
  readonly tmpDir: string;
  serverIface(index: number): string;
}

export const NS_PREFIX = "wgem-";
export const TMP_PREFIX = "wgem-lab-";

export function labNames(id: string): LabNames {
  if (!/^[0-9a-f]{6}$/.test(id)) throw new Error(`bad lab id ${id}`);
  const clientNs = `${NS_PREFIX}c-${id}`;
  return {
    id,
    clientNs,
    serverNs: `${NS_PREFIX}s-${id}`,
    clientVeth: `vc${id}`,
    serverVeth: `vs${id}`,
    clientIface: `wgc${id}`,
    clientEtc: join("/etc/netns", clientNs),
    tmpDir: join(tmpdir(), `${TMP_PREFIX}${id}`),
    // Interface names are at most 15 characters: "wgs" + 6 + 1 = 10.
    serverIface: (index) => `wgs${id}${String.fromCharCode(97 + index)}`,
  };
}

/** Tunnel addresses of server `index`: it is `.1`, the client is `.2` in 172.25.<n+index>.0/24. */
export function tunnelAddresses(n: number, index: number): { server: string; client: string } {
  const net = `172.25.${n + index}`;
  return { server: `${net}.1`, client: `${net}.2` };
}

export function isV6(address: string): boolean {
  return isIP(address) === 6;
}

/** Canonical text of an IP address (IPv6 compressed, lower case), so sets can be compared. */
export function canonicalIp(address: string): string {
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  throw new Error(`not an IP address: ${address}`);
}

/** `addr/32` or `addr/128`. */
export function hostPrefix(address: string): string {
  return `${address}/${isV6(address) ? 128 : 32}`;
}

/** Formats an endpoint the way `wg show dump` does: `a.b.c.d:port` or `[v6]:port`. */
export function formatEndpoint(address: string, port: number): string {
  return isV6(address) ? `[${canonicalIp(address)}]:${port}` : `${address}:${port}`;
}
