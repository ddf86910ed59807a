import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import type { PeerState, State } from "../state/state.js";
import { short } from "./format.js";

/** One recorded peer, as `status --json` prints it. */
export type StatusRow = { readonly iface: string; readonly publicKey: string } & PeerState;

/** The recorded peers that the filter selects. */
export function statusRows(state: State, filter: InterfaceFilter): StatusRow[] {
  return Object.entries(state.peers)
    .map(([key, peer]) => ({
      iface: key.slice(0, key.indexOf("/")),
      publicKey: key.slice(key.indexOf("/") + 1),
      ...peer,
    }))
    .filter((p) => selects(filter, p.iface));
}

/** One line per recorded peer: endpoint, handshake age, each address's probe, the last action. */
export function statusLines(rows: readonly StatusRow[], stateDir: string, now: number): string[] {
  if (rows.length === 0)
    return [`no peers recorded yet in ${stateDir}; run wg-endpoint-manager once`];
  return rows.flatMap((p) => {
    const last = p.last;
    if (last === undefined) return [];
    const hs =
      last.latestHandshake > 0 ? `${Math.round(now / 1000 - last.latestHandshake)} s ago` : "never";
    const candidates = last.candidates
      .map((c) => `${c.address} ${c.alive ? `ok ${c.rttMs ?? 0} ms` : (c.error ?? "dead")}`)
      .join(", ");
    const ago = Math.round((now - last.at) / 1000);
    const on = last.fallback
      ? ` (fallback ${last.fallback.number}, ${last.fallback.endpoint})`
      : "";
    return [
      `${p.iface} ${short(p.publicKey)} ${last.hostname} endpoint ${last.endpoint ?? "(none)"}${on} handshake ${hs} | ${candidates} | ${last.action} ${ago} s ago: ${last.reason}`,
    ];
  });
}
