import { fallbackOf } from "../decide/targets.js";
import type { PeerOutcome } from "../pass/reconcile.js";
import type { PeerState } from "./state.js";

/** What the state file keeps of a peer after a pass: memory for decide(), a snapshot for `status`. */
export function nextPeerState(
  previous: PeerState | undefined,
  memory: PeerState,
  outcome: PeerOutcome,
  now: number,
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
      : previous?.lastSwitch;
  const { peer, live, resolution } = outcome;
  const fallback = fallbackOf(live.endpoint, peer.endpoint, resolution, outcome.fallbacks ?? []);
  return {
    failedUntil: memory.failedUntil,
    preferredAnsweringSince: memory.preferredAnsweringSince,
    ...(memory.primaryAnsweringSince === undefined
      ? {}
      : { primaryAnsweringSince: memory.primaryAnsweringSince }),
    ...(lastSwitch ? { lastSwitch } : {}),
    last: {
      at: now,
      hostname: outcome.peer.endpoint.host,
      endpoint: outcome.live.endpoint,
      ...(fallback ? { fallback: { number: fallback.number, endpoint: fallback.endpoint } } : {}),
      latestHandshake: outcome.live.latestHandshake,
      candidates: outcome.probes.map((p) => ({
        address: p.address,
        alive: p.alive,
        rttMs: p.rttMs,
        error: p.error,
      })),
      action: last?.decision.action ?? "keep",
      reason: last?.decision.reason ?? "",
    },
  };
}
