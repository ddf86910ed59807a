import { normaliseEndpoint } from "../common/endpoint.js";
import type { LivePeer } from "../model.js";

/**
 * Parses `wg show IFACE dump`. The first line describes the interface (and holds its private
 * key, which is dropped here and never kept); every further line is one peer:
 * public-key, preshared-key, endpoint, allowed-ips, latest-handshake, rx, tx, keepalive.
 */
export function parseDump(text: string): LivePeer[] {
  const lines = text.split("\n").filter((l) => l !== "");
  return lines.slice(1).flatMap((line) => parsePeerLine(line.split("\t")));
}

/** Parses `wg show all dump`: the same, with the interface name first on every line. */
export function parseAllDump(text: string): Map<string, LivePeer[]> {
  const all = new Map<string, LivePeer[]>();
  for (const line of text.split("\n")) {
    const [iface, ...fields] = line.split("\t");
    if (iface === undefined || iface === "") continue;
    const peers = all.get(iface) ?? [];
    all.set(iface, peers);
    peers.push(...parsePeerLine(fields));
  }
  return all;
}

// --- internal ---

function parsePeerLine(f: string[]): LivePeer[] {
  if (f.length < 8) return [];
  // NOTE: wg prints "(none)" for a missing endpoint or allowed-ips; a handshake of 0 means never.
  const [publicKey = "", , endpoint = "(none)", allowed = "(none)", hs = "0", rx = "0", tx = "0"] =
    f;
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
}
