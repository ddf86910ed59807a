import { createSocket } from "node:dgram";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/** How the kernel would send to one address: out of which interface, or why not at all. */
export type RouteAnswer = { readonly iface: string } | { readonly unreachable: string };

/** Asks how the kernel would send to `address`. */
export type RouteLookup = (address: string) => Promise<RouteAnswer>;

/**
 * The kernel's own answer, whatever the routing setup (policy rules, several tables, VRFs, the
 * local table): connect() on a UDP socket looks the route up and picks a source address, or fails
 * (ENETUNREACH with no route, EHOSTUNREACH, EACCES or EINVAL for unreachable, prohibit and
 * blackhole routes), and sends nothing. The interface is the one holding that source address.
 */
export function kernelRoute(): RouteLookup {
  const interfaceOf = localInterfaces();
  return (address) =>
    new Promise((resolve) => {
      const family = isIP(address.replace(/%.*$/, ""));
      if (family !== 4 && family !== 6) {
        resolve({ unreachable: "not an IP address" });
        return;
      }
      const socket = createSocket(family === 6 ? "udp6" : "udp4");
      const done = (answer: RouteAnswer) => {
        socket.close();
        resolve(answer);
      };
      // NOTE: connect()'s errors come to its callback; "error" covers a failure of the socket.
      socket.once("error", (error: NodeJS.ErrnoException) =>
        done({ unreachable: error.code ?? error.message }),
      );
      socket.connect(DISCARD_PORT, address, (error?: Error) => {
        if (error) done({ unreachable: (error as NodeJS.ErrnoException).code ?? error.message });
        else done({ iface: interfaceOf(socket.address().address) });
      });
    });
}

/**
 * Whether a route leads off this host: not through loopback (the address is local, or routed
 * to lo) and not through one of `tunnels` (a peer's endpoint reached through WireGuard itself
 * is no way out).
 */
export function leadsOut(answer: RouteAnswer, tunnels: ReadonlySet<string>): boolean {
  return "iface" in answer && answer.iface !== "lo" && !tunnels.has(answer.iface);
}

// --- internal ---

// Nothing is sent; any port would do.
const DISCARD_PORT = 9;

/** How long a reading of the host's addresses answers lookups, in ms. */
const INTERFACES_FRESH_MS = 1000;

/**
 * The interface holding a local address ("lo" for loopback; "" when none holds it now).
 * NOTE(perf): a big pass asks for thousands of addresses at once, and each reading of the host's
 * addresses (getifaddrs) builds every interface's list again: one reading answers the lookups of
 * the next second, and an address it does not hold reads them again.
 */
function localInterfaces(): (source: string) => string {
  let byAddress = new Map<string, string>();
  let readAt = Number.NEGATIVE_INFINITY;
  const read = () => {
    byAddress = new Map();
    for (const [name, addresses] of Object.entries(networkInterfaces())) {
      for (const a of addresses ?? []) {
        const bare = a.address.replace(/%.*$/, "");
        if (!byAddress.has(bare)) byAddress.set(bare, name);
      }
    }
    readAt = monotonicMs();
  };
  return (source) => {
    const bare = source.replace(/%.*$/, "");
    if (monotonicMs() - readAt > INTERFACES_FRESH_MS || !byAddress.has(bare)) read();
    return byAddress.get(bare) ?? "";
  };
}

/**
 * A monotonic clock in ms. NOTE(perf): not `performance.now()`, whose first use loads node's
 * perf_hooks (eleven modules) into every pass and the service.
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
