import type { Decision, Step } from "./types.js";

/**
 * What to do when a pass is interrupted (SIGTERM, SIGINT) after the last round for a peer: put
 * back the endpoint the pass began with if that round moved the peer and WireGuard did not
 * verify the move; undefined when nothing needs undoing. `why` is the interruption's message.
 */
export function afterInterruption(
  original: string | undefined,
  current: string | undefined,
  last: Step | undefined,
  why: string,
): (Decision & { action: "restore" }) | undefined {
  const moved = last?.applied === true && last.decision.action === "switch";
  if (!moved || last.verdict?.ok === true || original === undefined) return undefined;
  if (current === original) return undefined;
  return {
    action: "restore",
    from: current,
    to: original,
    reason: `${why} before ${current} was verified`,
  };
}
