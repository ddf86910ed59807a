import type { Wg } from "./wg.js";

/**
 * Shares one `wg show IFACE dump` among callers that ask within `maxAgeMs` of each other, so
 * that many peers checked at once cost one `wg` process per interface per poll.
 */
export function cachedWg(wg: Wg, maxAgeMs: number, now: () => number): Wg {
  const cache = new Map<string, { at: number; peers: ReturnType<Wg["show"]> }>();
  return {
    show(iface) {
      const hit = cache.get(iface);
      if (hit !== undefined && now() - hit.at < maxAgeMs) return hit.peers;
      const peers = wg.show(iface);
      cache.set(iface, { at: now(), peers });
      peers.catch(() => cache.delete(iface));
      return peers;
    },
    showAll: () => wg.showAll(),
    setEndpoint: (iface, publicKey, endpoint) => {
      cache.delete(iface);
      return wg.setEndpoint(iface, publicKey, endpoint);
    },
  };
}
