import type { PassTiming } from "../pass/pass.js";
import { duration } from "../report/peer-table.js";
import type { State } from "../state/shape.js";

/**
 * The one line `systemctl status` shows (sd_notify STATUS=): how many recorded peers are up,
 * down and on a fallback endpoint, whether the last pass found this host offline, and how long
 * ago it ended:
 * `3 peers up, 1 on fallback, last pass 12 s ago`.
 */
export function statusLine(
  input: { readonly state: State; readonly lastPass: PassTiming | undefined },
  now: number,
): string {
  if (input.lastPass === undefined) return "first pass under way";
  const seen = Object.values(input.state.peers).flatMap((p) => (p.last ? [p.last] : []));
  const up = seen.filter((s) => s.up).length;
  const down = seen.length - up;
  const fallback = seen.filter((s) => s.fallback !== undefined).length;
  const parts = [
    `${up} ${up === 1 ? "peer" : "peers"} up`,
    ...(down > 0 ? [`${down} down`] : []),
    ...(fallback > 0 ? [`${fallback} on fallback`] : []),
    ...(input.lastPass.hostOffline ? ["this host looks offline"] : []),
    `last pass ${duration(now - input.lastPass.at)} ago`,
  ];
  return parts.join(", ");
}
