import { networkInterfaces } from "node:os";
import type { HostFamilies } from "../model.js";

/**
 * Which families this host can reach the Internet with, from its own addresses: IPv6 counts
 * only with a global address (not loopback, link-local fe80::/10 or ULA fc00::/7), as glibc's
 * address selection sees it. Addresses on WireGuard interfaces do not count: they are inside tunnels.
 */
export function hostFamilies(tunnels: ReadonlySet<string>): HostFamilies {
  let ipv4 = false;
  let ipv6 = false;
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (tunnels.has(name)) continue;
    for (const a of addresses ?? []) {
      if (a.internal) continue;
      if (a.family === "IPv4") ipv4 = true;
      else if (!/^(fe[89ab]|f[cd])/i.test(a.address)) ipv6 = true;
    }
  }
  return { ipv4, ipv6 };
}
