import { addressOf, formatEndpoint } from "../common/endpoint.js";
import type { Candidate } from "../model.js";
import type { DecisionPolicy, PeerMemory, PeerObservation } from "./types.js";
import { preferredFamily } from "./types.js";

/**
 * Memory carried into this pass's decision: the preferred family's answering streak is
 * extended while any of its addresses answers, and reset the moment none does. A peer with
 * fallbacks also keeps its own Endpoint's streak (primaryStreak).
 */
export function rememberProbes(
  memory: PeerMemory,
  obs: PeerObservation,
  policy: DecisionPolicy,
  nowMs: number,
): PeerMemory {
  const preferred = preferredFamily(policy, obs.host);
  const candidates: readonly Candidate[] = obs.resolution.ok ? obs.resolution.candidates : [];
  const answering = candidates.some(
    (c) => c.family === preferred && obs.probes.get(c.address)?.alive === true,
  );
  const failedUntil = Object.fromEntries(
    Object.entries(memory.failedUntil).filter(([, until]) => until > nowMs),
  );
  const since = primaryStreak(memory, obs, nowMs);
  return {
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
  memory: PeerMemory,
  endpoint: string,
  ok: boolean,
  nowMs: number,
  holdMs: number,
): PeerMemory {
  if (ok) {
    const { [endpoint]: _cleared, [addressOf(endpoint)]: _old, ...rest } = memory.failedUntil;
    return { ...memory, failedUntil: rest };
  }
  return { ...memory, failedUntil: { ...memory.failedUntil, [endpoint]: nowMs + holdMs } };
}

/**
 * Whether `endpoint` failed WireGuard verification and is still held, in DNS or not. A state
 * file written before ports were kept holds bare addresses: those hold the address on any port.
 */
export function failedRecently(memory: PeerMemory, endpoint: string, nowMs: number): boolean {
  const until = memory.failedUntil[endpoint] ?? memory.failedUntil[addressOf(endpoint)] ?? 0;
  return until > nowMs;
}

// --- internal ---

/**
 * Since when the peer's own Endpoint has had an address that answers ping and is not held by a
 * failed verification; undefined when it has none now, or when the peer has no fallbacks (the
 * streak only matters for going back from a fallback).
 */
function primaryStreak(
  memory: PeerMemory,
  obs: PeerObservation,
  nowMs: number,
): number | undefined {
  if ((obs.fallbacks ?? []).length === 0 || !obs.resolution.ok) return undefined;
  const port = obs.peer.endpoint.port;
  const answering = obs.resolution.candidates.some(
    (c) =>
      obs.probes.get(c.address)?.alive === true &&
      !failedRecently(memory, formatEndpoint(c.address, port), nowMs),
  );
  return answering ? (memory.primaryAnsweringSince ?? nowMs) : undefined;
}
