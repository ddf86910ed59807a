import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { fallbackName } from "../decide/candidates.js";
import { parsePeerKey } from "../model.js";
import type { PeerSnapshot, PeerState, State } from "../state/shape.js";

import { short } from "./format.js";

/** One recorded peer, as `status --json` prints it. */
export type RecordedPeer = { readonly iface: string; readonly publicKey: string } & PeerState;

/** The recorded peers that the filter selects, in a stable order (interface, then key). */
export function recordedPeers(state: State, filter: InterfaceFilter): RecordedPeer[] {
  return Object.entries(state.peers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, peer]) => ({ ...parsePeerKey(key), ...peer }))
    .filter((p) => selects(filter, p.iface));
}

/**
 * `status` for people: an aligned table, one row per recorded peer (interface, peer, hostname,
 * endpoint, since when it is in place, the last check and its result, primary or fallback), then
 * one line per peer that is down, saying why.
 */
export function peerTable(rows: readonly RecordedPeer[], stateDir: string, now: number): string[] {
  const seen = rows.filter((r): r is RecordedPeer & { last: PeerSnapshot } => r.last !== undefined);
  if (seen.length === 0)
    return [`no peers recorded yet in ${stateDir}; run wg-endpoint-manager once`];
  // The FILE column appears when a peer comes from a systemd-networkd or NetworkManager file.
  const files = seen.some((r) => r.last.source !== undefined && r.last.source !== "wg-quick");
  const table = [
    [
      "INTERFACE",
      "PEER",
      "HOSTNAME",
      "ENDPOINT",
      "SINCE",
      "LAST CHECK",
      "RESULT",
      "ON",
      ...(files ? ["FILE"] : []),
    ],
    ...seen.map((r) => [
      r.iface,
      short(r.publicKey),
      r.last.hostname,
      r.last.endpoint ?? "(none)",
      endpointSince(r, now),
      ago(now - r.last.at),
      r.last.up ? "up" : "down",
      r.last.fallback ? fallbackName(r.last.fallback) : "primary",
      ...(files ? [r.last.file ?? "-"] : []),
    ]),
  ];
  const why = seen
    .filter((r) => !r.last.up)
    .map((r) => `${r.iface} ${short(r.publicKey)}: down (${r.last.action}): ${r.last.reason}`);
  return [...aligned(table), ...why];
}

/** A duration in words a person reads at a glance: `45 s`, `12 min`, `3 h`, `2 d`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

// --- internal ---

function ago(ms: number): string {
  return `${duration(ms)} ago`;
}

/** Since when the endpoint is in place. */
function endpointSince(r: RecordedPeer, now: number): string {
  return r.endpointSince === undefined ? "-" : ago(now - r.endpointSince);
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
function aligned(table: readonly string[][]): string[] {
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((row) => cellWidth(row[i]))));
  return table.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
  );
}

function cellWidth(cell: string | undefined): number {
  return cell?.length ?? 0;
}
