import type { Clock } from "../clock.js";
import { literalFamily } from "../common/endpoint.js";
import type { InterfaceConfig, Resolution } from "../model.js";
import { peerKey } from "../model.js";
import type { Log } from "../report/log.js";
import type { Resolver } from "../resolve/dns.js";
import type { TtlLookup } from "../resolve/ttl.js";
import type { Settings } from "../settings/schema.js";
import { forEachBounded } from "../util/bounded.js";

/** What following the TTLs needs; `changed` is told the peers of a name whose addresses changed. */
export interface TtlWatchDeps {
  readonly clock: Clock;
  /** getaddrinfo: the authority for the address set (resolve/dns.ts). */
  readonly resolve: Resolver;
  readonly ttl: TtlLookup;
  readonly concurrency: number;
  readonly changed: (hostname: string, keys: ReadonlySet<string>, addresses: string) => void;
  /** A name's TTL was learned or changed (undefined: none can be trusted); for the log. */
  readonly ttlSeen: (hostname: string, ttlSeconds: number | undefined) => void;
}

/**
 * Re-resolves every Endpoint hostname when its TTL runs out (TtlSchedule, below, decides when), and
 * reports a name whose address set changed, so that its peers get a pass at once even when their
 * tunnels are idle and no counter would ever move.
 */
export class TtlWatch {
  private readonly schedule: TtlSchedule;
  /** Each name's address set at its last successful resolution ("a,b", sorted). */
  private readonly known = new Map<string, string>();
  /** Each name's TTL at its last re-resolution (undefined: none to trust). */
  private readonly ttls = new Map<string, number | undefined>();
  /** The peers (by `iface/publicKey`) of each name. */
  private peers = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    bounds: TtlBounds,
    private readonly deps: TtlWatchDeps,
    random: () => number = Math.random,
  ) {
    this.schedule = new TtlSchedule(bounds, random);
  }

  /** Follows the hostnames of these configs from now on (new names are resolved at once). */
  follow(configs: readonly InterfaceConfig[]): void {
    this.peers = peersByName(configs);
    this.schedule.track(this.peers.keys(), this.deps.clock.now());
    for (const name of [...this.known.keys()]) if (!this.peers.has(name)) this.known.delete(name);
    for (const name of [...this.ttls.keys()]) if (!this.peers.has(name)) this.ttls.delete(name);
    this.arm();
  }

  /** What a pass resolved for a name: the set later answers are compared with. */
  saw(name: string, resolution: Resolution): void {
    if (resolution.ok && this.peers.has(name)) this.known.set(name, addressSet(resolution));
  }

  /** Re-resolves the names that are due (the timer's body; tests call it directly). */
  async tick(): Promise<void> {
    const due = this.schedule.take(this.deps.clock.now());
    await forEachBounded(due, this.deps.concurrency, (name) => this.reresolve(name));
  }

  /** Stops the timer and waits for a re-resolution under way; safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
  }

  // --- internal ---

  private async reresolve(name: string): Promise<void> {
    let ttl: number | undefined;
    try {
      const resolution = await this.deps.resolve(name);
      if (!resolution.ok) return; // kept as it was; asked again at the ceiling
      ttl = await this.deps.ttl(name, resolution.candidates).catch(() => undefined);
      if (!this.ttls.has(name) || this.ttls.get(name) !== ttl) this.deps.ttlSeen(name, ttl);
      this.ttls.set(name, ttl);
      const addresses = addressSet(resolution);
      const before = this.known.get(name);
      this.known.set(name, addresses);
      const keys = this.peers.get(name);
      if (before !== undefined && before !== addresses && keys !== undefined)
        this.deps.changed(name, keys, addresses);
    } finally {
      this.schedule.done(name, ttl, this.deps.clock.now());
    }
  }

  private arm(): void {
    if (this.stopped || this.ticking !== undefined) return;
    clearTimeout(this.timer);
    const next = this.schedule.nextDue();
    if (next === undefined) return;
    const wait = Math.max(0, next - this.deps.clock.now());
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        this.arm();
      });
    }, wait);
  }
}

/** The service's TtlWatch for `settings`: logs what it learns, asks for a pass of changed names' peers. */
export function ttlWatchFor(
  settings: Settings,
  deps: Pick<TtlWatchDeps, "clock" | "resolve" | "ttl"> & {
    readonly log: Log;
    readonly requestPass: (keys: ReadonlySet<string>) => void;
  },
): TtlWatch {
  const { watch, dns } = settings;
  const ceilingMs = watch.intervalSeconds * 1000;
  const bounds = { floorMs: watch.ttlFloorSeconds * 1000, ceilingMs, jitter: 0.1 };
  return new TtlWatch(bounds, {
    ...deps,
    concurrency: dns.concurrency,
    changed: (name, keys, addresses) => {
      const text = `${name} now resolves to ${addresses}: reconciling its peers`;
      deps.log.line({ level: "info", text });
      deps.requestPass(keys);
    },
    ttlSeen: (name, ttl) => deps.log.line({ level: "info", text: ttlLine(name, ttl, bounds) }),
  });
}

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

// --- internal ---

/** How often a name is re-resolved, and why. */
function ttlLine(name: string, ttl: number | undefined, bounds: TtlBounds): string {
  const every = Math.round(delayFor(ttl, { ...bounds, jitter: 0 }, () => 0) / 1000);
  const why = ttl === undefined ? "no DNS TTL matches getaddrinfo's answer" : `DNS TTL ${ttl} s`;
  return `${name}: re-resolving every ${every} s (${why})`;
}

/** The peers of each Endpoint hostname (literal addresses need no resolving). */
function peersByName(configs: readonly InterfaceConfig[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const config of configs) {
    for (const peer of config.peers) {
      const host = peer.endpoint?.host;
      if (host === undefined || literalFamily(host) !== undefined) continue;
      const keys = names.get(host) ?? new Set<string>();
      keys.add(peerKey(config.iface, peer.publicKey));
      names.set(host, keys);
    }
  }
  return names;
}

/** A resolution's addresses as one comparable, readable string. */
function addressSet(resolution: Resolution & { ok: true }): string {
  return resolution.candidates
    .map((c) => c.address)
    .sort()
    .join(", ");
}
