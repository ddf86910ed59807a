/** How long a name's answer may be trusted before it is asked again, in milliseconds. */
export interface TtlBounds {
  /** Never sooner than this, even for a TTL of 0 (setting `watch.ttlFloorSeconds`). */
  readonly floorMs: number;
  /** Never later than this: the full-pass interval, which re-resolves everything anyway. */
  readonly ceilingMs: number;
  /** Up to this fraction of the delay is added (or, at the ceiling, taken off) at random. */
  readonly jitter: number;
}

/**
 * When each hostname is next re-resolved: when its TTL runs out, within the bounds. Pure: the
 * time is given, the randomness injected. A name being resolved is not handed out again until
 * done() is called for it, so at most one re-resolution per name is ever under way.
 */
export class TtlSchedule {
  private readonly due = new Map<string, number>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly bounds: TtlBounds,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Follows exactly `names`; gone ones are dropped. New ones are first asked after the floor: the
   * pass that a new name comes with resolves it anyway, and their TTL is not known yet.
   */
  track(names: Iterable<string>, nowMs: number): void {
    const wanted = new Set(names);
    for (const name of [...this.due.keys()]) if (!wanted.has(name)) this.due.delete(name);
    for (const name of [...this.busy]) if (!wanted.has(name)) this.busy.delete(name);
    const first = nowMs + Math.min(this.bounds.floorMs, this.bounds.ceilingMs);
    for (const name of wanted)
      if (!this.due.has(name) && !this.busy.has(name)) this.due.set(name, first);
  }

  /** The names whose time has come, earliest first; they are busy until done(). */
  take(nowMs: number): string[] {
    const ready = [...this.due].filter(([, at]) => at <= nowMs).sort((a, b) => a[1] - b[1]);
    for (const [name] of ready) {
      this.due.delete(name);
      this.busy.add(name);
    }
    return ready.map(([name]) => name);
  }

  /**
   * `name` was re-resolved; `ttlSeconds` is its record's TTL, or undefined when none can be
   * trusted (then the ceiling). Returns when it is due next; nothing if it is no longer followed.
   */
  done(name: string, ttlSeconds: number | undefined, nowMs: number): number | undefined {
    if (!this.busy.delete(name)) return undefined;
    const at = nowMs + delayFor(ttlSeconds, this.bounds, this.random);
    this.due.set(name, at);
    return at;
  }

  /** When the next name falls due; undefined when none is waiting. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const at of this.due.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** How many names are followed (waiting or busy). */
  get size(): number {
    return this.due.size + this.busy.size;
  }
}

/**
 * The wait before asking again: the TTL between floor and ceiling, plus jitter so that many names
 * with one TTL spread out. At the ceiling the jitter is taken off instead, never below the floor.
 */
export function delayFor(
  ttlSeconds: number | undefined,
  bounds: TtlBounds,
  random: () => number,
): number {
  const ceiling = bounds.ceilingMs;
  const floor = Math.min(bounds.floorMs, ceiling);
  const base =
    ttlSeconds === undefined ? ceiling : Math.min(ceiling, Math.max(floor, ttlSeconds * 1000));
  const spread = Math.round(base * bounds.jitter * random());
  const delay = base + spread <= ceiling ? base + spread : base - spread;
  return Math.max(floor, delay);
}
