import { readFile } from "node:fs/promises";

/**
 * Packets the host handed to a WireGuard interface, from the kernel's netdev counters: tx_packets
 * plus tx_errors and tx_dropped, so it counts whether the implementation books a failed send as
 * an error (the kernel module) or as a packet taken from the tun device (wireguard-go). A send
 * that fails locally (no route, a firewall's EPERM) moves no peer's transfer counter, only this.
 * Undefined when the counters cannot be read (another namespace, a removed interface).
 */
export async function offeredPackets(iface: string): Promise<number | undefined> {
  const dir = `/sys/class/net/${iface}/statistics`;
  try {
    const counts = await Promise.all(
      ["tx_packets", "tx_errors", "tx_dropped"].map(async (name) =>
        Number((await readFile(`${dir}/${name}`, "utf8")).trim()),
      ),
    );
    return counts.every(Number.isFinite) ? counts.reduce((a, b) => a + b, 0) : undefined;
  } catch {
    return undefined;
  }
}
