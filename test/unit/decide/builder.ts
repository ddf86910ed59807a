import { isIP } from "node:net";
import { decide } from "../../../src/decide/decide.js";
import type { Decision, DecisionPolicy, PeerObservation } from "../../../src/decide/types.js";
import type {
  EndpointOrigin,
  FallbackResolution,
  HostFamilies,
  ProbeResult,
  Resolution,
} from "../../../src/model.js";
import { DEFAULTS } from "../../../src/settings/schema.js";
import type { PeerState } from "../../../src/state/shape.js";

export const NOW = 1_764_050_000_000;
export const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

/** A small fluent description of one peer's observation, for decide() tests. */
export class Scenario {
  private resolution: Resolution = { ok: true, candidates: [] };
  private readonly fallbackList: FallbackResolution[] = [];
  private readonly probes = new Map<string, ProbeResult>();
  private readonly wireguard = new Map<string, boolean>();
  private endpoint: string | undefined;
  private original: string | undefined;
  private suspectReason: string | undefined;
  private handshakeAge: number | undefined = 10;
  private hostFamilies: HostFamilies = { ipv4: true, ipv6: true };
  private mem: PeerState = { failedUntil: {} };
  private pol: DecisionPolicy = {
    family: "auto",
    handshakeFreshSeconds: 135,
    holdDownSeconds: 300,
    canVerify: true,
    maxAddressesPerName: DEFAULTS.verify.maxAddressesPerName,
    maxTriesPerPass: DEFAULTS.verify.maxTriesPerPass,
  };

  resolves(...addresses: string[]): this {
    for (const address of addresses)
      this.probes.set(address, { address, alive: false, error: "timeout" });
    this.resolution = this.resolved(addresses);
    return this;
  }
  /**
   * A fallback endpoint `host:port` (settings `fallbackEndpoints`, in the order added) resolving
   * to `addresses` (none: its lookup fails with "HOST has no A or AAAA record").
   */
  fallback(hostPort: string, ...addresses: string[]): this {
    const colon = hostPort.lastIndexOf(":");
    const host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
    const endpoint = { host, port: Number(hostPort.slice(colon + 1)) };
    const resolution: Resolution =
      addresses.length > 0
        ? this.resolved(addresses)
        : { ok: false, error: `${host} has no A or AAAA record` };
    this.fallbackList.push({ endpoint, resolution });
    return this;
  }
  dnsFails(error: string): this {
    this.resolution = { ok: false, error };
    return this;
  }
  on(endpoint: string | undefined): this {
    this.endpoint = endpoint;
    this.original = endpoint;
    return this;
  }
  /** The pass already moved the peer to `endpoint` this round (original stays). */
  now(endpoint: string): this {
    this.endpoint = endpoint;
    return this;
  }
  answers(address: string, rttMs = 1): this {
    this.probes.set(address, { address, alive: true, rttMs });
    return this;
  }
  /** `address` was probed and did not answer, with this error (none: no error text). */
  unanswered(address: string, error?: string): this {
    this.probes.set(
      address,
      error === undefined ? { address, alive: false } : { address, alive: false, error },
    );
    return this;
  }
  handshake(ageSeconds: number | undefined): this {
    this.handshakeAge = ageSeconds;
    return this;
  }
  host(families: HostFamilies): this {
    this.hostFamilies = families;
    return this;
  }
  wg(endpoint: string, ok: boolean): this {
    this.wireguard.set(endpoint, ok);
    return this;
  }
  /** Watch mode's counters called the tunnel suspect, with this reason. */
  suspect(reason: string): this {
    this.suspectReason = reason;
    return this;
  }
  memory(memory: Partial<PeerState>): this {
    this.mem = { ...this.mem, ...memory };
    return this;
  }
  policy(policy: Partial<DecisionPolicy>): this {
    this.pol = { ...this.pol, ...policy };
    return this;
  }
  observation(): PeerObservation {
    const fallbacks = this.fallbackList.length > 0 ? { fallbacks: this.fallbackList } : {};
    return {
      peer: {
        iface: "wg0",
        publicKey: KEY,
        endpoint: { host: "vpn.example.test", port: 51820 },
        allowedIps: ["172.25.1.1/32"],
        at: { file: "wg0.conf", line: 8 },
      },
      live: {
        publicKey: KEY,
        endpoint: this.endpoint,
        allowedIps: ["172.25.1.1/32"],
        latestHandshake: this.handshakeAge === undefined ? 0 : NOW / 1000 - this.handshakeAge,
        rxBytes: 100,
        txBytes: 100,
      },
      original: this.original,
      resolution: this.resolution,
      ...fallbacks,
      probes: this.probes,
      host: this.hostFamilies,
      wireguard: this.wireguard,
      suspect: this.suspectReason,
    };
  }
  decide(): Decision {
    return decide(this.observation(), this.mem, this.pol, NOW);
  }
  private resolved(addresses: readonly string[]): Resolution {
    const candidates = addresses.map((address) => ({
      address,
      family: isIP(address) === 6 ? (6 as const) : (4 as const),
    }));
    // A fallback may share an address with the peer's own name (another port): one probe.
    for (const address of addresses)
      if (!this.probes.has(address))
        this.probes.set(address, { address, alive: false, error: "timeout" });
    return { ok: true, candidates };
  }
}

export const peer = () => new Scenario();

/** The exact switch decision to `address` on the builder's port, written out independently of src. */
export function switched(from: string | undefined, address: string, reason: string): Decision {
  return switchedTo(from, address, 51820, { kind: "primary" }, reason);
}

/** The exact switch decision to fallback `number` (`endpoint` as configured) at `address:port`. */
export function switchedToFallback(
  from: string | undefined,
  fallback: { number: number; endpoint: string },
  address: string,
  port: number,
  reason: string,
): Decision {
  return switchedTo(from, address, port, { kind: "fallback", ...fallback }, reason);
}

// --- internal ---

function switchedTo(
  from: string | undefined,
  address: string,
  port: number,
  origin: EndpointOrigin,
  reason: string,
): Decision {
  const family = isIP(address) === 6 ? (6 as const) : (4 as const);
  const to = family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  return { action: "switch", from, to, candidate: { address, family, port, origin }, reason };
}
