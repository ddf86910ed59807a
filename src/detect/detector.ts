import type { LivePeer } from "../model.js";
import { ASSUMED_RTT_MS, RTT_FACTOR } from "../probe/echo-deadline.js";
import { type InterfaceCounters, InterfaceStalls } from "./interface-stalls.js";

/** How quickly to call a tunnel suspect. */
export interface DetectorPolicy {
  /**
   * Data sent this long ago with nothing received since: suspect. The least such silence: a peer
   * whose round-trip time is known waits for several of them (silenceThresholdMs, below).
   */
  readonly silenceMs: number;
  /** A handshake older than this, while data is being sent: suspect. */
  readonly handshakeStaleSeconds: number;
}

/** One peer of one interface. */
export interface PeerRef {
  readonly iface: string;
  readonly publicKey: string;
}

/** What one snapshot showed: the peers that became suspect, and those whose data just went unanswered. */
export interface Observation {
  readonly suspects: Suspect[];
  /** Data went unanswered for the first time in this snapshot: probe them early. */
  readonly newlySilent: PeerRef[];
}

/** A peer that looks broken, and why. */
export interface Suspect {
  readonly iface: string;
  readonly publicKey: string;
  readonly reason: string;
  /**
   * Set when only the interface's counters point at this peer: the host also hands a tunnel
   * packets no peer takes (IPv6 router solicitations, MLD), so confirm with an echo first.
   */
  readonly endpoint?: string;
}

/**
 * Watches the transfer counters of `wg show all dump` and names peers whose tunnel looks broken:
 * data went out and nothing came back for several round trips (`learnRtt`, at least `silenceMs`),
 * or data goes out on a stale handshake.
 * Pure bookkeeping, no I/O: feed it snapshots, it returns suspects.
 *
 * Each interface is watched too (InterfaceStalls, interface-stalls.ts): when the host hands it packets and
 * WireGuard sends nothing, its managed peers with an endpoint are suspect (to be confirmed), once,
 * until WireGuard sends again.
 *
 * NOTE: a peer with PersistentKeepalive sends keepalives that are never answered, so tx growing
 * alone is no failure. A keepalive adds exactly 32 bytes to the transfer counter (a header and
 * a tag, no payload); any data packet adds at least 64, so growth of 0 or 32 bytes in a poll is
 * not "data".
 */
export class Detector {
  private readonly peers = new Map<string, Track>();
  private readonly interfaces: InterfaceStalls;
  /** Round-trip times learned from echoes, by `iface/publicKey`; kept across reset(). */
  private readonly rtts = new Map<string, number>();
  private skippedPolls = 0;

  constructor(private policy: DetectorPolicy) {
    this.interfaces = new InterfaceStalls(() => this.policy.silenceMs);
  }

  /** Judges the next snapshots by `policy` (settings reloaded); what was learned is kept. */
  configure(policy: DetectorPolicy): void {
    this.policy = policy;
  }

  /**
   * Takes one snapshot of the managed peers (and, where readable, their interfaces' counters);
   * returns the peers that became suspect with it, and those that just went silent.
   */
  observe(
    snapshot: ReadonlyMap<string, readonly LivePeer[]>,
    nowMs: number,
    counters: ReadonlyMap<string, InterfaceCounters> = new Map(),
  ): Observation {
    const suspects: Suspect[] = [];
    const newlySilent: PeerRef[] = [];
    const seen = new Set<string>();
    for (const [iface, peers] of snapshot) {
      const stalled = this.interfaces.observe(iface, counters.get(iface), nowMs);
      for (const live of peers) {
        const key = `${iface}/${live.publicKey}`;
        seen.add(key);
        const own = this.update(key, live, nowMs, iface, newlySilent);
        const { publicKey, endpoint } = live;
        if (own !== undefined) suspects.push({ iface, publicKey, reason: own });
        else if (stalled !== undefined && endpoint !== undefined)
          suspects.push({ iface, publicKey, reason: stalled, endpoint });
      }
    }
    for (const key of this.peers.keys()) if (!seen.has(key)) this.peers.delete(key);
    for (const key of this.rtts.keys()) if (!seen.has(key)) this.rtts.delete(key);
    this.interfaces.keepOnly(new Set(snapshot.keys()));
    this.skippedPolls = 0;
    return { suspects, newlySilent };
  }

  /** Whether a silence is being timed: polls must go on even if nothing moves. */
  timing(): boolean {
    const open = (t: { reported: boolean }, since: number | undefined) =>
      since !== undefined && !t.reported;
    return (
      [...this.peers.values()].some((t) => open(t, t.unansweredSince)) || this.interfaces.timing()
    );
  }

  /**
   * A poll without a snapshot: the host handed the tunnels nothing since the last one, so no
   * data went out. Silence is counted from now, and the keepalives that may have gone out in the
   * gap (one per poll at most) are allowed for in the next snapshot.
   */
  skipped(nowMs: number): void {
    for (const track of this.peers.values()) track.polledAt = nowMs;
    this.interfaces.skipped(nowMs);
    this.skippedPolls++;
  }

  /** Folds an echo's round trip to the peer's endpoint into the peer's silence threshold. */
  learnRtt(iface: string, publicKey: string, rttMs: number): void {
    const key = `${iface}/${publicKey}`;
    this.rtts.set(key, learnRtt(this.rtts.get(key), rttMs));
  }

  /** The silence that makes this peer suspect now, in ms. */
  thresholdMs(iface: string, publicKey: string): number {
    return silenceThresholdMs(this.policy.silenceMs, this.rtts.get(`${iface}/${publicKey}`));
  }

  /** Forgets a peer's history, e.g. after it was reconciled, so it is judged afresh. */
  reset(iface: string, publicKey: string): void {
    this.peers.delete(`${iface}/${publicKey}`);
  }

  // --- internal ---

  private update(
    key: string,
    live: LivePeer,
    nowMs: number,
    iface: string,
    newlySilent: PeerRef[],
  ): string | undefined {
    const previous = this.peers.get(key);
    const track: Track = previous ?? {
      rx: live.rxBytes,
      tx: live.txBytes,
      polledAt: nowMs,
      unansweredSince: undefined,
      reported: false,
    };
    // Keepalives are 32 bytes, at most one per poll, skipped polls included.
    const sent = live.txBytes - track.tx - KEEPALIVE_BYTES * this.skippedPolls;
    const received = live.rxBytes > track.rx;
    track.rx = live.rxBytes;
    track.tx = live.txBytes;
    if (received) {
      track.unansweredSince = undefined;
      track.reported = false;
    } else if (sent > KEEPALIVE_BYTES && track.unansweredSince === undefined) {
      // The data left some time after the previous poll: count the silence from there.
      track.unansweredSince = track.polledAt;
      if (previous !== undefined) newlySilent.push({ iface, publicKey: live.publicKey });
    }
    track.polledAt = nowMs;
    this.peers.set(key, track);
    if (previous === undefined || track.reported) return undefined;
    const reason = this.reason(track, live, nowMs, sent, this.thresholdMs(iface, live.publicKey));
    if (reason !== undefined) track.reported = true;
    return reason;
  }

  private reason(
    track: Track,
    live: LivePeer,
    nowMs: number,
    sent: number,
    silenceMs: number,
  ): string | undefined {
    if (track.unansweredSince !== undefined && nowMs - track.unansweredSince >= silenceMs) {
      return `sent data ${Math.round((nowMs - track.unansweredSince) / 1000)} s ago and received nothing since`;
    }
    const age =
      live.latestHandshake > 0 ? nowMs / 1000 - live.latestHandshake : Number.POSITIVE_INFINITY;
    if (sent > KEEPALIVE_BYTES && age > this.policy.handshakeStaleSeconds) {
      return live.latestHandshake > 0
        ? `sending data on a handshake ${Math.round(age)} s old`
        : "sending data but no handshake ever";
    }
    return undefined;
  }
}

/** A keepalive on the wire count: header and tag, no payload. */
const KEEPALIVE_BYTES = 32;

interface Track {
  rx: number;
  tx: number;
  polledAt: number;
  unansweredSince: number | undefined;
  reported: boolean;
}

/**
 * The silence (data out, nothing back) that makes a peer suspect: `RTT_FACTOR` round trips, and
 * never less than `floorMs` (watch.silenceMs), which covers the poll's precision and bursts of
 * scheduling delay on a busy host. A peer whose endpoint never answered an echo (firewalled
 * ICMP) is taken as a slow path: 2 s (`ASSUMED_RTT_MS`).
 */
export function silenceThresholdMs(floorMs: number, rttMs: number | undefined): number {
  return Math.max(floorMs, Math.ceil(RTT_FACTOR * (rttMs ?? ASSUMED_RTT_MS)));
}

/**
 * Folds one echo round trip into what is known of a peer: a slower sample counts at once, a
 * faster one only halves the old estimate, so one lucky echo does not make the service jumpy.
 */
export function learnRtt(previousMs: number | undefined, sampleMs: number): number {
  if (previousMs === undefined) return sampleMs;
  return Math.max(sampleMs, previousMs / 2);
}
