import { settle } from "../apply/settle.js";
import { rememberProbes } from "../decide/memory.js";
import type { DecisionPolicy, PeerObservation, PeerOutcome } from "../decide/types.js";
import type { HostFamilies, InterfaceConfig, Problem, Resolution, Unmanaged } from "../model.js";
import { peerKey } from "../model.js";
import { type ObservedPeer, observePeers } from "../observe/live-peers.js";
import type { Probes } from "../probe/probe.js";
import { fallbackResolutions, resolutionOf, resolvedAddresses } from "../resolve/endpoints.js";
import type { Settings } from "../settings/schema.js";
import type { PeerState, State } from "../state/shape.js";
import type { PassDeps } from "./deps.js";
import { managedPeers } from "./managed-peers.js";
import { offlineReason, offlineResults } from "./offline-evidence.js";
import { type PeerResult, stateAfterPass } from "./peer-state.js";
import { resolveAndProbe } from "./resolve-probe.js";

/** How a pass runs: --dry-run, and the peers watch mode found suspect (by `iface/publicKey`). */
export interface PassOptions {
  readonly dryRun: boolean;
  readonly suspects?: ReadonlyMap<string, string> | undefined;
  /** SIGTERM or SIGINT: stop waiting, undo moves not yet verified, change nothing more. */
  readonly signal?: AbortSignal | undefined;
}

/** What a pass saw and did, for the report and for `--json`. */
export interface PassResult {
  readonly outcomes: readonly PeerOutcome[];
  readonly unmanaged: readonly Unmanaged[];
  readonly problems: readonly Problem[];
  readonly state: State;
  /** True when this host looked offline, so that no peer was touched (decide/offline.ts). */
  readonly hostOffline?: boolean;
}

/** The heart of a pass over already-discovered interfaces: observe, resolve, probe, decide, apply. */
export async function reconcile(
  interfaces: readonly InterfaceConfig[],
  settings: Settings,
  state: State,
  deps: PassDeps,
  options: PassOptions,
): Promise<PassResult> {
  const chosen = managedPeers(interfaces, settings);
  const { unmanaged } = chosen;
  const live = await observePeers(deps.wg, chosen.managed);
  const { observed } = live;
  const problems = [...chosen.problems, ...live.problems];
  const { resolutions, probes } = await resolveAndProbe(observed, settings, deps, options.signal);
  if (probes.systemPingReason)
    problems.push({ severity: "warning", kind: "environment", message: probes.systemPingReason });
  const tunnels = new Set(interfaces.map((i) => i.iface));
  const seen: Seen = { resolutions, probes, host: deps.hostFamilies(tunnels) };
  const fresh = settings.handshakeFreshSeconds;
  // Offline: no peer is touched, so the failed-hold cannot delay recovery (decide/offline.ts).
  const saw = { resolutions, probes: probes.results };
  const offline = await offlineReason(observed, saw, tunnels, settings, deps, !options.dryRun);
  if (offline !== undefined) {
    const now = deps.clock.now();
    const kept = offlineResults(observed, saw, offline, state.peers, now);
    return {
      outcomes: kept.results.map((r) => r.outcome),
      unmanaged,
      problems: [...problems, ...kept.problems],
      state: stateAfterPass(state, kept.results, fresh),
      hostOffline: true,
    };
  }
  const context = { settings, deps, dryRun: options.dryRun, signal: options.signal };
  const results = await Promise.all(
    observed.map((one) => {
      const key = peerKey(one.peer.iface, one.peer.publicKey);
      return reconcilePeer(one, state.peers[key], seen, options.suspects?.get(key), context);
    }),
  );
  const outcomes = results.map((r) => r.outcome);
  return { outcomes, unmanaged, problems, state: stateAfterPass(state, results, fresh) };
}

// --- internal ---

/** What every peer's reconciliation shares. */
interface PeerContext {
  readonly settings: Settings;
  readonly deps: PassDeps;
  readonly dryRun: boolean;
  readonly signal: AbortSignal | undefined;
}

/** What the pass saw for all peers at once. */
interface Seen {
  readonly resolutions: ReadonlyMap<string, Resolution>;
  readonly probes: Probes;
  readonly host: HostFamilies;
}

/** Decide, apply and verify for one peer, from what the pass saw and what it remembered. */
async function reconcilePeer(
  { peer, live }: ObservedPeer,
  remembered: PeerState | undefined,
  seen: Seen,
  suspect: string | undefined,
  { settings, deps, dryRun, signal }: PeerContext,
): Promise<PeerResult> {
  const resolution = resolutionOf(peer.endpoint, seen.resolutions);
  const fallbacks = fallbackResolutions(peer, settings, seen.resolutions);
  const overrides = settings.peers[peer.publicKey] ?? {};
  const policy: DecisionPolicy = {
    family: overrides.family ?? settings.family,
    handshakeFreshSeconds: settings.handshakeFreshSeconds,
    holdDownSeconds: overrides.holdDownSeconds ?? settings.holdDownSeconds,
    canVerify: !dryRun,
    maxAddressesPerName: settings.verify.maxAddressesPerName,
    maxTriesPerPass: settings.verify.maxTriesPerPass,
  };
  const start = {
    peer,
    live,
    original: live.endpoint,
    resolution,
    fallbacks,
    probes: seen.probes.results,
    host: seen.host,
    wireguard: new Map(),
    suspect,
  } satisfies PeerObservation;
  const memory = rememberProbes(remembered ?? { failedUntil: {} }, start, policy, deps.clock.now());
  const settled = await settle(start, memory, policy, {
    wg: deps.wg,
    check: deps.check,
    clock: deps.clock,
    dryRun,
    failedHoldMs: settings.verify.failedHoldSeconds * 1000,
    verifyAddress: overrides.verifyAddress,
    signal,
  });
  const probes = [...new Set(resolvedAddresses(resolution, fallbacks))]
    .map((address) => seen.probes.results.get(address))
    .filter((p) => p !== undefined);
  const outcome = {
    peer,
    live: settled.live,
    original: live.endpoint,
    resolution,
    ...(fallbacks.length > 0 ? { fallbacks } : {}),
    probes,
    steps: settled.steps,
  };
  return { outcome, state: settled.memory, at: deps.clock.now() };
}
