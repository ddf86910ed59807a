import { addressOf } from "../common/endpoint.js";
import type { Candidate } from "../model.js";
import type { DecisionPolicy, PeerMemory, PeerObservation } from "./types.js";
import { preferredFamily } from "./types.js";

/**
 * Memory carried into this pass's decision: the preferred family's answering streak is
 * extended while any of its addresses answers, and reset the moment none does.
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
  return {
    failedUntil,
    preferredAnsweringSince: answering ? (memory.preferredAnsweringSince ?? nowMs) : undefined,
  };
}

/**
 * Memory after a WireGuard verdict: a failed address is not tried again for `holdMs`. The key is
 * the bare address (no port, no brackets), as failedRecently() looks it up.
 */
export function rememberVerdict(
  memory: PeerMemory,
  address: string,
  ok: boolean,
  nowMs: number,
  holdMs: number,
): PeerMemory {
  if (ok) {
    const { [address]: _cleared, ...rest } = memory.failedUntil;
    return { ...memory, failedUntil: rest };
  }
  return { ...memory, failedUntil: { ...memory.failedUntil, [address]: nowMs + holdMs } };
}

/** Whether `endpoint`'s address failed WireGuard verification and is still held, in DNS or not. */
export function failedRecently(memory: PeerMemory, endpoint: string, nowMs: number): boolean {
  return (memory.failedUntil[addressOf(endpoint)] ?? 0) > nowMs;
}
