import type { Candidate, ProbeResult } from "../model.js";
import { forEachBounded, limiter } from "../util/bounded.js";
import { type EchoPolicy, type Pinger, RawSocketError } from "./icmp.js";

/** The probe settings of a pass. */
export interface ProbePolicy extends EchoPolicy {
  /** Addresses probed at once. */
  readonly concurrency: number;
}

/** ICMP results by address, and a note if the pass had to fall back to the system `ping`. */
export interface Probes {
  readonly results: ReadonlyMap<string, ProbeResult>;
  readonly fallbackReason?: string;
}

/** Probes handed in as DNS answers arrive; `finish()` waits for all of them. */
export interface ProbeBatch {
  add(candidates: readonly Candidate[]): void;
  finish(): Promise<Probes>;
}

/**
 * Probes every distinct address at once (up to `concurrency` in flight), each as soon as it is
 * added, so a pass costs about one timeout whatever the number of dead addresses, and DNS and
 * ICMP overlap. If raw sockets cannot be opened, every address is probed again with `fallback`
 * (the system `ping`), and the reason is reported once.
 */
export function startProbing(
  policy: ProbePolicy,
  pinger: Pinger,
  fallback: () => Pinger,
): ProbeBatch {
  const added = new Map<string, Candidate>();
  const results = new Map<string, ProbeResult>();
  const inFlight: Promise<void>[] = [];
  const gate = limiter(policy.concurrency);
  let rawFailure: RawSocketError | undefined;
  // Kept, not thrown: a rejection nobody awaits until finish() would crash the process.
  let bug: { error: unknown } | undefined;
  const probe = async (candidate: Candidate) => {
    if (rawFailure !== undefined || bug !== undefined) return;
    try {
      results.set(candidate.address, await gate(() => pinger.probe(candidate, policy)));
    } catch (error) {
      if (error instanceof RawSocketError) rawFailure ??= error;
      else bug ??= { error };
    }
  };
  return {
    add(candidates) {
      for (const c of candidates) {
        if (added.has(c.address)) continue;
        added.set(c.address, c);
        inFlight.push(probe(c));
      }
    },
    async finish() {
      await Promise.all(inFlight);
      if (bug !== undefined) throw bug.error;
      if (rawFailure === undefined) return { results };
      const backup = fallback();
      try {
        // Each fallback probe is a process: keep far fewer of them in flight.
        const limit = Math.min(policy.concurrency, 32);
        return {
          results: await run([...added.values()], policy, backup, limit),
          fallbackReason: `${rawFailure.message}; using the system ping instead (slower)`,
        };
      } finally {
        backup.close();
      }
    },
  };
}

/** Probes a fixed list of candidates (see startProbing). */
export function probeAll(
  candidates: readonly Candidate[],
  policy: ProbePolicy,
  pinger: Pinger,
  fallback: () => Pinger,
): Promise<Probes> {
  const batch = startProbing(policy, pinger, fallback);
  batch.add(candidates);
  return batch.finish();
}

// --- internal ---

async function run(
  candidates: readonly Candidate[],
  policy: EchoPolicy,
  pinger: Pinger,
  concurrency: number,
): Promise<Map<string, ProbeResult>> {
  const results = new Map<string, ProbeResult>();
  await forEachBounded(candidates, concurrency, async (c) => {
    results.set(c.address, await pinger.probe(c, policy));
  });
  return results;
}
