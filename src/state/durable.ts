import type { PeerSnapshot, PeerState, State } from "./shape.js";

/**
 * Whether `after` differs from `before` in what a later pass reads: the peers, every field a
 * decision or the next state reads, and the parts of the last snapshot that say where the peer
 * is and whether it was up. When they are the same, only the snapshot's observation changed
 * (time, round trips, handshake, the reason's wording): losing that write to a power cut loses
 * nothing a pass needs, so it need not be synced to disk. `before` undefined: nothing is known.
 */
export function durableChange(before: State | undefined, after: State): boolean {
  if (before === undefined) return true;
  const keys = Object.keys(after.peers);
  if (keys.length !== Object.keys(before.peers).length) return true;
  for (const key of keys) {
    const was = before.peers[key];
    const now = after.peers[key];
    if (was === undefined || now === undefined || !sameJson(durable(was), durable(now)))
      return true;
  }
  return false;
}

// --- internal ---

function durable(peer: PeerState): unknown {
  const { last, ...rest } = peer;
  return { ...rest, last: last === undefined ? undefined : placeOf(last) };
}

function placeOf(last: PeerSnapshot): unknown {
  const { hostname, endpoint, fallback, action, up, dnsError } = last;
  return { hostname, endpoint, fallback, action, up, dnsError: dnsError !== undefined };
}

/** Equality of JSON-shaped values; an undefined property equals a missing one, as in the file. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const names = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const name of names) if (!sameJson(left[name], right[name])) return false;
  return true;
}
