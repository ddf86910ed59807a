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
    : { version: STATE_VERSION, peers: Object.fromEntries(kept) };
}
