import { addressOf } from "../common/endpoint.js";
import type { Family } from "../model.js";
import type { PeerState } from "../state/shape.js";
import { leftUntried, triesUsedUp } from "./bounds.js";
import { whileNotInDns } from "./churn.js";
import { noCandidate, whileOnFallback, whilePrimaryGivesNothing } from "./fallback.js";
import { type Decision, type DecisionPolicy, handshakeAge, type PeerObservation } from "./types.js";
import { View } from "./view.js";

/**
 * The policy, as a pure function of what was observed: ICMP is evidence, WireGuard traffic is
 * proof, happy eyeballs is the preference. Called once per round; a pass feeds each round's
 * WireGuard verdict back in (obs.wireguard) until the decision is final.
 */
export function decide(
  obs: PeerObservation,
  memory: PeerState,
  policy: DecisionPolicy,
  nowMs: number,
): Decision {
  const current = obs.live.endpoint;
  const hasFallbacks = (obs.fallbacks ?? []).length > 0;
  if (!obs.resolution.ok && !hasFallbacks) {
    return {
      action: "keep",
      endpoint: current,
      reason: `${obs.resolution.error}; keeping ${show(current)}`,
      warning: true,
    };
  }
  const view = new View(obs, memory, policy, nowMs);
  // Fallback endpoints (fallback.ts): the peer's own Endpoint may give nothing while they do.
  if (view.ordered.length === 0) return noCandidate(view);
  if (view.primaryProblem !== undefined) {
    const early = whilePrimaryGivesNothing(view, view.primaryProblem);
    if (early !== undefined) return early;
  }
  const gone = whileNotInDns(view);
  if (gone !== undefined) return gone;
  return view.currentWorks() ? whileWorking(view) : whileBroken(view);
}

// --- internal ---

/** The current endpoint works: keep it, unless the preferred family has earned it back. */
function whileWorking(v: View): Decision {
  const current = v.current as string;
  const verdict = v.obs.wireguard.get(current);
  const age = handshakeAge(v.obs.live.latestHandshake, v.nowMs);
  const stale = age === undefined || age >= v.policy.handshakeFreshSeconds;
  if (verdict === undefined && (stale || v.obs.suspect !== undefined) && v.policy.canVerify) {
    const since =
      v.obs.suspect ?? (age === undefined ? "no handshake yet" : `last handshake ${age} s ago`);
    return {
      action: "check",
      endpoint: current,
      reason: `${current} answers ping but ${since}: checking through WireGuard`,
    };
  }
  const origin = v.originOf(current);
  if (origin?.kind === "fallback") return whileOnFallback(v, current, origin);
  const family = v.familyOf(current);
  const upgrade = v
    .answering()
    .find((c) => c.family === v.preferred && c.origin.kind === "primary");
  if (family !== v.preferred && upgrade !== undefined) {
    const since = v.memory.preferredAnsweringSince ?? v.nowMs;
    const held = Math.floor((v.nowMs - since) / 1000);
    const name = familyName(v.preferred);
    if (held >= v.policy.holdDownSeconds) {
      const reason = `${name} has answered for ${held} s (hold-down ${v.policy.holdDownSeconds} s): moving back to ${name}`;
      return v.switchTo(upgrade, reason);
    }
    const reason = `${current} works; ${name} answers again but must do so for ${v.policy.holdDownSeconds} s first (${held} s so far)`;
    return { action: "keep", endpoint: current, reason };
  }
  const why =
    verdict === true ? "WireGuard traffic confirmed" : `answers ping${rtt(v, addressOf(current))}`;
  return { action: "keep", endpoint: current, reason: `${current} works (${why})` };
}

/** The current endpoint is gone from DNS, silent, or failed WireGuard: find another. */
function whileBroken(v: View): Decision {
  const current = v.current;
  const best = v.answering()[0];
  if (best !== undefined)
    return v.switchTo(best, `${whyBroken(v)}; ${v.label(best)} answers${rtt(v, best.address)}`);
  if (!v.policy.canVerify) {
    const age = handshakeAge(v.obs.live.latestHandshake, v.nowMs);
    if (age !== undefined && age < v.policy.handshakeFreshSeconds && current !== undefined) {
      const reason = `no address answers ping, but the last handshake was ${age} s ago (the peer may drop ICMP); keeping ${current}`;
      return { action: "keep", endpoint: current, reason };
    }
    return {
      action: "unreachable",
      endpoint: current,
      reason: `no address of ${v.everything} answers ping`,
    };
  }
  // WireGuard is the probe now: the current endpoint, then every address not yet tried in this
  // pass. Addresses held back by an earlier failure come last, not never: the outage may be over.
  const stuck = v.ordered.some((c) => v.alive(c))
    ? "no address that answers ping carries WireGuard traffic"
    : "no address answers ping";
  if (
    current !== undefined &&
    v.obs.wireguard.get(current) === undefined &&
    !v.failedBefore(current)
  ) {
    return {
      action: "check",
      endpoint: current,
      reason: `${stuck}: checking ${current} through WireGuard`,
    };
  }
  const untried = v.untried();
  const next = untried[0];
  if (next !== undefined && !triesUsedUp(v)) {
    const again = v.failedBefore(v.endpointOf(next))
      ? " again (it failed WireGuard verification recently)"
      : "";
    const reason = `${stuck}: trying ${v.label(next)}${again}`;
    if (v.endpointOf(next) === current) return { action: "check", endpoint: current, reason };
    return v.switchTo(next, reason);
  }
  const original = v.obs.original;
  if (original !== undefined && original !== current) {
    return {
      action: "restore",
      from: current,
      to: original,
      reason: `no address carries WireGuard traffic: restoring ${original}${leftUntried(v, untried)}`,
    };
  }
  return {
    action: "unreachable",
    endpoint: current,
    reason: `no address of ${v.everything} answers ping or carries WireGuard traffic${leftUntried(v, untried)}`,
  };
}

function whyBroken(v: View): string {
  const current = v.current;
  if (current === undefined) return "the peer has no endpoint";
  if (v.obs.wireguard.get(current) === false) {
    // With fallbacks, say too why the own name gave nothing: the operator's first clue.
    const gone = v.inDns(current) ? undefined : v.primaryProblem;
    return `${gone === undefined ? "" : `${gone}; `}${current} carries no WireGuard traffic`;
  }
  if (!v.inDns(current))
    return v.primaryProblem ?? `${current} is no longer an address of ${v.hostname}`;
  if (v.failedBefore(current)) return `${current} failed WireGuard verification recently`;
  const error = v.obs.probes.get(addressOf(current))?.error ?? "no answer";
  return `${current} does not answer ping (${error})`;
}

function rtt(v: View, address: string): string {
  const ms = v.obs.probes.get(address)?.rttMs;
  return ms === undefined ? "" : ` in ${ms} ms`;
}

function familyName(f: Family): string {
  return f === 6 ? "IPv6" : "IPv4";
}

function show(endpoint: string | undefined): string {
  return endpoint ?? "no endpoint";
}
