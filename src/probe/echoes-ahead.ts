import type { Clock } from "../clock.js";
import type { Candidate, ProbeResult } from "../model.js";
import type { EchoPolicy } from "./echo-session.js";
import type { Pinger } from "./icmp.js";

/**
 * Echoes begun ahead of a pass (the watch service's early probes), which the pass's Pinger hands
 * back instead of sending its own: same address, asked for with the same policy, begun within
 * `reuseMs` by the same Pinger. What an echo was asked for is kept apart from what it used, so
 * one given a shorter deadline still stands for the pass's policy.
 */
export class EchoesAhead {
  private readonly probes = new Map<string, Ahead>();

  constructor(
    private readonly clock: Clock,
    private readonly reuseMs: number,
  ) {}

  /** Whether `address` has echoes begun within `reuseMs` (as of the last forgetOld()). */
  has(address: string): boolean {
    return this.probes.has(address);
  }

  /** Probes `candidate` with `used`, for a pass that asks for `asked`. */
  begin(pinger: Pinger, candidate: Candidate, asked: EchoPolicy, used: EchoPolicy): void {
    const result = pinger.probe(candidate, used);
    // Whoever uses it handles a failure; until then it must not count as unhandled.
    result.catch(() => {});
    this.probes.set(candidate.address, { at: this.clock.now(), pinger, asked, result });
  }

  /** `inner`, answering from fresh echoes begun ahead for the same address and policy. */
  wrap(inner: Pinger): Pinger {
    return {
      probe: (candidate, policy) => {
        this.forgetOld();
        const ahead = this.probes.get(candidate.address);
        if (ahead?.pinger === inner && samePolicy(ahead.asked, policy)) return ahead.result;
        return inner.probe(candidate, policy);
      },
      close: () => inner.close(),
    };
  }

  /** Forgets the echoes begun more than `reuseMs` ago. */
  forgetOld(): void {
    const oldest = this.clock.now() - this.reuseMs;
    for (const [address, ahead] of this.probes) if (ahead.at < oldest) this.probes.delete(address);
  }
}

interface Ahead {
  readonly at: number;
  readonly pinger: Pinger;
  /** The policy it stands for, whatever deadline it was given. */
  readonly asked: EchoPolicy;
  readonly result: Promise<ProbeResult>;
}

function samePolicy(a: EchoPolicy, b: EchoPolicy): boolean {
  return a.count === b.count && a.intervalMs === b.intervalMs && a.timeoutMs === b.timeoutMs;
}
