import { addressOf, canonicalAddress } from "../common/endpoint.js";
import type { Candidate } from "../model.js";
import type { PeerOutcome } from "../pass/reconcile.js";
import { peerKey } from "../state/state.js";

/** What a pass taught the watch service about one peer. */
export interface Lesson {
  readonly iface: string;
  readonly publicKey: string;
  /** `iface/publicKey`. */
  readonly key: string;
  /** The addresses its hostname resolved to (probed early when its data goes unanswered). */
  readonly candidates: readonly Candidate[];
  /** The echo round trip to the endpoint in force after the pass, if it answered. */
  readonly rttMs: number | undefined;
}

/** The addresses and round-trip time of every peer a pass dealt with. */
export function lessonsOf(outcomes: readonly PeerOutcome[]): Lesson[] {
  return outcomes.map((o) => {
    const { iface, publicKey } = o.peer;
    const live = o.live.endpoint;
    const address = live === undefined ? undefined : canonicalAddress(addressOf(live));
    const probe = o.probes.find((p) => p.alive && p.address === address);
    return {
      iface,
      publicKey,
      key: peerKey(iface, publicKey),
      candidates: o.resolution.ok ? o.resolution.candidates : [],
      rttMs: probe?.rttMs,
    };
  });
}
