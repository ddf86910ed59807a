import type { Candidate, ProbeResult } from "../model.js";
import { forEachBounded } from "../util/bounded.js";
import { collectGarbageNow } from "../util/full-gc.js";
import { keepYoungGenerationSmall } from "../util/young-generation.js";
import type { EchoPolicy } from "./echo-session.js";
import { type Pinger, RawSocketError } from "./icmp.js";

/** The probe settings of a pass. */
export interface ProbePolicy extends EchoPolicy {
  /** Addresses probed at once. */
  readonly concurrency: number;
}

/** ICMP results by address, and a note if the pass had to fall back to the system `ping`. */
export interface Probes {
  readonly results: ReadonlyMap<string, ProbeResult>;
  readonly systemPingReason?: string;
}

/** Probes handed in as DNS answers arrive; `finish()` waits for all of them. */
export interface ProbeBatch {
  add(candidates: readonly Candidate[]): void;
  finish(): Promise<Probes>;
}

/**
 * Probes every distinct address at once (up to `concurrency` in flight), each as soon as it is
 * added, so a pass costs about one timeout whatever the number of dead addresses, and DNS and
 * ICMP overlap. If raw sockets cannot be opened, every address is probed again with `systemPing`
 * (the system `ping`), and the reason is reported once. Per address it keeps the candidate and
 * the result: no async function, closure or promise of its own (2,000 peers have 8,000).
 */
export function startProbing(
  policy: ProbePolicy,
  pinger: Pinger,
  systemPing: () => Pinger,
): ProbeBatch {
  const added = new Map<string, Candidate>();
  const results = new Map<string, ProbeResult>();
  const waiting: Candidate[] = [];
  let next = 0;
  let running = 0;
  let idle: (() => void) | undefined;
  let rawFailure: RawSocketError | undefined;
  // Kept, not thrown: a rejection nobody awaits until finish() would crash the process.
  let bug: { error: unknown } | undefined;
  const ended = () => {
    running--;
    startWaiting();
    if (running === 0) idle?.();
  };
  const onResult = (result: ProbeResult) => {
    results.set(result.address, result);
    ended();
  };
  const onError = (error: unknown) => {
    if (error instanceof RawSocketError) rawFailure ??= error;
    else bug ??= { error };
    ended();
  };
  const startWaiting = () => {
    while (running < Math.max(1, policy.concurrency) && next < waiting.length) {
      const candidate = waiting[next++] as Candidate;
      if (rawFailure !== undefined || bug !== undefined) continue;
      running++;
      try {
        if (pinger.start) pinger.start(candidate, policy, onResult);
        else pinger.probe(candidate, policy).then(onResult, onError);
      } catch (error) {
        onError(error);
      }
    }
    if (next === waiting.length) {
      waiting.length = 0;
      next = 0;
    }
  };
  return {
    add(candidates) {
      for (const c of candidates) {
        if (added.has(c.address)) continue;
        added.set(c.address, c);
        waiting.push(c);
      }
      // NOTE(perf): memory only; a small pass does not need it.
      if (added.size >= BIG_PASS_ADDRESSES) keepYoungGenerationSmall();
      startWaiting();
    },
    async finish() {
      if (running > 0) await new Promise<void>((resolve) => (idle = resolve));
      // NOTE(perf): every probe record and net-ping request is garbage now: see collectGarbageNow.
      if (added.size >= BIG_PASS_ADDRESSES) collectGarbageNow();
      if (bug !== undefined) throw bug.error;
      if (rawFailure === undefined) return { results };
      const backup = systemPing();
      try {
        // Each system ping is a process: keep far fewer of them in flight.
        const limit = Math.min(policy.concurrency, 32);
        return {
          results: await run([...added.values()], policy, backup, limit),
          systemPingReason: `${rawFailure.message}; using the system ping instead (slower)`,
        };
      } finally {
        backup.close();
      }
    },
  };
}

/** From this many addresses on, a pass is big enough to keep the heap small (see util/). */
const BIG_PASS_ADDRESSES = 400;

/** Probes a fixed list of candidates (see startProbing). */
export function probeAll(
  candidates: readonly Candidate[],
  policy: ProbePolicy,
  pinger: Pinger,
  systemPing: () => Pinger,
): Promise<Probes> {
  const batch = startProbing(policy, pinger, systemPing);
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
