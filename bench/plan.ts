/**
 * The benchmark's lab profile, address plan and generated files (DNS records, wg-quick config).
 * It is an e2e lab (test/e2e/lab/) of its own kind; documentation ranges only: 192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32 on the "Internet" between the namespaces,
 * 172.25.0.0/16 inside tunnels.
 *
 *   client ns wgem-bc-<id>                        server ns wgem-bs-<id>
 *   vbc<id> 192.0.2.2/25 2001:db8:1::2/64 ------- vbs<id> 192.0.2.1/25 2001:db8:1::1/64
 *   routes: 192.0.2.128/25, 198.51.100.0/24,      local (AnyIP) routes, answering echo:
 *           203.0.113.0/24, 2001:db8::/32           2001:db8:a::/64            LIVE
 *           via the server                        local routes + INPUT DROP (silent):
 *   dnsmasq 127.0.0.1 (addn-hosts)                  192.0.2.128/25, 198.51.100.0/24,
 *   wgbc<id>b (N peers), wgbc<id> (1 peer)          203.0.113.0/24, 2001:db8:d::/48   DEAD
 *                                                 wgbs<id>a wireguard-go, UDP 51820 (healthy peer)
 */
import type { KeyPair } from "../test/e2e/lab/keys.js";
import { BASE_PORT, type LabProfile, ROUTED_V6 } from "../test/e2e/lab/plan.js";

/** Routed from the client to the server namespace; all of it is silent-dead there. */
export const DEAD_V4_NETS = ["192.0.2.128/25", "198.51.100.0/24", "203.0.113.0/24"] as const;
/** Answers echo on the server (a local route: every address of the /64 is "on" the server). */
export const LIVE_V6_NET = "2001:db8:a::/64";
/** Silent-dead on the server: per-peer dead IPv6 in 2001:db8:d::/64, IPv4 stand-ins in d:1::/64. */
export const DEAD_V6_NET = "2001:db8:d::/48";
export const HEALTHY_HOST = "healthy.bench.test";

/**
 * The benchmark's kind of lab (names wgem-bc-<id>, wgem-bs-<id>, ...): its own client interface
 * holds the healthy peer, one extra client interface (`extraClientIface(0)`) the N peers.
 */
export const BENCH_PROFILE: LabProfile = {
  tag: "b",
  extraClientIfaces: 1,
  maxServers: 1,
  linkV4Prefix: 25,
  routedV4: DEAD_V4_NETS,
  routedV6: ROUTED_V6,
  serverRanges: [
    ...DEAD_V4_NETS.map((net) => ({ net, silent: true })),
    { net: LIVE_V6_NET, silent: false },
    { net: DEAD_V6_NET, silent: true },
  ],
  // Thousands of names are asked per pass; logging them would load dnsmasq and the disk.
  logDnsQueries: false,
};

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

/** The DNS records of peers 0..max-1 (for the lab's `dns.setMany`). */
export function peerRecords(max: number, layout: Layout): Map<string, string[]> {
  const records = new Map<string, string[]>();
  for (let i = 0; i < max; i++) records.set(hostname(i), peerAddresses(i, layout));
  return records;
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
    lines.push(`AllowedIPs = ${peerTunnelAddress(i)}/32`, `Endpoint = ${hostname(i)}:${BASE_PORT}`);
  });
  return `${lines.join("\n")}\n`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
