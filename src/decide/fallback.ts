import { addressOf } from "../common/endpoint.js";
import { type FallbackOrigin, fallbackName, sourceProblem } from "./candidates.js";
import type { Decision } from "./types.js";
import { handshakeAge } from "./types.js";
import type { View } from "./view.js";

/**
 * The rules for a peer with fallback endpoints (README "The rules, per peer", rule 5). The
 * common rules (decide.ts) treat fallback candidates like any other, after the peer's own.
 */

/** No configured endpoint gives an address this host can use: keep, and say why for each. */
export function noCandidate(v: View): Decision {
  const why = v.sources.map((s) => {
    const problem = sourceProblem(s, v.usable) ?? "no usable address";
    return s.origin.kind === "primary" ? problem : `${fallbackName(s.origin)}: ${problem}`;
  });
  const current = v.current ?? "no endpoint";
  return {
    action: "keep",
    endpoint: v.current,
    reason: `${why.join("; ")}; keeping ${current}`,
    warning: true,
  };
}

/**
 * The peer's own Endpoint gives nothing (DNS fails, or no usable family), but a fallback does.
 * An endpoint that is in no answer may still work (a DNS outage, not a move): it is kept while
 * its handshake is fresh, otherwise checked through WireGuard before any fallback is tried.
 * Undefined when the common rules apply (no endpoint, a candidate, or WireGuard has spoken).
 */
export function whilePrimaryGivesNothing(v: View, problem: string): Decision | undefined {
  const current = v.current;
  if (current === undefined || v.inDns(current)) return undefined;
  const verdict = v.obs.wireguard.get(current);
  if (verdict === true) {
    const reason = `${problem}; ${current} works (WireGuard traffic confirmed); keeping it`;
    return { action: "keep", endpoint: current, reason, warning: true };
  }
  if (verdict === false) return undefined;
  const age = handshakeAge(v.obs.live.latestHandshake, v.nowMs);
  // A fresh handshake says the endpoint worked a moment ago; a failed ping says the peer may
  // have moved since, so only WireGuard's own word keeps it then (as when nothing answers).
  const dead = v.obs.probes.get(addressOf(current))?.alive === false && v.policy.canVerify;
  const fresh = age !== undefined && age < v.policy.handshakeFreshSeconds;
  if (fresh && !dead && v.obs.suspect === undefined) {
    const reason = `${problem}; the last handshake was ${age} s ago; keeping ${current}`;
    return { action: "keep", endpoint: current, reason, warning: true };
  }
  if (!v.policy.canVerify) return undefined;
  const why = dead ? `; ${current} does not answer ping` : "";
  const reason = `${problem}${why}: checking ${current} through WireGuard before the fallbacks`;
  return { action: "check", endpoint: current, reason };
}

/**
 * The current endpoint is a fallback and works. The peer goes back to its own Endpoint once that
 * has answered for the whole hold-down (and, as any move, only if WireGuard confirms it);
 * until then it stays on the fallback. Fallbacks are not ranked against each other while one works.
 */
export function whileOnFallback(v: View, current: string, origin: FallbackOrigin): Decision {
  const on = `${current} works (${fallbackName(origin)}${worksBecause(v, current)})`;
  const back = v.answering().find((c) => c.origin.kind === "primary");
  if (back === undefined)
    return { action: "keep", endpoint: current, reason: `${on}; ${notBack(v)}` };
  const since = v.memory.primaryAnsweringSince ?? v.nowMs;
  const held = Math.floor((v.nowMs - since) / 1000);
  const hold = v.policy.holdDownSeconds;
  if (held >= hold) {
    const reason = `${v.hostname} has answered for ${held} s (hold-down ${hold} s): moving back from ${fallbackName(origin)} to ${back.address}`;
    return v.switchTo(back, reason);
  }
  const reason = `${on}; ${v.hostname} answers again but must do so for ${hold} s first (${held} s so far)`;
  return { action: "keep", endpoint: current, reason };
}

// --- internal ---

/** Why the peer's own Endpoint cannot be gone back to yet. */
function notBack(v: View): string {
  if (v.primaryProblem !== undefined) return v.primaryProblem;
  const primary = v.ordered.filter((c) => c.origin.kind === "primary");
  return primary.some((c) => v.alive(c))
    ? `the answering addresses of ${v.hostname} failed WireGuard verification recently`
    : `no address of ${v.hostname} answers ping`;
}

function worksBecause(v: View, current: string): string {
  if (v.obs.wireguard.get(current) === true) return "; WireGuard traffic confirmed";
  const ms = v.obs.probes.get(addressOf(current))?.rttMs;
  return ms === undefined ? "" : `; answers ping in ${ms} ms`;
}
