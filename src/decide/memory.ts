import { formatEndpoint } from "../common/endpoint.js";
import type { Candidate } from "../model.js";
import type { PeerState } from "../state/shape.js";
import type { DecisionPolicy, PeerObservation } from "./types.js";
import { preferredFamily } from "./types.js";

/**
 * The peer's state carried into this pass's decision: the preferred family's answering streak
 * is extended while any of its addresses answers, and reset the moment none does. A peer with
 * fallbacks also keeps its own Endpoint's streak (primaryStreak). Other fields pass through.
 */
export function rememberProbes(
  memory: PeerState,
  obs: PeerObservation,
  policy: DecisionPolicy,
  nowMs: number,
): PeerState {
  const preferred = preferredFamily(policy, obs.host);
  const candidates: readonly Candidate[] = obs.resolution.ok ? obs.resolution.candidates : [];
  const answering = candidates.some(
    (c) => c.family === preferred && obs.probes.get(c.address)?.alive === true,
  );
  const failedUntil = Object.fromEntries(
    Object.entries(memory.failedUntil).filter(([, until]) => until > nowMs),
  );
  const since = primaryStreak(memory, obs, nowMs);
  const { primaryAnsweringSince: _ended, ...rest } = memory;
  return {
    ...rest,
    failedUntil,
    preferredAnsweringSince: answering ? (memory.preferredAnsweringSince ?? nowMs) : undefined,
    ...(since === undefined ? {} : { primaryAnsweringSince: since }),
  };
}

/**
 * Memory after a WireGuard verdict: a failed endpoint (`addr:port`, normalised) is not tried
 * again for `holdMs`. The key carries the port: a fallback on another port of the same address
 * (UDP 51820 blocked, 443 let through) is judged on its own.
 */
export function rememberVerdict(
  memory: PeerState,
  endpoint: string,
  ok: boolean,
  nowMs: number,
  holdMs: number,
): PeerState {
  if (ok) {
    const { [endpoint]: _cleared, ...rest } = memory.failedUntil;
    return { ...memory, failedUntil: rest };
  }
  return { ...memory, failedUntil: { ...memory.failedUntil, [endpoint]: nowMs + holdMs } };
}

/** Whether `endpoint` (`addr:port`) failed WireGuard verification and is still held, in DNS or not. */
export function failedRecently(memory: PeerState, endpoint: string, nowMs: number): boolean {
  return (memory.failedUntil[endpoint] ?? 0) > nowMs;
}

// --- internal ---

/**
 * Since when the peer's own Endpoint has had an address that answers ping and is not held by a
 * failed verification; undefined when it has none now, or when the peer has no fallbacks (the
 * streak only matters for going back from a fallback).
 */
function primaryStreak(memory: PeerState, obs: PeerObservation, nowMs: number): number | undefined {
  if ((obs.fallbacks ?? []).length === 0 || !obs.resolution.ok) return undefined;
  const port = obs.peer.endpoint.port;
  const answering = obs.resolution.candidates.some(
    (c) =>
      obs.probes.get(c.address)?.alive === true &&
      !failedRecently(memory, formatEndpoint(c.address, port), nowMs),
  );
  return answering ? (memory.primaryAnsweringSince ?? nowMs) : undefined;
}
