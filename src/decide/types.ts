import type {
  CandidateEndpoint,
  FallbackResolution,
  Family,
  HostFamilies,
  LivePeer,
  ManagedPeer,
  ProbeResult,
  Resolution,
} from "../model.js";

/** Everything decide() may look at for one peer: observed facts only, no I/O. */
export interface PeerObservation {
  readonly peer: ManagedPeer;
  readonly live: LivePeer;
  /** The endpoint the peer had when the pass began, to restore if every move fails. */
  readonly original: string | undefined;
  readonly resolution: Resolution;
  /** The peer's fallback endpoints (settings), in order, each with its own addresses. */
  readonly fallbacks?: readonly FallbackResolution[] | undefined;
  readonly probes: ReadonlyMap<string, ProbeResult>;
  /** Families this host can send from: IPv6 needs a global (non-link-local) address. */
  readonly host: HostFamilies;
  /** WireGuard-level verdicts from this pass, by normalised endpoint. */
  readonly wireguard: ReadonlyMap<string, boolean>;
  /** Why the tunnel looks broken from its counters (watch mode), if it does. */
  readonly suspect?: string | undefined;
}

/** The knobs of the policy. */
export interface DecisionPolicy {
  readonly family: "auto" | "ipv4" | "ipv6";
  /** A handshake younger than this counts as recent (wireguard-tools uses 135 s). */
  readonly handshakeFreshSeconds: number;
  /** How long the preferred family must answer before a working tunnel goes back to it. */
  readonly holdDownSeconds: number;
  /** Whether WireGuard-level checks can run (not in --dry-run). */
  readonly canVerify: boolean;
  /** The most addresses of one name (own Endpoint or fallback) that are candidates at all. */
  readonly maxAddressesPerName: number;
  /** The most WireGuard verifications of one peer in one pass (each costs up to verify.timeoutMs). */
  readonly maxTriesPerPass: number;
}

/** What to do with one peer, and the reason a person will read. */
export type Decision =
  | {
      readonly action: "keep";
      readonly endpoint: string | undefined;
      readonly reason: string;
      readonly warning?: boolean;
    }
  | {
      readonly action: "switch";
      readonly from: string | undefined;
      readonly to: string;
      readonly candidate: CandidateEndpoint;
      readonly reason: string;
    }
  | { readonly action: "check"; readonly endpoint: string; readonly reason: string }
  | {
      readonly action: "restore";
      readonly from: string | undefined;
      readonly to: string;
      readonly reason: string;
    }
  | {
      readonly action: "unreachable";
      readonly endpoint: string | undefined;
      readonly reason: string;
    };

/** WireGuard's own word on an endpoint. */
export interface Verdict {
  readonly ok: boolean;
  readonly how: string;
  /** The wait was cut short (SIGTERM, SIGINT): no verdict on the endpoint. */
  readonly interrupted?: boolean;
}

/** One round for a peer: a decision, and what carrying it out showed. */
export interface Step {
  readonly decision: Decision;
  /** `wg set` ran (false in --dry-run). */
  readonly applied?: boolean;
  readonly verdict?: Verdict;
  readonly error?: string;
}

/** What a pass saw and did for one peer. */
export interface PeerOutcome {
  readonly peer: ManagedPeer;
  /** The peer's live state as the pass left it. */
  readonly live: LivePeer;
  /** The endpoint before the pass. */
  readonly original: string | undefined;
  readonly resolution: Resolution;
  /** The peer's fallback endpoints (settings), each with what it resolved to. */
  readonly fallbacks?: readonly FallbackResolution[];
  readonly probes: readonly ProbeResult[];
  readonly steps: readonly Step[];
}

/** The preferred family for a peer under a policy. */
export function preferredFamily(policy: DecisionPolicy, host: HostFamilies): Family {
  if (policy.family === "ipv6") return 6;
  if (policy.family === "ipv4") return 4;
  return host.ipv6 ? 6 : 4;
}

/** How long ago the handshake was, in seconds, or undefined for never. */
export function handshakeAge(latestHandshake: number, nowMs: number): number | undefined {
  return latestHandshake > 0 ? Math.max(0, Math.round(nowMs / 1000 - latestHandshake)) : undefined;
}
