import { Counter, Gauge, Registry } from "prom-client";
import { parsePeerKey } from "../model.js";
import type { PeerSnapshot, PeerState, State } from "../state/shape.js";

/** Everything the metrics show: the state the passes keep, the last pass, the version. */
export interface MetricsInput {
  readonly state: State;
  /**
   * When the last pass ended (ms since the epoch), how long it took, and whether it found this
   * host offline; absent before the first pass of a service (its state came from the file).
   */
  readonly lastPass?:
    | { readonly at: number; readonly durationMs: number; readonly hostOffline?: boolean }
    | undefined;
  readonly version: string;
}

/**
 * The metrics as Prometheus text, from a fresh registry (prom-client's global one and its
 * process metrics are not used: a pass is short-lived, and a service's would be noise). Pure:
 * everything comes from the input. Names and labels are fixed (README "Metrics").
 */
export async function renderMetrics(input: MetricsInput): Promise<string> {
  return buildRegistry(input).metrics();
}

/** The content type of renderMetrics' text, for HTTP. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

// --- internal ---

const PEER = ["interface", "public_key", "hostname"] as const;
const PROBE = [...PEER, "address"] as const;

type Recorded = PeerState & { last: PeerSnapshot };

function buildRegistry({ state, lastPass, version }: MetricsInput): Registry {
  const registry = new Registry();
  const make = makers(registry);
  make
    .gauge("wgem_build_info", "The running version of wg-endpoint-manager.", ["version"])
    .set({ version }, 1);
  if (lastPass !== undefined) {
    const help = {
      at: "When the last pass ended.",
      took: "How long the last pass took.",
      offline: "1 when the last pass found this host offline and touched no peer.",
    };
    make.gauge("wgem_last_pass_timestamp_seconds", help.at, []).set(lastPass.at / 1000);
    make.gauge("wgem_pass_duration_seconds", help.took, []).set(lastPass.durationMs / 1000);
    make.gauge("wgem_host_offline", help.offline, []).set(lastPass.hostOffline === true ? 1 : 0);
  }
  const m = peerMetrics(make);
  const peers = peersOf(state);
  for (const [key, peer] of peers) addPeer(m, key, peer);
  addSources(make, peers);
  // One sample per name, from its latest check: several peers may share a name.
  const latest = new Map<string, PeerSnapshot>();
  for (const [, { last }] of peers) {
    const seen = latest.get(last.hostname);
    if (seen === undefined || seen.at < last.at) latest.set(last.hostname, last);
  }
  for (const [hostname, last] of latest)
    m.dns.set({ hostname }, typeof last.dnsError === "string" ? 0 : 1);
  return registry;
}

/** Gauges and counters that register in `registry` only (never the global one). */
function makers(registry: Registry) {
  const registers = [registry];
  return {
    gauge: <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames, registers }),
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name, help, labelNames, registers }),
  };
}

/** The per-peer metrics, in the order they are printed. */
function peerMetrics({ gauge, counter }: ReturnType<typeof makers>) {
  return {
    info: gauge("wgem_peer_info", "A managed peer and its live endpoint.", [...PEER, "endpoint"]),
    up: gauge("wgem_peer_up", "1 when the last pass left the peer on a working endpoint.", PEER),
    changes: counter(
      "wgem_endpoint_changes_total",
      "Passes that moved the peer to another endpoint.",
      PEER,
    ),
    failures: counter(
      "wgem_verify_failures_total",
      "Endpoints that failed verification through WireGuard.",
      PEER,
    ),
    fallback: gauge("wgem_peer_on_fallback", "1 when the peer is on a fallback endpoint.", PEER),
    checked: gauge(
      "wgem_peer_last_check_timestamp_seconds",
      "When a pass last saw the peer.",
      PEER,
    ),
    probeUp: gauge("wgem_probe_up", "1 when the address answered ping in the last check.", PROBE),
    rtt: gauge("wgem_probe_rtt_seconds", "The address's ping round-trip time.", PROBE),
    dns: gauge("wgem_dns_up", "1 when the hostname resolved in its last check.", ["hostname"]),
  };
}

function addPeer(m: ReturnType<typeof peerMetrics>, key: string, peer: Recorded): void {
  const { last } = peer;
  const { iface, publicKey } = parsePeerKey(key);
  const labels = { interface: iface, public_key: publicKey, hostname: last.hostname };
  m.info.set({ ...labels, endpoint: last.endpoint ?? "" }, 1);
  m.up.set(labels, last.up ? 1 : 0);
  // Counters kept in the state file: set once from the total (inc from 0 is the only setter).
  m.changes.inc(labels, peer.changes ?? 0);
  m.failures.inc(labels, peer.verifyFailures ?? 0);
  m.fallback.set(labels, last.fallback !== undefined ? 1 : 0);
  m.checked.set(labels, last.at / 1000);
  for (const c of last.probes) {
    m.probeUp.set({ ...labels, address: c.address }, c.alive ? 1 : 0);
    if (c.alive && typeof c.rttMs === "number")
      m.rtt.set({ ...labels, address: c.address }, c.rttMs / 1000);
  }
}

/** Where each peer was read from (state files from before this was recorded have none). */
function addSources(make: ReturnType<typeof makers>, peers: readonly [string, Recorded][]): void {
  const recorded = peers.filter(([, p]) => p.last.file !== undefined);
  if (recorded.length === 0) return;
  const help =
    "The file a managed peer was read from, and its kind: wg-quick, networkd or networkmanager.";
  const info = make.gauge("wgem_peer_source_info", help, [...PEER, "source", "file"]);
  for (const [key, { last }] of recorded) {
    const { iface, publicKey } = parsePeerKey(key);
    info.set(
      {
        interface: iface,
        public_key: publicKey,
        hostname: last.hostname,
        source: last.source ?? "wg-quick",
        file: withoutLine(last.file ?? ""),
      },
      1,
    );
  }
}

/** A `FILE:LINE` without its line: a label that does not change when lines are added above. */
function withoutLine(file: string): string {
  return file.replace(/:\d+$/, "");
}

/** The peers with a snapshot, in a stable order (by interface, then key). */
function peersOf(state: State): [string, Recorded][] {
  return Object.entries(state.peers)
    .filter((e): e is [string, Recorded] => e[1].last !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
