import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { type Discovery, interfaceName } from "../discover/discover.js";
import { parsePeerKey, peerKey } from "../model.js";
import { type PeerState, STATE_VERSION, type State } from "./shape.js";

/** Which state entries a pass may forget. */
export interface PruneScope {
  /** `iface/publicKey` of every peer in the config files read this pass. */
  readonly known: ReadonlySet<string>;
  /** Interfaces whose entries are kept whole: this pass did not read their file. */
  readonly keep: (iface: string) => boolean;
}

/**
 * The state without the entries of peers that are no longer in any config file. Returns `state`
 * itself when nothing is dropped, so that an unchanged state is not written again.
 */
export function pruneState(state: State, scope: PruneScope): State {
  const kept: [string, PeerState][] = [];
  let dropped = 0;
  for (const [key, entry] of Object.entries(state.peers)) {
    if (scope.known.has(key) || scope.keep(parsePeerKey(key).iface)) kept.push([key, entry]);
    else dropped++;
  }
  return dropped === 0 ? state : { version: STATE_VERSION, peers: Object.fromEntries(kept) };
}

/**
 * What a pass over what discover() read under `filter` may forget. Entries of
 * interfaces the filter left out (`-i wg0` keeps wg1), and of files that could not be read this
 * time, are kept. Nothing is forgotten after a folder-level problem (folder missing or empty):
 * an unmounted /etc/wireguard must not wipe the state.
 */
export function pruneScope(
  { interfaces, problems }: Pick<Discovery, "interfaces" | "problems">,
  filter: InterfaceFilter,
): PruneScope {
  const folderTrouble = problems.some((p) => p.kind === "environment" && p.severity === "error");
  const unread = new Set(
    problems.flatMap((p) =>
      p.at === undefined ? [] : [p.iface ?? interfaceName(p.at.file) ?? ""],
    ),
  );
  const known = new Set(
    interfaces.flatMap((c) => c.peers.map((p) => peerKey(c.iface, p.publicKey))),
  );
  return {
    known,
    keep: (iface) => folderTrouble || unread.has(iface) || !selects(filter, iface),
  };
}

/**
 * The state without the entries of peers a pass left alone (no Endpoint, a literal one, ignored
 * by the settings): `status --check` and the metrics must not report a peer nobody manages.
 * Returns `state` itself when nothing is dropped.
 */
export function forgetUnmanaged(
  state: State,
  unmanaged: readonly { readonly iface: string; readonly publicKey: string }[],
): State {
  const gone = new Set(unmanaged.map((u) => peerKey(u.iface, u.publicKey)));
  const kept = Object.entries(state.peers).filter(([key]) => !gone.has(key));
  return kept.length === Object.keys(state.peers).length
    ? state
    : { version: 1, peers: Object.fromEntries(kept) };
}
