import { normaliseEndpoint } from "../common/endpoint.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import type { LivePeer } from "../model.js";

/** Output of `wg show … dump` that is not a dump: `wg` itself misbehaves (exit code 4). */
export class DumpFormatError extends Error {
  override readonly name = "DumpFormatError";
}

/**
 * Parses `wg show IFACE dump`. The first line describes the interface (and holds its private
 * key, which is dropped here and never kept); every further line is one peer:
 * public-key, preshared-key, endpoint, allowed-ips, latest-handshake, rx, tx, keepalive.
 * Throws DumpFormatError, which names the line but never shows it (it may hold keys).
 */
export function parseDump(text: string): LivePeer[] {
  const lines = text.split("\n").filter((l) => l !== "");
  const [head, ...peers] = lines;
  if (head === undefined) throw new DumpFormatError("empty output");
  if (head.split("\t").length !== INTERFACE_FIELDS)
    throw new DumpFormatError("line 1 is not an interface line");
  return peers.map((line, i) => parsePeerLine(line.split("\t"), i + 2));
}

/** Parses `wg show all dump`: the same, with the interface name first on every line. */
export function parseAllDump(text: string): Map<string, LivePeer[]> {
  const all = new Map<string, LivePeer[]>();
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const [iface = "", ...fields] = line.split("\t");
    const peers = all.get(iface) ?? [];
    all.set(iface, peers);
    if (fields.length !== INTERFACE_FIELDS) peers.push(parsePeerLine(fields, i + 1));
  });
  return all;
}

// --- internal ---

const INTERFACE_FIELDS = 4;
const PEER_FIELDS = 8;

function parsePeerLine(f: string[], line: number): LivePeer {
  const [publicKey = "", , endpoint = "", allowed = "", hs = "", rx = "", tx = ""] = f;
  const counters = [hs, rx, tx].map((n) => (/^\d+$/.test(n) ? Number(n) : Number.NaN));
  if (f.length !== PEER_FIELDS || !isWireGuardKey(publicKey) || counters.some(Number.isNaN))
    throw new DumpFormatError(`line ${line} is not a peer line`);
  const [latestHandshake = 0, rxBytes = 0, txBytes = 0] = counters;
  // NOTE: wg prints "(none)" for a missing endpoint or allowed-ips; a handshake of 0 means never.
  return {
    publicKey,
    endpoint: endpoint === "(none)" ? undefined : (normaliseEndpoint(endpoint) ?? endpoint),
    allowedIps: allowed === "(none)" ? [] : allowed.split(","),
    latestHandshake,
    rxBytes,
    txBytes,
  };
}
