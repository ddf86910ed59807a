import { addressOf, formatEndpoint } from "../common/endpoint.js";
import type { Candidate, Family } from "../model.js";
import { failedRecently } from "./memory.js";
import {
  type Decision,
  type DecisionPolicy,
  type PeerMemory,
  type PeerObservation,
  preferredFamily,
} from "./types.js";

/** Derived facts about one observation, computed once per decision (decide.ts's helper). */
export class View {
  readonly current: string | undefined;
  readonly preferred: Family;
  readonly ordered: readonly Candidate[];
  readonly hostname: string;

  constructor(
    readonly obs: PeerObservation,
    readonly memory: PeerMemory,
    readonly policy: DecisionPolicy,
    readonly nowMs: number,
    usable: readonly Candidate[],
  ) {
    this.current = obs.live.endpoint;
    this.preferred = preferredFamily(policy, obs.host);
    // Happy eyeballs: the preferred family first, each family in the resolver's order.
    this.ordered = [...usable].sort(
      (a, b) => Number(b.family === this.preferred) - Number(a.family === this.preferred),
    );
    this.hostname = obs.peer.endpoint.host;
  }

  endpointOf(c: Candidate): string {
    return formatEndpoint(c.address, this.obs.peer.endpoint.port);
  }

  familyOf(endpoint: string): Family {
    return endpoint.startsWith("[") ? 6 : 4;
  }

  inDns(endpoint: string): boolean {
    return this.ordered.some((c) => this.endpointOf(c) === endpoint);
  }

  /** Held by an earlier failure, whether or not DNS still lists it (the memory keys bare addresses). */
  failedBefore(endpoint: string): boolean {
    return failedRecently(this.memory, endpoint, this.nowMs);
  }

  ruledOut(c: Candidate): boolean {
    return (
      this.obs.wireguard.get(this.endpointOf(c)) === false || this.failedBefore(this.endpointOf(c))
    );
  }

  alive(c: Candidate): boolean {
    return this.obs.probes.get(c.address)?.alive === true;
  }

  answering(): Candidate[] {
    return this.ordered.filter((c) => this.alive(c) && !this.ruledOut(c));
  }

  /** Candidates WireGuard has not judged in this pass: fresh ones first, then held ones answering ping. */
  untried(): Candidate[] {
    // Within a rank the current endpoint goes first: if it works, nothing needs to move.
    const held = (c: Candidate) =>
      this.failedBefore(this.endpointOf(c)) ? (this.alive(c) ? 2 : 4) : 0;
    const rank = (c: Candidate) => held(c) + (this.endpointOf(c) === this.current ? 0 : 1);
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

  switchTo(c: Candidate, reason: string): Decision {
    return { action: "switch", from: this.current, to: this.endpointOf(c), candidate: c, reason };
  }
}
