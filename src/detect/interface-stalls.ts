/** One interface's counters beside its peers': what the host offered, what WireGuard sent. */
export interface InterfaceCounters {
  /** Packets the host handed to the interface (see observe/netdev.ts). */
  readonly offered: number;
  /** Bytes sent to all peers of the interface, managed or not. */
  readonly txBytes: number;
}

/**
 * A send that fails locally (IPv6 route gone, a firewall's EPERM) moves no peer's counter at all,
 * so each interface is watched too: the host keeps handing it packets and WireGuard sends nothing
 * to any peer for `silenceMs`. Pure bookkeeping for the Detector.
 */
export class InterfaceStalls {
  private readonly tracks = new Map<string, InterfaceTrack>();

  /** `silenceMs()`: the least stall that counts, read at each snapshot (settings reload). */
  constructor(private readonly silenceMs: () => number) {}

  /** The reason to suspect every peer of `iface`, on the poll the stall is first long enough. */
  observe(iface: string, now: InterfaceCounters | undefined, nowMs: number): string | undefined {
    if (now === undefined) return undefined;
    const track = this.tracks.get(iface);
    this.tracks.set(iface, {
      ...now,
      offered: offeredMark(track?.offered, now.offered),
      polledAt: nowMs,
      stalledSince: track?.stalledSince,
      reported: track?.reported ?? false,
    });
    const next = this.tracks.get(iface) as InterfaceTrack;
    if (track === undefined) return undefined;
    if (now.txBytes > track.txBytes) {
      next.stalledSince = undefined;
      next.reported = false;
      return undefined;
    }
    if (now.offered > track.offered && track.stalledSince === undefined)
      next.stalledSince = track.polledAt;
    if (next.reported || next.stalledSince === undefined) return undefined;
    const silentMs = nowMs - next.stalledSince;
    if (silentMs < this.silenceMs()) return undefined;
    next.reported = true;
    return `the host sends into ${iface} but WireGuard has sent nothing for ${Math.round(silentMs / 1000)} s (sending fails locally?)`;
  }

  /** Whether a stall is being timed. */
  timing(): boolean {
    return [...this.tracks.values()].some((t) => t.stalledSince !== undefined && !t.reported);
  }

  /** A poll without a snapshot: nothing was offered since the last one. */
  skipped(nowMs: number): void {
    for (const track of this.tracks.values()) track.polledAt = nowMs;
  }

  /** Forgets the interfaces no longer in the snapshots. */
  keepOnly(ifaces: ReadonlySet<string>): void {
    for (const iface of this.tracks.keys()) if (!ifaces.has(iface)) this.tracks.delete(iface);
  }
}

// --- internal ---

/** Packets the host may hand the interface while wireguard-go has yet to read them. */
const IN_FLIGHT_PACKETS = 16;

/**
 * The highest `offered` seen, unless the counters fell further than packets in flight (the
 * interface was made again). NOTE: the kernel counts a multicast packet (a router
 * solicitation) when the host sends it, and the tun device only when wireguard-go reads it, so
 * a poll in between sees `offered` one lower, and the next one "growth" that WireGuard never
 * sends: a healthy idle tunnel looked stalled.
 */
function offeredMark(mark: number | undefined, offered: number): number {
  if (mark === undefined || offered >= mark) return offered;
  return mark - offered <= IN_FLIGHT_PACKETS ? mark : offered;
}

interface InterfaceTrack extends InterfaceCounters {
  polledAt: number;
  stalledSince: number | undefined;
  reported: boolean;
}
