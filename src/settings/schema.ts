import type { HostPort } from "../model.js";

/** Per-peer overrides, keyed by public key in `peers`. */
export interface PeerSettings {
  readonly family?: "auto" | "ipv4" | "ipv6";
  readonly holdDownSeconds?: number;
  /** The address inside the tunnel that WireGuard checks ping (default: first host of AllowedIPs). */
  readonly verifyAddress?: string;
  /** Leave this peer alone. */
  readonly ignore?: boolean;
  /** Endpoints to try, in order, when no address of the conf's Endpoint carries WireGuard. */
  readonly fallbackEndpoints?: readonly HostPort[];
}

/** Every setting, with its default filled in. */
export interface Settings {
  readonly configDir: string;
  readonly stateDir: string;
  readonly interfaces: readonly string[];
  readonly exclude: readonly string[];
  readonly family: "auto" | "ipv4" | "ipv6";
  readonly handshakeFreshSeconds: number;
  readonly holdDownSeconds: number;
  readonly probe: {
    readonly count: number;
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly concurrency: number;
  };
  readonly dns: { readonly timeoutMs: number; readonly concurrency: number };
  readonly verify: {
    readonly timeoutMs: number;
    readonly failedHoldSeconds: number;
    /** The most addresses of one name that are tried; the rest are named, never tried. */
    readonly maxAddressesPerName: number;
    /** The most WireGuard verifications of one peer in one pass. */
    readonly maxTriesPerPass: number;
  };
  /** Watch mode: full passes every `intervalSeconds`; counters read every `pollMs`. */
  readonly watch: {
    readonly intervalSeconds: number;
    readonly pollMs: number;
    /** Data sent this long ago with nothing received since makes a peer suspect. */
    readonly silenceMs: number;
    /** A name is re-resolved when its DNS TTL runs out, but never sooner than this (TTL 0 too). */
    readonly ttlFloorSeconds: number;
  };
  /** Prometheus: a textfile for node_exporter written every pass; an address `watch` serves. */
  readonly metrics: {
    readonly textfile?: string;
    /** The textfile's mode, in octal ("0644"): "0640" with a setgid folder keeps it to a group. */
    readonly textfileMode: string;
    readonly listen?: string;
  };
  readonly peers: Readonly<Record<string, PeerSettings>>;
  /** Where interfaces are described: wg-quick files in configDir, networkd and NetworkManager files. */
  readonly sources: {
    readonly wgQuick: boolean;
    readonly networkd: boolean;
    readonly networkManager: boolean;
    /** networkd's search path, highest precedence first. */
    readonly networkdDirs: readonly string[];
    /** NetworkManager's keyfile folders, highest precedence first. */
    readonly networkManagerDirs: readonly string[];
  };
}

/** systemd-networkd's search path, highest precedence first (systemd.netdev(5)). */
export const NETWORKD_DIRS: readonly string[] = [
  "/etc/systemd/network",
  "/run/systemd/network",
  "/usr/local/lib/systemd/network",
  "/usr/lib/systemd/network",
];

/** NetworkManager's keyfile folders, highest precedence first (/run shadows /etc). */
export const NETWORK_MANAGER_DIRS: readonly string[] = [
  "/run/NetworkManager/system-connections",
  "/etc/NetworkManager/system-connections",
];

/** The defaults; README's settings table mirrors this. */
export const DEFAULTS: Settings = {
  configDir: "/etc/wireguard",
  stateDir: "/var/lib/wg-endpoint-manager",
  interfaces: [],
  exclude: [],
  family: "auto",
  handshakeFreshSeconds: 135,
  holdDownSeconds: 300,
  // Three echoes 200 ms apart, all answered within 1 s: a dead address costs about one second.
  probe: { count: 3, intervalMs: 200, timeoutMs: 1000, concurrency: 10000 },
  dns: { timeoutMs: 5000, concurrency: 64 },
  // A peer answers any data packet within 10 s (passive keepalive), so 11 s is a fair wait.
  // Four verifications (44 s at most) keep a pass where nothing works inside the cron minute.
  verify: { timeoutMs: 11000, failedHoldSeconds: 600, maxAddressesPerName: 8, maxTriesPerPass: 4 },
  // Silence: at least 1 s, and 8 round trips of the peer (detect/detector.ts).
  watch: { intervalSeconds: 60, pollMs: 500, silenceMs: 1000, ttlFloorSeconds: 5 },
  metrics: { textfileMode: "0644" },
  peers: {},
  sources: {
    wgQuick: true,
    networkd: true,
    networkManager: true,
    networkdDirs: NETWORKD_DIRS,
    networkManagerDirs: NETWORK_MANAGER_DIRS,
  },
};
