import { handshakeAge } from "../decide/decide.js";
import type { PeerSnapshot } from "../state/state.js";
import { peerFailed } from "./exit-status.js";
import type { PeerOutcome } from "./reconcile.js";

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

/**
 * A recorded peer's verdict, for `status` and the metrics. A file written before `up` was kept
 * judges by the last action: a pass ends a peer on a failed move only by restoring or giving up.
 */
export function snapshotUp(last: PeerSnapshot): boolean {
  return typeof last.up === "boolean" ? last.up : !["unreachable", "restore"].includes(last.action);
}
