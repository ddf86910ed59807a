import type { Clock } from "../clock.js";
import type { Candidate, ProbeResult } from "../model.js";
import type { EchoPolicy, Pinger } from "../probe/icmp.js";

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
