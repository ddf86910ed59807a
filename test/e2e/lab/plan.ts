/**
 * The lab's naming and address plan. Only documentation ranges are used: 192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 for the "Internet" between client and server,
 * 172.25.0.0/16 inside tunnels. A `LabProfile` says what differs between the e2e lab (below) and
 * the benchmark's lab (bench/plan.ts): name tag, link prefix, routed and server-local ranges.
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
import { canonicalAddress } from "../../../src/common/endpoint.js";

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

/** A range local to the server namespace: every address in it exists there (AnyIP). */
export interface ServerRange {
  readonly net: string;
  /** Dropped on arrival (iptables INPUT DROP): no reply and no error, like a dead host. */
  readonly silent: boolean;
}

/** What one kind of lab looks like; every name and address of a lab derives from it. */
export interface LabProfile {
  /** In every name after `wgem-` and `wg`: "" for the e2e lab, "b" for the benchmark. */
  readonly tag: string;
  /** Client WireGuard interfaces besides the lab's own (`extraClientIface(i)`). */
  readonly extraClientIfaces: number;
  /** How many servers (WireGuard interfaces in the server namespace) a lab may have. */
  readonly maxServers: number;
  /** Prefix length of the IPv4 link between the namespaces. */
  readonly linkV4Prefix: number;
  /** IPv4 ranges the client routes via the server. */
  readonly routedV4: readonly string[];
  readonly routedV6: string;
  readonly serverRanges: readonly ServerRange[];
  /** dnsmasq logs every query to <tmp>/dnsmasq.log (off where thousands of names are asked). */
  readonly logDnsQueries: boolean;
}

/** The e2e lab: addresses are added to the server one by one, by the tests. */
export const E2E_PROFILE: LabProfile = {
  tag: "",
  extraClientIfaces: 0,
  maxServers: 2,
  linkV4Prefix: 24,
  routedV4: ROUTED_V4,
  routedV6: ROUTED_V6,
  serverRanges: [],
  logDnsQueries: true,
};
/** The most servers an e2e lab has. */
export const MAX_SERVERS = E2E_PROFILE.maxServers;

/** Every name one lab uses; all derive from a short unique id so labs never collide. */
export interface LabNames {
  readonly id: string;
  readonly profile: LabProfile;
  readonly clientNs: string;
  readonly serverNs: string;
  readonly clientVeth: string;
  readonly serverVeth: string;
  /** The lab's own client interface (its servers' peers). */
  readonly clientIface: string;
  /** /etc/netns/<clientNs>: bind-mounted over /etc inside the client namespace. */
  readonly clientEtc: string;
  /** Per-lab scratch dir: keys, dnsmasq files, logs, the tool's state dir. */
  readonly tmpDir: string;
  serverIface(index: number): string;
  /** Further client interfaces a user of the lab brings up itself (index 0 upwards). */
  extraClientIface(index: number): string;
  /** Every WireGuard interface name the lab may use (their sockets in /var/run/wireguard are global). */
  wgIfaces(): string[];
}

export const NS_PREFIX = "wgem-";
export const TMP_PREFIX = "wgem-lab-";

/** The names of lab `id` of kind `profile`. */
export function labNames(id: string, profile: LabProfile = E2E_PROFILE): LabNames {
  if (!/^[0-9a-f]{6}$/.test(id)) throw new Error(`bad lab id ${id}`);
  const t = profile.tag;
  const clientNs = `${NS_PREFIX}${t}c-${id}`;
  const clientIface = `wg${t}c${id}`;
  // Interface names are at most 15 characters: "wg" + tag + "s" + 6 + 1 = 10 or 11.
  const serverIface = (index: number) => `wg${t}s${id}${letter(index)}`;
  const extraClientIface = (index: number) => `${clientIface}${letter(index + 1)}`;
  return {
    id,
    profile,
    clientNs,
    serverNs: `${NS_PREFIX}${t}s-${id}`,
    clientVeth: `v${t}c${id}`,
    serverVeth: `v${t}s${id}`,
    clientIface,
    clientEtc: join("/etc/netns", clientNs),
    tmpDir: join(tmpdir(), `${TMP_PREFIX}${t}${id}`),
    serverIface,
    extraClientIface,
    wgIfaces: () => [
      clientIface,
      ...indexes(profile.extraClientIfaces).map(extraClientIface),
      ...indexes(profile.maxServers).map(serverIface),
    ],
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

/** Canonical text of an IP address (IPv6 compressed, lower case); throws for anything else. */
export function canonicalIp(address: string): string {
  if (isIP(address) === 0) throw new Error(`not an IP address: ${address}`);
  return canonicalAddress(address);
}

/** `addr/32` or `addr/128`. */
export function hostPrefix(address: string): string {
  return `${address}/${isV6(address) ? 128 : 32}`;
}

// --- internal ---

function letter(index: number): string {
  return String.fromCharCode(97 + index);
}

function indexes(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
