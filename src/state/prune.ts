import { parsePeerKey, peerKey } from "../model.js";
import { STATE_VERSION, type State } from "./shape.js";

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
  return keepingPeers(state, (key) => scope.known.has(key) || scope.keep(parsePeerKey(key).iface));
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
  return keepingPeers(state, (key) => !gone.has(key));
}

// --- internal ---

/** The state with only the entries whose key `keep` accepts; `state` itself if that is all. */
function keepingPeers(state: State, keep: (key: string) => boolean): State {
  const kept = Object.entries(state.peers).filter(([key]) => keep(key));
  return kept.length === Object.keys(state.peers).length
    ? state
    : { version: STATE_VERSION, peers: Object.fromEntries(kept) };
}
