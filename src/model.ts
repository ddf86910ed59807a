// The nouns of a reconcile pass, shared by every step. Pure data, no behaviour.

/** An IP family. */
export type Family = 4 | 6;

/** Which families this host can send from: IPv6 needs a global (non-link-local) address. */
export interface HostFamilies {
  readonly ipv4: boolean;
  readonly ipv6: boolean;
}

/** `host:port` as written in a config file; host may be a name or a literal address. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Where a problem or a peer was found, for messages an operator can act on. */
export interface Location {
  readonly file: string;
  readonly line?: number;
}

/** `FILE:LINE`, or `FILE` when the line is not known (lines count from 1). */
export function locationText(at: Location): string {
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}

/** A [Peer] section of an interface's config file. */
export interface Peer {
  readonly iface: string;
  readonly publicKey: string;
  readonly endpoint: HostPort | undefined;
  readonly allowedIps: readonly string[];
  readonly at: Location;
  /** Which kind of file the peer was read from; absent means wg-quick. */
  readonly source?: SourceKind;
}

/** A peer whose Endpoint is a hostname, or any Endpoint with fallbacks: the kinds this tool moves. */
export interface ManagedPeer extends Peer {
  readonly endpoint: HostPort;
}

/** A peer a pass leaves alone, and why (shown with --verbose). */
export interface Unmanaged {
  readonly iface: string;
  readonly publicKey: string;
  readonly reason: string;
}

/** Something wrong or noteworthy, tied to a file, interface or peer. Never contains a key secret. */
export interface Problem {
  readonly severity: "error" | "warning";
  readonly kind: "config" | "environment" | "peer";
  readonly message: string;
  readonly at?: Location;
  readonly iface?: string;
  readonly peer?: string;
}

/** Which kind of file describes an interface. */
export type SourceKind = "wg-quick" | "networkd" | "networkmanager";

/** One interface's config file, parsed. */
export interface InterfaceConfig {
  readonly iface: string;
  readonly file: string;
  /** Absent means wg-quick (the original script's one peer, and tests, set none). */
  readonly source?: SourceKind;
  readonly saveConfig: boolean;
  readonly peers: readonly Peer[];
  readonly problems: readonly Problem[];
}

/** A peer as the running interface reports it (`wg show IFACE dump`). */
export interface LivePeer {
  readonly publicKey: string;
  /** Normalised `addr:port` / `[addr]:port`, or undefined for `(none)`. */
  readonly endpoint: string | undefined;
  readonly allowedIps: readonly string[];
  /** Unix seconds; 0 means never. */
  readonly latestHandshake: number;
  readonly rxBytes: number;
  readonly txBytes: number;
}

/** A resolved address that a peer's endpoint could be moved to. */
export interface Candidate {
  readonly address: string;
  readonly family: Family;
}

/** Which configured endpoint a candidate comes from: the conf's Endpoint, or a settings fallback. */
export type EndpointOrigin =
  | { readonly kind: "primary" }
  | {
      readonly kind: "fallback";
      /** 1 for the first entry of `fallbackEndpoints`, as a person counts. */
      readonly number: number;
      /** The entry as `host:port` (`[v6]:port` for an IPv6 literal). */
      readonly endpoint: string;
    };

/** An address and port a peer's endpoint could be set to, and the configured endpoint it came from. */
export interface CandidateEndpoint extends Candidate {
  readonly port: number;
  readonly origin: EndpointOrigin;
}

/** A fallback endpoint from the settings, and what resolving it gave (literals need no DNS). */
export interface FallbackResolution {
  readonly endpoint: HostPort;
  readonly resolution: Resolution;
}

/** What ICMP said about one address. */
export interface ProbeResult {
  readonly address: string;
  readonly alive: boolean;
  readonly rttMs?: number;
  /** Why it counts as dead: "timeout", "host unreachable", a socket error. */
  readonly error?: string;
}

/** What resolving a peer's hostname gave. */
export type Resolution =
  | { readonly ok: true; readonly candidates: readonly Candidate[] }
  | { readonly ok: false; readonly error: string };

/** The key of a peer in the state file and in watch mode's sets: `iface/publicKey`. */
export function peerKey(iface: string, publicKey: string): string {
  return `${iface}/${publicKey}`;
}

/** The interface and public key of a peerKey(); an interface name never holds a "/". */
export function parsePeerKey(key: string): { iface: string; publicKey: string } {
  const slash = key.indexOf("/");
  return { iface: key.slice(0, slash), publicKey: key.slice(slash + 1) };
}
