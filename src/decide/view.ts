import { addressOf, formatEndpoint } from "../common/endpoint.js";
import type { CandidateEndpoint, EndpointOrigin, Family, HostFamilies } from "../model.js";
import type { PeerState } from "../state/shape.js";
import {
  candidateEndpoints,
  type EndpointSource,
  endpointSources,
  fallbackName,
  originOf,
  sourceProblem,
} from "./candidates.js";
import { failedRecently } from "./memory.js";
import {
  type Decision,
  type DecisionPolicy,
  type PeerObservation,
  preferredFamily,
} from "./types.js";

/** Derived facts about one observation, computed once per decision (decide.ts's helper). */
export class View {
  readonly current: string | undefined;
  readonly preferred: Family;
  /** Every endpoint the peer may be set to, best first (candidates.ts). */
  readonly ordered: readonly CandidateEndpoint[];
  /** Addresses beyond `maxAddressesPerName`: never tried, only named when nothing works. */
  readonly leftOut: readonly CandidateEndpoint[];
  readonly hostname: string;
  readonly sources: readonly EndpointSource[];
  /** The families candidates may have: the host's, and a forced one (`family`). */
  readonly usable: HostFamilies;
  /** Why the peer's own Endpoint gives no usable address (only with fallbacks), or undefined. */
  readonly primaryProblem: string | undefined;

  constructor(
    readonly obs: PeerObservation,
    readonly memory: PeerState,
    readonly policy: DecisionPolicy,
    readonly nowMs: number,
  ) {
    this.current = obs.live.endpoint;
    this.preferred = preferredFamily(policy, obs.host);
    this.sources = endpointSources(obs.peer.endpoint, obs.resolution, obs.fallbacks ?? []);
    this.usable = usableFamilies(obs.host, policy);
    const perName = policy.maxAddressesPerName;
    const candidates = candidateEndpoints(
      this.sources,
      this.usable,
      this.preferred,
      perName,
      this.current,
    );
    this.ordered = candidates.ordered;
    this.leftOut = candidates.leftOut;
    this.hostname = obs.peer.endpoint.host;
    const [primary] = this.sources;
    this.primaryProblem = primary && sourceProblem(primary, this.usable);
  }

  get hasFallbacks(): boolean {
    return this.sources.length > 1;
  }

  /** What "every address" means in a message: the name, and its fallbacks when it has some. */
  get everything(): string {
    return this.hasFallbacks ? `${this.hostname} or its fallbacks` : this.hostname;
  }

  endpointOf(c: CandidateEndpoint): string {
    return formatEndpoint(c.address, c.port);
  }

  /** A candidate as messages name it: the bare address for the peer's own Endpoint. */
  label(c: CandidateEndpoint): string {
    if (c.origin.kind === "primary") return c.address;
    const endpoint = this.endpointOf(c);
    // A literal fallback is its own endpoint: no need to say it twice.
    const which =
      c.origin.endpoint === endpoint ? `fallback ${c.origin.number}` : fallbackName(c.origin);
    return `${endpoint} (${which})`;
  }

  originOf(endpoint: string): EndpointOrigin | undefined {
    return originOf(endpoint, this.sources);
  }

  familyOf(endpoint: string): Family {
    return endpoint.startsWith("[") ? 6 : 4;
  }

  /** Whether the endpoint is one of the candidates (an address of the name or of a fallback). */
  inDns(endpoint: string): boolean {
    return this.ordered.some((c) => this.endpointOf(c) === endpoint);
  }

  /** Held by an earlier failure, whether or not DNS still lists it. */
  failedBefore(endpoint: string): boolean {
    return failedRecently(this.memory, endpoint, this.nowMs);
  }

  ruledOut(c: CandidateEndpoint): boolean {
    return (
      this.obs.wireguard.get(this.endpointOf(c)) === false || this.failedBefore(this.endpointOf(c))
    );
  }

  alive(c: CandidateEndpoint): boolean {
    return this.obs.probes.get(c.address)?.alive === true;
  }

  answering(): CandidateEndpoint[] {
    return this.ordered.filter((c) => this.alive(c) && !this.ruledOut(c));
  }

  /** Candidates WireGuard has not judged in this pass: fresh ones first, then held ones answering ping. */
  untried(): CandidateEndpoint[] {
    // Within a rank the current endpoint goes first: if it works, nothing needs to move.
    const held = (c: CandidateEndpoint) =>
      this.failedBefore(this.endpointOf(c)) ? (this.alive(c) ? 2 : 4) : 0;
    const rank = (c: CandidateEndpoint) => held(c) + (this.endpointOf(c) === this.current ? 0 : 1);
    return this.ordered
      .filter((c) => this.obs.wireguard.get(this.endpointOf(c)) === undefined)
      .sort((a, b) => rank(a) - rank(b));
  }

  currentWorks(): boolean {
    const current = this.current;
    if (current === undefined) return false;
    // WireGuard's word beats DNS: a proven endpoint not in DNS is one the peer roamed to.
    const verdict = this.obs.wireguard.get(current);
    if (verdict !== undefined) return verdict;
    if (!this.inDns(current)) return false;
    return !this.failedBefore(current) && this.obs.probes.get(addressOf(current))?.alive === true;
  }

  switchTo(c: CandidateEndpoint, reason: string): Decision {
    return { action: "switch", from: this.current, to: this.endpointOf(c), candidate: c, reason };
  }
}

/**
 * A forced family is the operator's word: usable even where the host's own addresses (ULA only,
 * say) would not make it so.
 */
function usableFamilies(host: HostFamilies, policy: DecisionPolicy): HostFamilies {
  return {
    ipv4: host.ipv4 || policy.family === "ipv4",
    ipv6: host.ipv6 || policy.family === "ipv6",
  };
}
