import { addressOf } from "../common/endpoint.js";
import type { Decision } from "./types.js";
import type { View } from "./view.js";

/**
 * The current endpoint is no longer one of the name's addresses, still answers ping, and
 * WireGuard has not judged it in this pass. A name whose answers alternate between address sets
 * (round robin, a flapping record) would otherwise move a working tunnel on every pass: check it
 * through WireGuard first, and keep it if WireGuard confirms it (rule 2). Undefined when the
 * common rules apply: the endpoint is silent (the peer moved: no time is lost on a check), or
 * the Endpoint now names another host (the operator moved it).
 */
export function whileNotInDns(v: View): Decision | undefined {
  const current = v.current;
  if (current === undefined || v.inDns(current) || !v.policy.canVerify) return undefined;
  if (v.obs.wireguard.get(current) !== undefined || v.failedBefore(current)) return undefined;
  if (v.obs.probes.get(addressOf(current))?.alive !== true) return undefined;
  const before = v.memory.last?.hostname;
  if (before !== undefined && before !== v.hostname) return undefined;
  // With nothing answering ping, rule 4 checks the current endpoint first anyway.
  if (v.answering().length === 0) return undefined;
  const gone = v.primaryProblem ?? `${current} is no longer an address of ${v.hostname}`;
  return {
    action: "check",
    endpoint: current,
    reason: `${gone}: checking ${current} through WireGuard before moving`,
  };
}
