import type { Clock } from "../clock.js";
import type { InterfaceConfig } from "../model.js";
import { peerKey } from "../model.js";

/** What a pass covers: everything, or only some peers (by `iface/publicKey`). */
export type Scope =
  | { readonly kind: "all" }
  | { readonly kind: "peers"; readonly keys: ReadonlySet<string> };

/**
 * Every trigger (timer, file change, suspect peer, SIGHUP) feeds requestPass(): one pass runs
 * at a time, requests that arrive meanwhile merge into at most one queued pass, and stop()
 * waits for the running pass, drops the queue and is safe to call twice.
 */
export class Scheduler {
  private running: Promise<void> | undefined;
  private queued: Scope | undefined;
  private stopped = false;

  constructor(
    private readonly pass: (scope: Scope) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  requestPass(scope: Scope): void {
    if (this.stopped) return;
    this.queued = this.queued === undefined ? scope : merge(this.queued, scope);
    if (this.running === undefined) this.running = this.drain();
  }

  /** Resolves when nothing is running or queued. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queued = undefined;
    await this.idle();
  }

  // --- internal ---

  private async drain(): Promise<void> {
    try {
      while (this.queued !== undefined && !this.stopped) {
        const scope = this.queued;
        this.queued = undefined;
        await this.pass(scope).catch(this.onError);
      }
    } finally {
      this.running = undefined;
    }
  }
}

/**
 * Runs `task` on request, one at a time and at most once per `gapMs`: a request that comes while
 * a run is under way, or within `gapMs` of the last run's start, waits for one more run at the
 * end of that gap, and every request until then joins it. A storm of SIGHUPs then costs at most
 * two reloads per gap, however many signals came.
 */
export class Coalesced {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly clock: Clock,
    private readonly gapMs: number,
  ) {}

  /** Runs the task, or joins the run waiting or under way (then one more follows); resolves when done. */
  request(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** No run starts after this; one under way finishes. */
  stop(): void {
    this.stopped = true;
  }

  // --- internal ---

  private async loop(): Promise<void> {
    do {
      const wait = this.lastStart + this.gapMs - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      if (this.stopped) return;
      this.again = false; // the requests made while waiting are this run
      this.lastStart = this.clock.now();
      await this.task();
    } while (this.again && !this.stopped);
  }
}

function merge(a: Scope, b: Scope): Scope {
  if (a.kind === "all" || b.kind === "all") return { kind: "all" };
  return { kind: "peers", keys: new Set([...a.keys, ...b.keys]) };
}

/** The service's timers, stopped together: one that repeats, and a loop that awaits its body. */
export class Timers {
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  /** Calls `fn` every `ms`, until stop() or the returned function is called. */
  every(ms: number, fn: () => void): () => void {
    if (this.stopped) return () => {};
    const timer = setInterval(fn, ms);
    this.timers.push(timer);
    return () => {
      clearInterval(timer);
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Runs `body` `delayMs()` after the previous run ended (or now), until stop(). */
  loop(delayMs: () => number, body: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      this.timers = this.timers.filter((t) => t !== timer);
      await body();
      this.loop(delayMs, body);
    }, delayMs());
    this.timers.push(timer);
  }

  /** Clears every timer; a loop whose body is running ends after it. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}

/** The interfaces, narrowed to the peers a scope names. */
export function inScope(interfaces: readonly InterfaceConfig[], scope: Scope): InterfaceConfig[] {
  if (scope.kind === "all") return [...interfaces];
  return interfaces
    .map((c) => ({
      ...c,
      problems: [],
      peers: c.peers.filter((p) => scope.keys.has(peerKey(c.iface, p.publicKey))),
    }))
    .filter((c) => c.peers.length > 0);
}
