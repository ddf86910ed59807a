import type { EchoPolicy } from "./echo-session.js";

/** Round trips without an answer that tell a dead path from a slow answer. */
export const RTT_FACTOR = 8;
/** The round trip assumed of a path whose own is unknown (firewalled ICMP): a slow one. */
export const ASSUMED_RTT_MS = 250;
/** Echoes within a deadline taken from the round trip: one lost echo is no verdict. */
export const ECHOES_WITHIN_RTT_DEADLINE = 2;

/**
 * How to probe an address known to answer in `rttMs`, while the data sent to it is unanswered:
 * `RTT_FACTOR` round trips without an answer make it dead (happy eyeballs: the other addresses
 * need not wait for its full timeout). Never less than `ASSUMED_RTT_MS`, and `policy` itself when
 * its timeout is no longer; a couple of echoes spread over that deadline.
 * {3, 200, 1000} at 1 ms -> {2, 125, 250}; at 40 ms -> {2, 160, 320}; at 125 ms or more -> itself.
 */
export function rttDeadlinePolicy(policy: EchoPolicy, rttMs: number): EchoPolicy {
  const timeoutMs = Math.max(ASSUMED_RTT_MS, Math.ceil(RTT_FACTOR * rttMs));
  if (timeoutMs >= policy.timeoutMs) return policy;
  const count = Math.max(1, Math.min(policy.count, ECHOES_WITHIN_RTT_DEADLINE));
  const intervalMs = Math.max(1, Math.min(policy.intervalMs, Math.floor(timeoutMs / count)));
  return { count, intervalMs, timeoutMs };
}
