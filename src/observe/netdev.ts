import { readFileSync } from "node:fs";

/** What the kernel's netdev counters say went through a WireGuard interface's tunnel side. */
export interface InterfaceTraffic {
  /**
   * Packets the host handed to the interface: tx_packets plus tx_errors and tx_dropped, so it
   * counts whether the implementation books a failed send as an error (the kernel module) or as
   * a packet taken from the tun device (wireguard-go). A send that fails locally (no route, a
   * firewall's EPERM) moves no peer's transfer counter, only this.
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
    const offered = (tx ?? Number.NaN) + (errors ?? Number.NaN) + (dropped ?? Number.NaN);
    const delivered = rx ?? Number.NaN;
    return Number.isFinite(offered) && Number.isFinite(delivered)
      ? { offered, delivered }
      : undefined;
  } catch {
    return undefined;
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
