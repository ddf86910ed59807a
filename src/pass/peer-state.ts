import { fallbackOf } from "../decide/candidates.js";
import { handshakeAge, type PeerOutcome } from "../decide/types.js";
import { locationText, peerKey } from "../model.js";
import { type PeerState, STATE_VERSION, type State } from "../state/shape.js";
import { peerFailed } from "./exit-code.js";

/** What one peer's reconciliation produced: the outcome, the peer's state as decide() left it, when it ended. */
export interface PeerResult {
  readonly outcome: PeerOutcome;
  readonly state: PeerState;
  readonly at: number;
}

/**
 * The state after a pass, the one place it is updated: each peer the pass dealt with gets its
 * entry made anew from its result (nextPeerState); every other entry is kept as it was.
 */
export function stateAfterPass(
  state: State,
  results: readonly PeerResult[],
  freshSeconds: number,
): State {
  const peers = { ...state.peers };
  for (const { outcome, state: peer, at } of results)
    peers[peerKey(outcome.peer.iface, outcome.peer.publicKey)] = nextPeerState(
      peer,
      outcome,
      at,
      freshSeconds,
    );
  return { version: STATE_VERSION, peers };
}

/**
 * What the state file keeps of a peer after a pass: `previous` as decide() left it (holds,
 * streaks), counters for the metrics, a snapshot for `status`. `freshSeconds` is
 * handshakeFreshSeconds (see peerUp).
 */
export function nextPeerState(
  previous: PeerState,
  outcome: PeerOutcome,
  now: number,
  freshSeconds: number,
): PeerState {
  const last = outcome.steps.at(-1);
  const applied = outcome.steps.filter((s) => s.applied === true).at(-1);
  const lastSwitch =
    applied && (applied.decision.action === "switch" || applied.decision.action === "restore")
      ? {
          at: now,
          from: applied.decision.from,
          to: applied.decision.to,
          reason: applied.decision.reason,
        }
      : previous.lastSwitch;
  const endpoint = outcome.live.endpoint;
  const moved = applied !== undefined && endpoint !== outcome.original;
  const failures = outcome.steps.filter((s) => s.verdict?.ok === false).length;
  const { peer, live, resolution } = outcome;
  const fallback = fallbackOf(live.endpoint, peer.endpoint, resolution, outcome.fallbacks ?? []);
  return {
    failedUntil: previous.failedUntil,
    preferredAnsweringSince: previous.preferredAnsweringSince,
    ...(previous.primaryAnsweringSince === undefined
      ? {}
      : { primaryAnsweringSince: previous.primaryAnsweringSince }),
    ...(lastSwitch ? { lastSwitch } : {}),
    endpointSince: endpointSince(previous, endpoint, now),
    changes: (previous.changes ?? 0) + (moved ? 1 : 0),
    verifyFailures: (previous.verifyFailures ?? 0) + failures,
    last: {
      at: now,
      hostname: outcome.peer.endpoint.host,
      endpoint,
      ...(fallback ? { fallback: { number: fallback.number, endpoint: fallback.endpoint } } : {}),
      latestHandshake: outcome.live.latestHandshake,
      probes: outcome.probes.map((p) => ({
        address: p.address,
        alive: p.alive,
        rttMs: p.rttMs,
        error: p.error,
      })),
      action: last?.decision.action ?? "keep",
      reason: last?.decision.reason ?? "",
      up: peerUp(outcome, now, freshSeconds),
      dnsError: outcome.resolution.ok ? undefined : outcome.resolution.error,
      file: locationText(peer.at),
      source: peer.source ?? "wg-quick",
    },
  };
}

/**
 * Whether a pass left the peer on a working endpoint (the `wgem_peer_up` metric, `status`). A move
 * counts once WireGuard verified it. A kept endpoint counts when the pass saw it work (ping or
 * WireGuard), but a keep that is only a fallback (DNS failed, no usable family: decide's warning
 * keeps) counts only with a handshake younger than `freshSeconds`: the pass could not judge it.
 */
export function peerUp(outcome: PeerOutcome, nowMs: number, freshSeconds: number): boolean {
  const last = outcome.steps.at(-1);
  if (last === undefined || peerFailed(outcome)) return false;
  const { decision } = last;
  switch (decision.action) {
    case "keep": {
      if (decision.warning !== true) return true;
      const age = handshakeAge(outcome.live.latestHandshake, nowMs);
      return age !== undefined && age < freshSeconds;
    }
    case "switch":
    case "check":
      // A switch not verified: a --dry-run, which changed nothing, so the peer is still broken.
      return last.verdict?.ok === true;
    case "restore":
    case "unreachable":
      return false;
  }
}

// --- internal ---

/**
 * Since when the endpoint has been in place: kept from the previous pass while it stays the
 * same (whoever moved it), else now.
 */
function endpointSince(previous: PeerState, endpoint: string | undefined, now: number): number {
  if (previous.last === undefined || previous.last.endpoint !== endpoint) return now;
  return previous.endpointSince ?? now;
}
