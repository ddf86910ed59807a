/**
 * The benchmark's names, address plan and generated files (keys, hosts file, wg-quick configs).
 * Documentation ranges only: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32 on the
 * "Internet" between the namespaces, 172.25.0.0/16 inside tunnels.
 *
 *   client ns wgem-bench-<id>-c                   server ns wgem-bench-<id>-s
 *   vbc<id> 192.0.2.2/25 2001:db8:1::2/64 ------- vbs<id> 192.0.2.1/25 2001:db8:1::1/64
 *   routes: 192.0.2.128/25, 198.51.100.0/24,      local (AnyIP) routes, answering echo:
 *           203.0.113.0/24, 2001:db8::/32           2001:db8:a::/64            LIVE
 *           via the server                        local routes + INPUT DROP (silent):
 *   dnsmasq 127.0.0.1 (addn-hosts)                  192.0.2.128/25, 198.51.100.0/24,
 *   wbc<id> (N peers), wbh<id> (1 peer)             203.0.113.0/24, 2001:db8:d::/48   DEAD
 *                                                 wbs<id> wireguard-go, UDP 51820 (healthy peer)
 */
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BENCH_PREFIX = "wgem-bench-";

export interface BenchNames {
  readonly id: string;
  readonly clientNs: string;
  readonly serverNs: string;
  readonly clientVeth: string;
  readonly serverVeth: string;
  /** Client interface with N peers (one at a time; brought up and down for each N). */
  readonly bigIface: string;
  /** Client interface with the one healthy peer. */
  readonly healthyIface: string;
  /** The healthy peer itself (wireguard-go in the server namespace). */
  readonly serverIface: string;
  /** /etc/netns/<clientNs>: bind-mounted over /etc inside the client namespace. */
  readonly clientEtc: string;
  readonly tmpDir: string;
}

export function benchNames(id: string): BenchNames {
  if (!/^[0-9a-f]{6}$/.test(id)) throw new Error(`bad bench id ${id}`);
  const clientNs = `${BENCH_PREFIX}${id}-c`;
  return {
    id,
    clientNs,
    serverNs: `${BENCH_PREFIX}${id}-s`,
    // Interface names are at most 15 characters: 3 + 6 = 9.
    clientVeth: `vbc${id}`,
    serverVeth: `vbs${id}`,
    bigIface: `wbc${id}`,
    healthyIface: `wbh${id}`,
    serverIface: `wbs${id}`,
    clientEtc: join("/etc/netns", clientNs),
    tmpDir: join(tmpdir(), `${BENCH_PREFIX}${id}`),
  };
}

/** Every WireGuard interface name of a bench (their sockets in /var/run/wireguard are global). */
export function ifaceNames(names: BenchNames): string[] {
  return [names.bigIface, names.healthyIface, names.serverIface];
}

export const CLIENT_V4 = "192.0.2.2";
export const SERVER_V4 = "192.0.2.1";
export const LINK_V4_PREFIX = 25;
export const CLIENT_V6 = "2001:db8:1::2";
export const SERVER_V6 = "2001:db8:1::1";
/** Routed from the client to the server namespace; all of it is silent-dead there. */
export const DEAD_V4_NETS = ["192.0.2.128/25", "198.51.100.0/24", "203.0.113.0/24"] as const;
export const ROUTED_V6 = "2001:db8::/32";
/** Answers echo on the server (a local route: every address of the /64 is "on" the server). */
export const LIVE_V6_NET = "2001:db8:a::/64";
/** Silent-dead on the server: per-peer dead IPv6 in 2001:db8:d::/64, IPv4 stand-ins in d:1::/64. */
export const DEAD_V6_NET = "2001:db8:d::/48";
export const PORT = 51820;
export const HEALTHY_HOST = "healthy.bench.test";
/** Tunnel addresses of the healthy peer (server .1, client .2). */
export const HEALTHY_TUNNEL = { server: "172.25.200.1", client: "172.25.200.2" } as const;

/** Every dead IPv4 address the documentation ranges hold: 126 + 254 + 254 = 634. */
export const DEAD_V4_POOL: readonly string[] = [
  ...range(129, 254).map((n) => `192.0.2.${n}`),
  ...range(1, 254).map((n) => `198.51.100.${n}`),
  ...range(1, 254).map((n) => `203.0.113.${n}`),
];

/**
 * How the two "dead IPv4" slots of each peer are filled once the 634 IPv4 addresses run out:
 * - `reused-v4`: as the issue describes (1 live, 2 dead IPv4, 1 dead IPv6), dead IPv4 addresses
 *   are shared round-robin between peers, so fewer than 4N distinct addresses are probed;
 * - `distinct`: every peer has 4 addresses of its own (4N distinct probes); slots past the IPv4
 *   pool get dead IPv6 stand-ins from 2001:db8:d:1::/64.
 * Both are identical while 2N <= 634 (N <= 317).
 */
export type Layout = "reused-v4" | "distinct";

export function hostname(peer: number): string {
  return `p${peer}.bench.test`;
}

/** The four addresses of peer `i` (0-based): live IPv6, two dead "IPv4" slots, dead IPv6. */
export function peerAddresses(i: number, layout: Layout): [string, string, string, string] {
  const slot = (k: number): string => {
    if (k < DEAD_V4_POOL.length) return DEAD_V4_POOL[k] as string;
    if (layout === "reused-v4") return DEAD_V4_POOL[k % DEAD_V4_POOL.length] as string;
    return `2001:db8:d:1::${(k + 1).toString(16)}`;
  };
  return [
    `2001:db8:a::${(i + 1).toString(16)}`,
    slot(2 * i),
    slot(2 * i + 1),
    `2001:db8:d::${(i + 1).toString(16)}`,
  ];
}

/** Distinct addresses (total, and how many are IPv4) the first `n` peers resolve to. */
export function distinctAddresses(n: number, layout: Layout): { total: number; v4: number } {
  const all = new Set<string>();
  for (let i = 0; i < n; i++) for (const a of peerAddresses(i, layout)) all.add(a);
  const v4 = [...all].filter((a) => !a.includes(":")).length;
  return { total: all.size, v4 };
}

/** The dnsmasq addn-hosts text for peers 0..max-1 plus the healthy peer. */
export function hostsFile(max: number, layout: Layout): string {
  const lines = [`${SERVER_V6}\t${HEALTHY_HOST}`];
  for (let i = 0; i < max; i++) {
    for (const address of peerAddresses(i, layout)) lines.push(`${address}\t${hostname(i)}`);
  }
  return `${lines.join("\n")}\n`;
}

export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** Tunnel address (/32) of big-interface peer `i`: 172.25.1.1 ... 172.25.8.250. */
function peerTunnelAddress(i: number): string {
  return `172.25.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/**
 * wg-quick config of the N-peer interface. `Table = off` and a fixed MTU keep `wg-quick up`
 * from running `ip route add` / `ip route get` once per peer (thousands of processes).
 */
export function bigConf(key: KeyPair, peers: readonly KeyPair[]): string {
  const lines = [
    "[Interface]",
    `PrivateKey = ${key.privateKey}`,
    "Address = 172.25.0.1/16",
    "MTU = 1420",
    "Table = off",
  ];
  peers.forEach((peer, i) => {
    lines.push("", "[Peer]", `PublicKey = ${peer.publicKey}`);
    lines.push(`AllowedIPs = ${peerTunnelAddress(i)}/32`, `Endpoint = ${hostname(i)}:${PORT}`);
  });
  return `${lines.join("\n")}\n`;
}

/** wg-quick config of the client interface with the one healthy peer. */
export function healthyConf(key: KeyPair, server: KeyPair): string {
  return [
    "[Interface]",
    `PrivateKey = ${key.privateKey}`,
    `Address = ${HEALTHY_TUNNEL.client}/24`,
    "",
    "[Peer]",
    `PublicKey = ${server.publicKey}`,
    `AllowedIPs = ${HEALTHY_TUNNEL.server}/32`,
    `Endpoint = ${HEALTHY_HOST}:${PORT}`,
    "",
  ].join("\n");
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
