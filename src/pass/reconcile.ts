import { type Step, settle } from "../apply/settle.js";
import type { TunnelChecker } from "../apply/tunnel-check.js";
import type { Clock } from "../clock.js";
import { rememberProbes } from "../decide/memory.js";
import type { DecisionPolicy } from "../decide/types.js";
import type { HostFamilies, InterfaceConfig, ProbeResult, Problem, Resolution } from "../model.js";
import { observeTargets, type Target, type Unmanaged } from "../observe/live-peers.js";
import type { Wg } from "../observe/wg.js";
import type { Pinger } from "../probe/icmp.js";
import { startProbing } from "../probe/probe.js";
import type { Resolver } from "../resolve/dns.js";
import type { Settings } from "../settings/schema.js";
import { nextPeerState } from "../state/next-state.js";
import { type PeerState, peerKey, type State } from "../state/state.js";
import { forEachBounded } from "../util/bounded.js";

/** The side effects of a pass, one seam each. */
export interface PassDeps {
  readonly wg: Wg;
  readonly resolve: Resolver;
  readonly pinger: Pinger;
  readonly fallbackPinger: () => Pinger;
  readonly check: TunnelChecker;
  readonly clock: Clock;
  readonly hostFamilies: (tunnels: ReadonlySet<string>) => HostFamilies;
}

/** How a pass runs: --dry-run, and the peers watch mode found suspect (by `iface/publicKey`). */
export interface PassOptions {
  readonly dryRun: boolean;
  readonly suspects?: ReadonlyMap<string, string> | undefined;
}

/** What a pass saw and did for one peer. */
export interface PeerOutcome {
  /** The peer, with its live state as the pass left it. */
  readonly target: Target;
  /** The endpoint before the pass. */
  readonly original: string | undefined;
  readonly resolution: Resolution;
  readonly probes: readonly ProbeResult[];
  readonly steps: readonly Step[];
}

/** What a pass saw and did, for the report and for `--json`. */
export interface PassResult {
  readonly outcomes: readonly PeerOutcome[];
  readonly unmanaged: readonly Unmanaged[];
  readonly problems: readonly Problem[];
  readonly state: State;
}

/** The heart of a pass over already-discovered interfaces: observe, resolve, probe, decide, apply. */
export async function reconcile(
  interfaces: readonly InterfaceConfig[],
  settings: Settings,
  state: State,
  deps: PassDeps,
  options: PassOptions,
): Promise<PassResult> {
  const { dryRun, suspects } = options;
  const { targets, unmanaged, problems } = await observeTargets(deps.wg, interfaces, settings);
  // Each name's addresses are probed as soon as it resolves, so DNS and ICMP overlap.
  const probing = startProbing(settings.probe, deps.pinger, deps.fallbackPinger);
  const resolutions = await resolveAll(targets, deps.resolve, settings.dns.concurrency, (r) => {
    if (r.ok) probing.add(r.candidates);
  });
  const probes = await probing.finish();
  if (probes.fallbackReason)
    problems.push({ severity: "warning", kind: "environment", message: probes.fallbackReason });
  const host = deps.hostFamilies(new Set(interfaces.map((i) => i.iface)));
  const peers: Record<string, PeerState> = { ...state.peers };
  const outcomes = await Promise.all(
    targets.map(async (target) => {
      const resolution = resolutions.get(target.peer.endpoint.host) ?? {
        ok: false,
        error: "not resolved",
      };
      const key = peerKey(target.peer.iface, target.peer.publicKey);
      const overrides = settings.peers[target.peer.publicKey] ?? {};
      const policy: DecisionPolicy = {
        family: overrides.family ?? settings.family,
        handshakeFreshSeconds: settings.handshakeFreshSeconds,
        holdDownSeconds: overrides.holdDownSeconds ?? settings.holdDownSeconds,
        canVerify: !dryRun,
      };
      const start = {
        peer: target.peer,
        live: target.live,
        original: target.live.endpoint,
        resolution,
        probes: probes.results,
        host,
        wireguard: new Map(),
        suspect: suspects?.get(key),
      };
      const memory = rememberProbes(
        peers[key] ?? { failedUntil: {} },
        start,
        policy,
        deps.clock.now(),
      );
      const settled = await settle(start, memory, policy, {
        wg: deps.wg,
        check: deps.check,
        clock: deps.clock,
        dryRun,
        failedHoldMs: settings.verify.failedHoldSeconds * 1000,
        verifyAddress: overrides.verifyAddress,
      });
      const mine = resolution.ok
        ? resolution.candidates
            .map((c) => probes.results.get(c.address))
            .filter((p) => p !== undefined)
        : [];
      const outcome: PeerOutcome = {
        target: { ...target, live: settled.live },
        original: target.live.endpoint,
        resolution,
        probes: mine,
        steps: settled.steps,
      };
      peers[key] = nextPeerState(peers[key], settled.memory, outcome, deps.clock.now());
      return outcome;
    }),
  );
  return { outcomes, unmanaged, problems, state: { version: 1, peers } };
}

// --- internal ---

async function resolveAll(
  targets: readonly Target[],
  resolve: Resolver,
  concurrency: number,
  resolved: (resolution: Resolution) => void,
): Promise<Map<string, Resolution>> {
  const names = [...new Set(targets.map((t) => t.peer.endpoint.host))];
  const results = new Map<string, Resolution>();
  await forEachBounded(names, concurrency, async (name) => {
    const resolution = await resolve(name);
    results.set(name, resolution);
    resolved(resolution);
  });
  return results;
}
