// Echoes sent between passes: the idle check of every endpoint (EndpointSweep), and the early
// probes of a peer whose data just went unanswered (EarlyProbes), which its pass reuses.

import type { Clock } from "../clock.js";
import { addressOf, canonicalAddress, literalFamily } from "../common/endpoint.js";
import type { PeerOutcome } from "../decide/types.js";
import { learnRtt, type Suspect } from "../detect/detector.js";
import type { Candidate, ProbeResult } from "../model.js";
import { peerKey } from "../model.js";
import { rttDeadlinePolicy } from "../probe/echo-deadline.js";
import type { EchoPolicy } from "../probe/echo-session.js";
import { EchoesAhead } from "../probe/echoes-ahead.js";
import type { Pinger } from "../probe/icmp.js";

/** Each watched endpoint gets one echo this often, between full passes. */
export const SWEEP_PERIOD_MS = 3_000;

/**
 * A light check of every peer's endpoint between full passes, for tunnels that carry no data: a
 * keepalive is never answered, so a silent break of an idle tunnel shows in no counter. Each
 * peer whose endpoint answered ping in its last pass gets one echo per `periodMs`, the peers
 * spread over the period (a share of them per tick, round robin), so that thousands of peers
 * never make a burst. A missed echo is asked again at once; two misses in a row make the peer a
 * suspect, which gets a pass of its own. Peers whose endpoint did not answer are not watched:
 * they may drop ICMP, and their next full pass deals with them.
 */
export class EndpointSweep {
  private readonly watched = new Map<string, Watched>();
  /** Keys in the order they are visited; rebuilt when the watched set changes. */
  private order: string[] = [];
  private next = 0;
  /** Fractional echoes owed to the next tick. */
  private credit = 0;
  private lastTick: number | undefined;
  private sent = 0;

  constructor(private readonly periodMs = SWEEP_PERIOD_MS) {}

  /** What passes left: each peer's endpoint, watched when it answered ping in that pass. */
  learn(outcomes: readonly PeerOutcome[]): void {
    for (const o of outcomes) {
      const key = peerKey(o.peer.iface, o.peer.publicKey);
      const target = answeringEndpoint(o);
      if (target === undefined) this.watched.delete(key);
      else this.watched.set(key, { iface: o.peer.iface, publicKey: o.peer.publicKey, ...target });
    }
    this.order = [...this.watched.keys()];
  }

  /** Forgets every peer not in `keys` (gone from the configs). */
  keepOnly(keys: ReadonlySet<string>): void {
    let changed = false;
    for (const key of this.watched.keys())
      if (!keys.has(key)) changed = this.watched.delete(key) || changed;
    if (changed) this.order = [...this.watched.keys()];
  }

  /** The peers whose echo falls in the time since the last tick: their share of the period, in turn. */
  due(now: number): string[] {
    const elapsed = this.lastTick === undefined ? 0 : Math.max(0, now - this.lastTick);
    this.lastTick = now;
    const n = this.order.length;
    if (n === 0) return [];
    this.credit = Math.min(n, this.credit + (n * elapsed) / this.periodMs);
    const count = Math.floor(this.credit);
    this.credit -= count;
    const keys: string[] = [];
    for (let i = 0; i < count; i++) {
      this.next %= n;
      keys.push(this.order[this.next] as string);
      this.next++;
    }
    return keys;
  }

  /**
   * One tick: an echo to each peer due (not one already being asked), a second at once after a
   * miss; `suspect` hears of each peer that missed both. Never waits for the answers.
   */
  tick(pinger: Pinger, echo: EchoPolicy, now: number, suspect: (s: Suspect) => void): void {
    for (const key of this.due(now)) {
      const target = this.watched.get(key);
      if (target === undefined || target.asking) continue;
      target.asking = true;
      void this.ask(pinger, echo, target).then((missed) => {
        target.asking = false;
        // A pass (learn) may have replaced or dropped the peer meanwhile: report only its own.
        if (missed === undefined || this.watched.get(key) !== target) return;
        this.watched.delete(key); // watched again once a pass finds it answering
        this.order = [...this.watched.keys()];
        const reason = `${target.endpoint} stopped answering ping (${missed}) on an idle check`;
        suspect({ iface: target.iface, publicKey: target.publicKey, reason });
      });
    }
  }

  /** Echoes sent since the service started (the soak reports it). */
  get total(): number {
    return this.sent;
  }

  // --- internal ---

  /** Undefined when the endpoint answered one of two echoes; else why the second failed. */
  private async ask(pinger: Pinger, echo: EchoPolicy, t: Watched): Promise<string | undefined> {
    let why = "no answer";
    for (let i = 0; i < 2; i++) {
      this.sent++;
      const answer = await pinger
        .probe(t.candidate, echo)
        .catch((error: unknown) => ({ alive: false, error: String(error) }));
      if (answer.alive) return undefined;
      why = answer.error ?? "no answer";
    }
    return why;
  }
}

/** An early probe result is reused by a pass that starts at most this long after it began. */
export const EARLY_PROBE_REUSE_MS = 5_000;

/**
 * Probes a peer's addresses as soon as its data goes unanswered, while the silence is still being
 * timed, so that the pass a suspect peer gets finds the echoes already answered (or timed out)
 * instead of waiting a probe timeout of its own. A healthy peer's answer ends the silence and the
 * echoes are simply not used. The address that answered the peer's last pass, whose round trip
 * is known, gets a deadline of a few round trips (rttDeadlinePolicy): with its data unanswered,
 * its silence is the verdict the pass waits for.
 *
 * The pass sees the results through `wrap()` (EchoesAhead, probe/echoes-ahead.ts): a Pinger that
 * hands back an early probe of the same address asked for with the same policy, begun within
 * `reuseMs` by the same Pinger, and asks the real one otherwise. (After a reload the old Pinger is
 * closed, and its unfinished echoes end as "probing stopped".)
 */
export class EarlyProbes {
  /** What a pass last taught of each peer, by `iface/publicKey`. */
  private readonly peers = new Map<string, Known>();
  private readonly ahead: EchoesAhead;
  private started = 0;

  constructor(clock: Clock, reuseMs = EARLY_PROBE_REUSE_MS) {
    this.ahead = new EchoesAhead(clock, reuseMs);
  }

  /**
   * Remembers the addresses a pass resolved for a peer (`iface/publicKey`), and the one that
   * answered its echoes, if any, with the round trip (folded in as the silence threshold's is).
   */
  learn(key: string, candidates: readonly Candidate[], answered?: Answered): void {
    const before = this.peers.get(key)?.answered;
    const folded =
      answered !== undefined && before?.address === answered.address
        ? { ...answered, rttMs: learnRtt(before.rttMs, answered.rttMs) }
        : answered;
    this.peers.set(key, { candidates, answered: folded });
  }

  /** Forgets every peer not in `keys` (gone from the configs). */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const key of this.peers.keys()) if (!keys.has(key)) this.peers.delete(key);
  }

  /**
   * Starts echoes to each of the peer's addresses not probed within `reuseMs`, as `policy` (the
   * passes') asks, but within a few round trips for the one that answered; how many started.
   */
  start(key: string, pinger: Pinger, policy: EchoPolicy): number {
    this.ahead.forgetOld();
    const peer = this.peers.get(key);
    let count = 0;
    for (const candidate of peer?.candidates ?? []) {
      if (this.ahead.has(candidate.address)) continue;
      const answered = peer?.answered;
      const known = answered?.address === candidate.address;
      const used = known ? rttDeadlinePolicy(policy, answered.rttMs) : policy;
      this.ahead.begin(pinger, candidate, policy, used);
      count++;
    }
    this.started += count;
    return count;
  }

  /** Addresses probed early since the service started (the soak reports it). */
  get total(): number {
    return this.started;
  }

  /** `inner`, answering from a fresh early probe of the same address asked so, where one exists. */
  wrap(inner: Pinger): Pinger {
    return this.ahead.wrap(inner);
  }
}

/** The peer's live endpoint after a pass, and that pass's probe of it, if it answered ping. */
export function answeringProbe(
  o: PeerOutcome,
): { readonly endpoint: string; readonly probe: ProbeResult } | undefined {
  const endpoint = o.live.endpoint;
  if (endpoint === undefined) return undefined;
  const address = canonicalAddress(addressOf(endpoint));
  const probe = o.probes.find((p) => p.alive && p.address === address);
  return probe === undefined ? undefined : { endpoint, probe };
}

/** An address that answered echoes, and in how long. */
export interface Answered {
  readonly address: string;
  readonly rttMs: number;
}

interface Known {
  readonly candidates: readonly Candidate[];
  readonly answered: Answered | undefined;
}

interface Watched {
  readonly iface: string;
  readonly publicKey: string;
  /** The live endpoint, `addr:port`. */
  readonly endpoint: string;
  readonly candidate: Candidate;
  asking?: boolean;
}

/** The peer's live endpoint after the pass, if the pass saw it answer ping. */
function answeringEndpoint(o: PeerOutcome): Pick<Watched, "endpoint" | "candidate"> | undefined {
  const answering = answeringProbe(o);
  if (answering === undefined) return undefined;
  const { address } = answering.probe;
  const family = literalFamily(address);
  return family === undefined
    ? undefined
    : { endpoint: answering.endpoint, candidate: { address, family } };
}
