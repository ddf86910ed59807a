/**
 * How long a silence must last before a peer is suspect, from what the service learned of the
 * peer's round-trip time. Pure arithmetic; the Detector and the service share it.
 */

/** Several round trips: data out and nothing back for this many RTTs is not a slow answer. */
export const RTT_FACTOR = 8;
/**
 * Assumed for a peer whose endpoint never answered an echo (firewalled ICMP): a slow path, so
 * the threshold stays near the former fixed 2 s.
 */
export const ASSUMED_RTT_MS = 250;

/**
 * The silence (data out, nothing back) that makes a peer suspect: `RTT_FACTOR` round trips, and
 * never less than `floorMs` (watch.silenceMs), which covers the poll's precision and bursts of
 * scheduling delay on a busy host.
 */
export function silenceThresholdMs(floorMs: number, rttMs: number | undefined): number {
  return Math.max(floorMs, Math.ceil(RTT_FACTOR * (rttMs ?? ASSUMED_RTT_MS)));
}

/**
 * Folds one echo round trip into what is known of a peer: a slower sample counts at once, a
 * faster one only halves the old estimate, so one lucky echo does not make the service jumpy.
 */
export function learnRtt(previousMs: number | undefined, sampleMs: number): number {
  if (previousMs === undefined) return sampleMs;
  return Math.max(sampleMs, previousMs / 2);
}
