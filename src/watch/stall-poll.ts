import type { Clock } from "../clock.js";
import { addressOf, canonicalAddress, literalFamily } from "../common/endpoint.js";
import type { PeerOutcome } from "../decide/types.js";
import type { Candidate, InterfaceConfig, ProbeResult } from "../model.js";
import { peerKey } from "../model.js";
import { type InterfaceTraffic, sameTraffic } from "../observe/netdev.js";
import type { Wg } from "../observe/wg.js";
import type { EchoPolicy } from "../probe/echo-session.js";
import type { Pinger } from "../probe/icmp.js";
import { short } from "../report/format.js";
import type { Log } from "../report/log.js";
import type { Detector, InterfaceCounters, Suspect } from "./stall-detection.js";

/** What a poll reads and sends: the counters, `wg show all dump`, one echo per stalled endpoint. */
export interface PollDeps {
  readonly wg: Wg;
  readonly pinger: Pinger;
  readonly clock: Clock;
  readonly log: Log;
  /** An interface's netdev counters (observe/netdev.ts); undefined if unreadable. */
  readonly interfaceTraffic: (iface: string) => Promise<InterfaceTraffic | undefined>;
  /** The passes' echo policy: a peer whose data goes unanswered has its addresses probed so. */
  readonly probe: EchoPolicy;
}

/**
 * The cheap poll between full passes: reads the tunnels' counters, feeds the Detector, probes
 * early the addresses of peers whose data just went unanswered (EarlyProbes, below), and confirms
 * with one echo the suspects that only an interface's counters point at.
 */
export class StallPoll {
  /** Netdev counters at the last poll. */
  private traffic = new Map<string, InterfaceTraffic | undefined>();

  constructor(
    private readonly detector: Detector,
    readonly early: EarlyProbes,
  ) {}

  /** What a pass taught: each peer's addresses (probed early) and round trip (its threshold). */
  learn(lessons: readonly Lesson[]): void {
    for (const l of lessons) {
      this.early.learn(l.key, l.candidates);
      if (l.rttMs !== undefined) this.detector.learnRtt(l.iface, l.publicKey, l.rttMs);
    }
  }

  /** One poll over the configs in force; returns the peers that became suspect. */
  async poll(configs: readonly InterfaceConfig[], deps: PollDeps): Promise<Suspect[]> {
    const withPeers = configs.filter((c) => c.peers.length > 0);
    const managed = new Set(
      withPeers.flatMap((c) => c.peers.map((p) => peerKey(c.iface, p.publicKey))),
    );
    this.early.keepOnly(managed);
    if (managed.size === 0) return [];
    const traffic = new Map(
      await Promise.all(
        withPeers.map(async (c) => [c.iface, await deps.interfaceTraffic(c.iface)] as const),
      ),
    );
    // No packet went through any tunnel and no silence is being timed: `wg show` (a process)
    // would say nothing new, so an idle service costs a few file reads a poll.
    const still = [...traffic].every(([iface, t]) => sameTraffic(t, this.traffic.get(iface)));
    this.traffic = traffic;
    if (still && !this.detector.timing()) {
      this.detector.skipped(deps.clock.now());
      return [];
    }
    const all = await deps.wg.showAll();
    const snapshot = new Map(
      [...all].map(([iface, peers]) => [
        iface,
        peers.filter((p) => managed.has(peerKey(iface, p.publicKey))),
      ]),
    );
    const counters = new Map<string, InterfaceCounters>();
    for (const [iface, t] of traffic) {
      const txBytes = (all.get(iface) ?? []).reduce((sum, p) => sum + p.txBytes, 0);
      if (t !== undefined) counters.set(iface, { offered: t.offered, txBytes });
    }
    const seen = this.detector.observe(snapshot, deps.clock.now(), counters);
    for (const { iface, publicKey } of seen.newlySilent) {
      const count = this.early.start(peerKey(iface, publicKey), deps.pinger, deps.probe);
      const text = `${iface} peer ${short(publicKey)}: data unanswered; probing ${count} addresses early`;
      if (count > 0) deps.log.line({ level: "info", text });
    }
    // One echo confirms: a send that fails locally fails at once, a live endpoint answers.
    const { intervalMs, timeoutMs } = deps.probe;
    const suspects = await confirmed(seen.suspects, deps, { count: 1, intervalMs, timeoutMs });
    for (const s of suspects)
      deps.log.line({
        level: "info",
        text: `${s.iface} peer ${short(s.publicKey)}: suspect: ${s.reason}`,
      });
    return suspects;
  }

  /** Forgets a peer's silence once a pass has dealt with it. */
  reset(iface: string, publicKey: string): void {
    this.detector.reset(iface, publicKey);
  }
}

/** An early probe result is reused by a pass that starts at most this long after it began. */
export const EARLY_PROBE_REUSE_MS = 5_000;

/**
 * Probes a peer's addresses as soon as its data goes unanswered, while the silence is still being
 * timed, so that the pass a suspect peer gets finds the echoes already answered (or timed out)
 * instead of waiting a probe timeout of its own. A healthy peer's answer ends the silence and the
 * echoes are simply not used.
 *
 * The pass sees the results through `wrap()`: a Pinger that hands back an early probe of the same
 * address and policy, begun within `reuseMs` by the same Pinger, and asks the real one otherwise.
 * (After a reload the old Pinger is closed, and its unfinished echoes end as "probing stopped".)
 */
export class EarlyProbes {
  /** Addresses a pass last resolved for each peer, by `iface/publicKey`. */
  private readonly candidates = new Map<string, readonly Candidate[]>();
  private readonly probes = new Map<string, Early>();
  private started = 0;

  constructor(
    private readonly clock: Clock,
    private readonly reuseMs = EARLY_PROBE_REUSE_MS,
  ) {}

  /** Remembers the addresses a pass resolved for a peer (`iface/publicKey`). */
  learn(key: string, candidates: readonly Candidate[]): void {
    this.candidates.set(key, candidates);
  }

  /** Forgets every peer not in `keys` (gone from the configs). */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const key of this.candidates.keys()) if (!keys.has(key)) this.candidates.delete(key);
  }

  /** Starts echoes to each of the peer's addresses not probed within `reuseMs`; how many started. */
  start(key: string, pinger: Pinger, policy: EchoPolicy): number {
    this.expire();
    let count = 0;
    for (const candidate of this.candidates.get(key) ?? []) {
      if (this.probes.has(candidate.address)) continue;
      const result = pinger.probe(candidate, policy);
      // Whoever uses it handles a failure; until then it must not count as unhandled.
      result.catch(() => {});
      this.probes.set(candidate.address, { at: this.clock.now(), pinger, policy, result });
      count++;
    }
    this.started += count;
    return count;
  }

  /** Addresses probed early since the service started (the soak reports it). */
  get total(): number {
    return this.started;
  }

  /** `inner`, answering from a fresh early probe of the same address and policy where one exists. */
  wrap(inner: Pinger): Pinger {
    return {
      probe: (candidate, policy) => {
        this.expire();
        const early = this.probes.get(candidate.address);
        if (early?.pinger === inner && samePolicy(early.policy, policy)) return early.result;
        return inner.probe(candidate, policy);
      },
      close: () => inner.close(),
    };
  }

  // --- internal ---

  private expire(): void {
    const oldest = this.clock.now() - this.reuseMs;
    for (const [address, early] of this.probes) if (early.at < oldest) this.probes.delete(address);
  }
}

interface Early {
  readonly at: number;
  readonly pinger: Pinger;
  readonly policy: EchoPolicy;
  readonly result: Promise<ProbeResult>;
}

function samePolicy(a: EchoPolicy, b: EchoPolicy): boolean {
  return a.count === b.count && a.intervalMs === b.intervalMs && a.timeoutMs === b.timeoutMs;
}

/** What a pass taught the watch service about one peer. */
export interface Lesson {
  readonly iface: string;
  readonly publicKey: string;
  /** `iface/publicKey`. */
  readonly key: string;
  /** The addresses its hostname resolved to (probed early when its data goes unanswered). */
  readonly candidates: readonly Candidate[];
  /** The echo round trip to the endpoint in force after the pass, if it answered. */
  readonly rttMs: number | undefined;
}

/** The addresses and round-trip time of every peer a pass dealt with. */
export function lessonsOf(outcomes: readonly PeerOutcome[]): Lesson[] {
  return outcomes.map((o) => {
    const { iface, publicKey } = o.peer;
    const live = o.live.endpoint;
    const address = live === undefined ? undefined : canonicalAddress(addressOf(live));
    const probe = o.probes.find((p) => p.alive && p.address === address);
    return {
      iface,
      publicKey,
      key: peerKey(iface, publicKey),
      candidates: o.resolution.ok ? o.resolution.candidates : [],
      rttMs: probe?.rttMs,
    };
  });
}

// --- internal ---

/**
 * Drops the suspects that only the interface's counters point at when their endpoint answers an
 * echo: a send that fails locally fails the echo at once too.
 */
async function confirmed(
  found: readonly Suspect[],
  deps: PollDeps,
  echo: EchoPolicy,
): Promise<Suspect[]> {
  const checked = await Promise.all(
    found.map(async (s) => {
      if (s.endpoint === undefined) return s;
      const address = addressOf(s.endpoint);
      const candidate = { address, family: literalFamily(address) ?? 4 };
      const answer = await deps.pinger
        .probe(candidate, echo)
        .catch((error: unknown) => ({ alive: false, error: String(error) }));
      if (!answer.alive)
        return { ...s, reason: `${s.reason}; ${s.endpoint}: ${answer.error ?? "no answer"}` };
      deps.log.line({
        level: "info",
        text: `${s.iface} peer ${short(s.publicKey)}: ${s.reason}, but ${s.endpoint} answers ping: not suspect`,
      });
      return undefined;
    }),
  );
  return checked.filter((s) => s !== undefined);
}
