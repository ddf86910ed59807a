import { normaliseEndpoint } from "../discover/endpoint.js";
import type { LivePeer } from "../model.js";

/**
 * Parses `wg show IFACE dump`. The first line describes the interface (and holds its private
 * key, which is dropped here and never kept); every further line is one peer:
 * public-key, preshared-key, endpoint, allowed-ips, latest-handshake, rx, tx, keepalive.
 */
export function parseDump(text: string): LivePeer[] {
  const lines = text.split("\n").filter((l) => l !== "");
  return lines.slice(1).flatMap((line) => {
    const f = line.split("\t");
    if (f.length < 8) return [];
    // NOTE: wg prints "(none)" for a missing endpoint or allowed-ips; a handshake of 0 means never.
    const [
      publicKey = "",
      ,
      endpoint = "(none)",
      allowed = "(none)",
      hs = "0",
      rx = "0",
      tx = "0",
    ] = f;
    return [
      {
        publicKey,
        endpoint: endpoint === "(none)" ? undefined : (normaliseEndpoint(endpoint) ?? endpoint),
        allowedIps: allowed === "(none)" ? [] : allowed.split(","),
        latestHandshake: Number(hs),
        rxBytes: Number(rx),
        txBytes: Number(tx),
      },
    ];
  });
}
