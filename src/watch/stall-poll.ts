import type { Clock } from "../clock.js";
import { addressOf, literalFamily } from "../common/endpoint.js";
import type { PeerOutcome } from "../decide/types.js";
import { Detector, type DetectorPolicy, type Suspect } from "../detect/detector.js";
import type { InterfaceCounters } from "../detect/interface-stalls.js";
import type { Candidate, InterfaceConfig } from "../model.js";
import { peerKey } from "../model.js";
import { type InterfaceTraffic, sameTraffic } from "../observe/netdev.js";
import type { Wg } from "../observe/wg.js";
import type { EchoPolicy } from "../probe/echo-session.js";
import type { Pinger } from "../probe/icmp.js";
import { short } from "../report/format.js";
import type { Log } from "../report/log.js";
import { type Answered, answeringProbe, EarlyProbes, EndpointSweep } from "./echoes.js";

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
 * early the addresses of peers whose data just went unanswered (EarlyProbes, echoes.ts), and
 * confirms with one echo the suspects that only an interface's counters point at. With an
 * EndpointSweep (echoes.ts), each poll also sends its share of the idle check's echoes.
 */
export class StallPoll {
  /** Netdev counters at the last poll. */
  private traffic = new Map<string, InterfaceTraffic | undefined>();
  private readonly detector: Detector;
  readonly early: EarlyProbes;
  /** Idle tunnels: one echo per endpoint every `sweepPeriodMs` (EndpointSweep), if asked for. */
  readonly sweep: EndpointSweep | undefined;
  private stopped = false;

  constructor(policy: DetectorPolicy, clock: Clock, sweepPeriodMs?: number) {
    this.detector = new Detector(policy);
    this.early = new EarlyProbes(clock);
    this.sweep = sweepPeriodMs === undefined ? undefined : new EndpointSweep(sweepPeriodMs);
  }

  /** The Detector judges the next polls by `policy` (settings reloaded), keeping what it learned. */
  configure(policy: DetectorPolicy): void {
    this.detector.configure(policy);
  }

  /** What a pass taught: each peer's addresses (probed early) and round trip (its thresholds). */
  learn(lessons: readonly Lesson[]): void {
    for (const l of lessons) {
      this.early.learn(l.key, l.candidates, l.answered);
      if (l.answered) this.detector.learnRtt(l.iface, l.publicKey, l.answered.rttMs);
    }
  }

  /** One poll over the configs in force; `suspect` hears of the peers that became suspect. */
  async poll(
    configs: readonly InterfaceConfig[],
    deps: PollDeps,
    suspect: (found: readonly Suspect[]) => void,
  ): Promise<void> {
    const managed = new Set(
      configs.flatMap((c) => c.peers.map((p) => peerKey(c.iface, p.publicKey))),
    );
    // This poll's share of the idle check: a peer whose endpoint stopped answering gets a pass.
    this.sweep?.keepOnly(managed);
    const { intervalMs, timeoutMs } = deps.probe;
    const echo = { count: 1, intervalMs, timeoutMs };
    this.sweep?.tick(deps.pinger, echo, deps.clock.now(), (s) => {
      if (this.stopped) return; // its echoes may end after stop()
      const text = `${s.iface} peer ${short(s.publicKey)}: suspect: ${s.reason}`;
      deps.log.line({ level: "info", text });
      suspect([s]);
    });
    const found = await this.counters(configs, managed, deps);
    if (found.length > 0) suspect(found);
  }

  /**
   * What a pass dealt with: each peer's addresses and round trip are learned (lessonsOf), its
   * endpoint watched by the idle check if it answered, and its silence forgotten (judged afresh).
   */
  passed(outcomes: readonly PeerOutcome[]): void {
    this.learn(lessonsOf(outcomes));
    this.sweep?.learn(outcomes);
    for (const o of outcomes) this.detector.reset(o.peer.iface, o.peer.publicKey);
  }

  /** The idle check's suspects are dropped from now on (the service is stopping). */
  stop(): void {
    this.stopped = true;
  }

  // --- internal ---

  /** The counter poll proper: the peers that became suspect. */
  private async counters(
    configs: readonly InterfaceConfig[],
    managed: ReadonlySet<string>,
    deps: PollDeps,
  ): Promise<Suspect[]> {
    const withPeers = configs.filter((c) => c.peers.length > 0);
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
}

/** What a pass taught the watch service about one peer. */
export interface Lesson {
  readonly iface: string;
  readonly publicKey: string;
  /** `iface/publicKey`. */
  readonly key: string;
  /** The addresses its hostname resolved to (probed early when its data goes unanswered). */
  readonly candidates: readonly Candidate[];
  /** The endpoint in force after the pass and its echo round trip, if it answered. */
  readonly answered: Answered | undefined;
}

/** The addresses and round-trip time of every peer a pass dealt with. */
export function lessonsOf(outcomes: readonly PeerOutcome[]): Lesson[] {
  return outcomes.map((o) => {
    const { iface, publicKey } = o.peer;
    const probe = answeringProbe(o)?.probe;
    const rttMs = probe?.rttMs;
    return {
      iface,
      publicKey,
      key: peerKey(iface, publicKey),
      candidates: o.resolution.ok ? o.resolution.candidates : [],
      answered:
        probe === undefined || rttMs === undefined ? undefined : { address: probe.address, rttMs },
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
