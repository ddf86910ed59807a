import type { Clock } from "../clock.js";
import { decide } from "../decide/decide.js";
import { afterInterruption } from "../decide/interrupted.js";
import { rememberVerdict } from "../decide/memory.js";
import type { DecisionPolicy, PeerObservation, Step, Verdict } from "../decide/types.js";
import type { LivePeer } from "../model.js";
import type { Wg } from "../observe/wg.js";
import { resolvedAddresses } from "../resolve/endpoints.js";
import type { PeerState } from "../state/shape.js";
import { checkAddressOf } from "./tunnel-address.js";
import type { TunnelChecker } from "./tunnel-check.js";

/** The side effects a round may need. */
export interface RoundDeps {
  readonly wg: Wg;
  readonly check: TunnelChecker;
  readonly clock: Clock;
  readonly dryRun: boolean;
  readonly failedHoldMs: number;
  readonly verifyAddress: string | undefined;
  /** SIGTERM or SIGINT: stop waiting, and undo a move that is not verified yet. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The settle loop: decide -> apply (`wg set`) -> verify (through WireGuard) -> decide again with
 * what WireGuard said, until the decision is final. decide() stays pure: each verdict becomes an
 * observation of the next round (`wireguard`), so no plan is made up front. Every round adds a
 * verdict on a new endpoint or ends, so the loop is bounded by the candidates. On SIGTERM the
 * last round is followed by decide's afterInterruption (decide/interrupted.ts).
 */
export async function settle(
  start: PeerObservation,
  memory: PeerState,
  policy: DecisionPolicy,
  deps: RoundDeps,
): Promise<{ steps: Step[]; memory: PeerState; live: LivePeer }> {
  const steps: Step[] = [];
  const wireguard = new Map<string, boolean>();
  let live = start.live;
  const candidates = resolvedAddresses(start.resolution, start.fallbacks).length;
  const { iface, publicKey } = start.peer;
  const inside = checkAddressOf(start.peer, live, deps.verifyAddress);
  const verify = async (endpoint: string): Promise<Verdict> => {
    const verdict = await deps.check(iface, publicKey, inside, deps.signal);
    // An interrupted check says nothing about the endpoint.
    if (verdict.interrupted !== true)
      memory = rememberVerdict(memory, endpoint, verdict.ok, deps.clock.now(), deps.failedHoldMs);
    return verdict;
  };
  for (let round = 0; round < candidates + 3 && deps.signal?.aborted !== true; round++) {
    const decision = decide({ ...start, live, wireguard }, memory, policy, deps.clock.now());
    if (decision.action === "keep" || decision.action === "unreachable") {
      steps.push({ decision });
      break;
    }
    if (decision.action === "check") {
      const verdict = await verify(decision.endpoint);
      wireguard.set(decision.endpoint, verdict.ok);
      steps.push({ decision, verdict });
      continue;
    }
    if (deps.dryRun) {
      steps.push({ decision, applied: false });
      break;
    }
    try {
      await deps.wg.setEndpoint(iface, publicKey, decision.to);
    } catch (error) {
      steps.push({ decision, applied: false, error: (error as Error).message });
      break;
    }
    live = { ...live, endpoint: decision.to };
    if (decision.action === "restore") {
      steps.push({ decision, applied: true });
      break;
    }
    const verdict = await verify(decision.to);
    wireguard.set(decision.to, verdict.ok);
    steps.push({ decision, applied: true, verdict });
    if (verdict.ok) break;
  }
  const undo = deps.signal?.aborted ? await undoUnverified(start, live, steps, deps) : undefined;
  if (undo !== undefined) {
    steps.push(undo);
    if (undo.applied) live = { ...live, endpoint: start.original };
  }
  return { steps, memory, live };
}

// --- internal ---

/** After an interruption: carries out decide's restore of the endpoint the pass began with. */
async function undoUnverified(
  start: PeerObservation,
  live: LivePeer,
  steps: readonly Step[],
  deps: RoundDeps,
): Promise<Step | undefined> {
  const why = deps.signal?.reason instanceof Error ? deps.signal.reason.message : "interrupted";
  const decision = afterInterruption(start.original, live.endpoint, steps.at(-1), why);
  if (decision === undefined) return undefined;
  try {
    await deps.wg.setEndpoint(start.peer.iface, start.peer.publicKey, decision.to);
    return { decision, applied: true };
  } catch (error) {
    return { decision, applied: false, error: (error as Error).message };
  }
}
