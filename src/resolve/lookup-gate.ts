/**
 * getaddrinfo runs on libuv's thread pool and cannot be cancelled: a lookup that timed out keeps
 * its thread until the resolver gives up, and lookups queued behind it keep the process alive
 * (node finishes queued thread-pool work before it exits) and delay file I/O, which shares the
 * pool. The gate lets at most `limit` lookups run, counting those whose caller stopped waiting;
 * a name that gets no turn before its deadline fails at its deadline, without being queued.
 */
export interface LookupGate {
  /**
   * Runs `lookup` once a turn is free; resolves with its answer, or undefined after `timeoutMs`
   * (then a lookup still waiting for its turn is never run; one running keeps its turn until it ends).
   */
  run<T>(lookup: () => Promise<T>, timeoutMs: number): Promise<T | undefined>;
  /** Lookups started and not yet finished (including those nobody waits for any more). */
  readonly running: number;
}

/** A gate of `limit` turns. */
export function lookupGate(limit: number): LookupGate {
  let running = 0;
  const waiting = new Set<() => void>();
  const next = () => {
    for (const start of waiting) {
      if (running >= limit) return;
      waiting.delete(start);
      start();
    }
  };
  return {
    get running() {
      return running;
    },
    run<T>(lookup: () => Promise<T>, timeoutMs: number): Promise<T | undefined> {
      return new Promise((resolve) => {
        const start = () => {
          running++;
          // A lookup that throws at once must still give its turn back.
          Promise.resolve()
            .then(lookup)
            .then(resolve, () => resolve(undefined))
            .finally(() => {
              clearTimeout(timer);
              running--;
              next();
            });
        };
        const timer = setTimeout(() => {
          waiting.delete(start);
          resolve(undefined);
        }, timeoutMs);
        if (running < limit) start();
        else waiting.add(start);
      });
    },
  };
}

/**
 * Lookups the process lets run at once: its thread pool (UV_THREADPOOL_SIZE, 4 by default; the
 * command sizes it from the number of names, cli/thread-pool.ts) less an eighth of it, at least
 * one thread, kept free for file I/O: 28 of 32, 3 of 4.
 */
export function lookupLimit(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number.parseInt(env["UV_THREADPOOL_SIZE"] ?? "4", 10);
  const pool = Number.isInteger(given) && given >= 2 ? given : 4;
  return pool - Math.max(1, Math.floor(pool / 8));
}
