import type { LivePeer, ManagedPeer, Problem } from "../model.js";
import { type Wg, WgCommandError } from "./wg.js";

/** The peers of one interface that the pass manages (pass/managed-peers.ts chooses them). */
export interface ManagedInterface {
  readonly iface: string;
  readonly peers: readonly ManagedPeer[];
}

/** A managed peer together with its live state: what the rest of the pass works on. */
export interface ObservedPeer {
  readonly peer: ManagedPeer;
  readonly live: LivePeer;
}

/**
 * The observe step: one `wg show` per interface with managed peers, matched against those
 * peers. An interface that is down, or a peer not on the running interface, is a problem.
 */
export async function observePeers(
  wg: Wg,
  interfaces: readonly ManagedInterface[],
): Promise<{ observed: ObservedPeer[]; problems: Problem[] }> {
  const observed: ObservedPeer[] = [];
  const problems: Problem[] = [];
  await Promise.all(
    interfaces.map(async ({ iface, peers }) => {
      if (peers.length === 0) return;
      let live: LivePeer[];
      try {
        live = await wg.show(iface);
      } catch (error) {
        if (!(error instanceof WgCommandError)) throw error;
        // An interface that is down is worth a warning; no `wg` or no permission stops the tool working.
        const severity = error.reason === "not-up" ? "warning" : "error";
        problems.push({ severity, kind: "environment", iface, message: error.message });
        return;
      }
      // NOTE(perf): a map, not find(): a hub's thousands of peers would cost millions of comparisons.
      const byKey = new Map(live.map((l) => [l.publicKey, l]));
      for (const peer of peers) {
        const match = byKey.get(peer.publicKey);
        if (match === undefined) problems.push(notLive(peer));
        else observed.push({ peer, live: match });
      }
    }),
  );
  return { observed, problems };
}

// --- internal ---

function notLive(peer: ManagedPeer): Problem {
  return {
    severity: "warning",
    kind: "peer",
    iface: peer.iface,
    peer: peer.publicKey,
    at: peer.at,
    message: `is in the file but not on the running interface; skipped (apply the file with: wg syncconf ${peer.iface} <(wg-quick strip ${peer.iface}))`,
  };
}
