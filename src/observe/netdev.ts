import { readFileSync } from "node:fs";

/** What the kernel's netdev counters say went through a WireGuard interface's tunnel side. */
export interface InterfaceTraffic {
  /**
   * Packets the host handed to the interface: tx_packets plus tx_errors and tx_dropped, so it
   * counts whether the implementation books a failed send as an error (the kernel module) or as
   * a packet taken from the tun device (wireguard-go). A send that fails locally (no route, a
   * firewall's EPERM) moves no peer's transfer counter, only this. Less the IPv6 multicast the
   * host sends on its own (router solicitations, MLD), which no peer takes.
   */
  readonly offered: number;
  /** Packets the interface delivered to the host (rx_packets). */
  readonly delivered: number;
}

/**
 * Reads /sys/class/net/IFACE/statistics: a few small files, no process, so watch mode can look
 * every half second for nothing. Undefined when unreadable (another namespace, interface gone).
 * NOTE: synchronous on purpose: sysfs answers from memory in microseconds, and four thread-pool
 * round trips every poll would cost an idle service more than the reads themselves.
 */
export async function interfaceTraffic(iface: string): Promise<InterfaceTraffic | undefined> {
  const dir = `/sys/class/net/${iface}/statistics`;
  const names = ["tx_packets", "tx_errors", "tx_dropped", "rx_packets"];
  try {
    const [tx, errors, dropped, rx] = names.map((name) =>
      Number(readFileSync(`${dir}/${name}`, "utf8").trim()),
    );
    const sent = (tx ?? Number.NaN) + (errors ?? Number.NaN) + (dropped ?? Number.NaN);
    const offered = sent - ipv6Multicast(iface);
    const delivered = rx ?? Number.NaN;
    return Number.isFinite(offered) && Number.isFinite(delivered)
      ? { offered, delivered }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * IPv6 multicast packets the host sent on `iface` (Ip6OutMcastPkts of /proc/net/dev_snmp6/IFACE),
 * 0 where IPv6 is off. NOTE: Linux keeps soliciting a router on every interface with an IPv6
 * link-local address, backing off up to hourly (RFC 7559, router_solicitations = -1), so without
 * this a healthy quiet tunnel looked as if its sends failed at 28 s, 60 s, 124 s, ... after up.
 */
export function ipv6Multicast(iface: string, dir = "/proc/net/dev_snmp6"): number {
  try {
    const text = readFileSync(`${dir}/${iface}`, "utf8");
    const n = Number(/^Ip6OutMcastPkts\s+(\d+)$/m.exec(text)?.[1]);
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

/** Whether two readings are the same (an unreadable one never is). */
export function sameTraffic(
  a: InterfaceTraffic | undefined,
  b: InterfaceTraffic | undefined,
): boolean {
  return (
    a !== undefined && b !== undefined && a.offered === b.offered && a.delivered === b.delivered
  );
}
