import type { Candidate, ProbeResult } from "../model.js";
import { forEachBounded } from "../util/bounded.js";
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

/**
 * Probes every distinct address at once (up to `concurrency` in flight), so a pass costs about
 * one timeout whatever the number of dead addresses. If raw sockets cannot be opened the whole
 * batch is probed again with `fallback` (the system `ping`), and the reason is reported once.
 */
export async function probeAll(
  candidates: readonly Candidate[],
  policy: ProbePolicy,
  pinger: Pinger,
  fallback: () => Pinger,
): Promise<Probes> {
  const unique = [...new Map(candidates.map((c) => [c.address, c])).values()];
  try {
    return { results: await run(unique, policy, pinger, policy.concurrency) };
  } catch (error) {
    if (!(error instanceof RawSocketError)) throw error;
    const backup = fallback();
    try {
      // Each fallback probe is a process: keep far fewer of them in flight.
      const results = await run(unique, policy, backup, Math.min(policy.concurrency, 32));
      return {
        results,
        fallbackReason: `${error.message}; using the system ping instead (slower)`,
      };
    } finally {
      backup.close();
    }
  }
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
