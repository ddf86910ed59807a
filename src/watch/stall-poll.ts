import type { Clock } from "../clock.js";
import { addressOf, literalFamily } from "../common/endpoint.js";
import type { InterfaceConfig } from "../model.js";
import { type InterfaceTraffic, sameTraffic } from "../observe/netdev.js";
import type { Wg } from "../observe/wg.js";
import type { EchoPolicy, Pinger } from "../probe/icmp.js";
import { short } from "../report/format.js";
import { peerKey } from "../state/state.js";
import type { Detector, Suspect } from "./detector.js";
import type { EarlyProbes } from "./early-probe.js";
import type { InterfaceCounters } from "./interface-stall.js";
import type { Lesson } from "./lessons.js";
import type { Log } from "./log.js";

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
 * early the addresses of peers whose data just went unanswered (early-probe.ts), and confirms
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
    const found = this.detector.observe(snapshot, deps.clock.now(), counters);
    for (const { iface, publicKey } of this.detector.newlySilent()) {
      const count = this.early.start(peerKey(iface, publicKey), deps.pinger, deps.probe);
      const text = `${iface} peer ${short(publicKey)}: data unanswered; probing ${count} addresses early`;
      if (count > 0) deps.log.line({ level: "info", text });
    }
    // One echo confirms: a send that fails locally fails at once, a live endpoint answers.
    const { intervalMs, timeoutMs } = deps.probe;
    const suspects = await confirmed(found, deps, { count: 1, intervalMs, timeoutMs });
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
