import type { Clock } from "../clock.js";
import { literalFamily } from "../common/endpoint.js";
import type { InterfaceConfig, Resolution } from "../model.js";
import type { Resolver } from "../resolve/dns.js";
import type { TtlLookup } from "../resolve/ttl.js";
import type { Settings } from "../settings/schema.js";
import { peerKey } from "../state/state.js";
import { forEachBounded } from "../util/bounded.js";
import type { Log } from "./log.js";
import { delayFor, type TtlBounds, TtlSchedule } from "./ttl-schedule.js";

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
 * Re-resolves every Endpoint hostname when its TTL runs out (ttl-schedule.ts decides when), and
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
    await forEachBounded(due, this.deps.concurrency, (name) => this.check(name));
  }

  /** Stops the timer and waits for a re-resolution under way; safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
  }

  // --- internal ---

  private async check(name: string): Promise<void> {
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
