/**
 * WireGuard of the lab, all userspace (wireguard-go; this kernel has no wireguard module).
 * Servers: `wireguard-go -f` started by us (we hold the PID), configured with `wg set`; they know
 * the client without endpoint or keepalive, so they never initiate and never "repair" the client.
 * Client: a wg-quick config under /etc/netns/<client>/wireguard and `wg-quick up`, which resolves
 * the Endpoint hostnames through the namespace's DNS and daemonizes wireguard-go.
 * Private keys are written only to 0600 files (see keys.ts); they never appear on argv or in output.
 */
import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { LivePeer } from "../../../src/model.js";
import { parseDump } from "../../../src/observe/parse-dump.js";
import {
  type Daemon,
  findPidByArgv,
  inNs,
  killPid,
  run,
  runOk,
  startDaemon,
  waitFor,
} from "./exec.js";
import type { KeyPair } from "./keys.js";
import type { LabNames } from "./plan.js";

export interface ServerSpec {
  readonly iface: string;
  readonly port: number;
  readonly key: KeyPair;
  /** The server's tunnel address (`.1`) and the client's (`.2`) in the same /24. */
  readonly tunnel: { readonly server: string; readonly client: string };
  readonly clientPublicKey: string;
}

/** Starts one server (wireguard-go in the foreground, detached from our stdio) and configures it. */
export async function startServer(names: LabNames, spec: ServerSpec): Promise<Daemon> {
  const ns = names.serverNs;
  const daemon = startDaemon(
    inNs(ns, ["wireguard-go", "-f", spec.iface]),
    join(names.tmpDir, `${spec.iface}.log`),
  );
  const socket = `/var/run/wireguard/${spec.iface}.sock`;
  const ready = await waitFor(() => exists(socket), { timeoutMs: 5_000, intervalMs: 20 });
  if (!ready) {
    await daemon.stop();
    throw new Error(`wireguard-go ${spec.iface} did not create ${socket}`);
  }
  const keyFile = join(names.tmpDir, `${spec.iface}.key`);
  await writeFile(keyFile, `${spec.key.privateKey}\n`, { mode: 0o600 });
  await runOk(
    inNs(ns, [
      "wg",
      "set",
      spec.iface,
      "private-key",
      keyFile,
      "listen-port",
      String(spec.port),
      "peer",
      spec.clientPublicKey,
      "allowed-ips",
      `${spec.tunnel.client}/32`,
    ]),
  );
  await runOk(["ip", "-n", ns, "addr", "add", `${spec.tunnel.server}/24`, "dev", spec.iface]);
  await runOk(["ip", "-n", ns, "link", "set", spec.iface, "up"]);
  return daemon;
}

export interface ClientPeerSpec {
  readonly publicKey: string;
  readonly allowedIp: string;
  /** `host:port`, usually a hostname resolved by wg-quick at `up` time. */
  readonly endpoint: string;
  readonly persistentKeepalive?: number | undefined;
}

/** Writes /etc/netns/<client>/wireguard/<iface>.conf (seen as /etc/wireguard inside the ns). */
export async function writeClientConf(
  names: LabNames,
  key: KeyPair,
  addresses: readonly string[],
  peers: readonly ClientPeerSpec[],
): Promise<string> {
  const lines = [
    "[Interface]",
    `PrivateKey = ${key.privateKey}`,
    `Address = ${addresses.join(", ")}`,
  ];
  for (const peer of peers) {
    lines.push("", "[Peer]", `PublicKey = ${peer.publicKey}`, `AllowedIPs = ${peer.allowedIp}/32`);
    lines.push(`Endpoint = ${peer.endpoint}`);
    if (peer.persistentKeepalive !== undefined) {
      lines.push(`PersistentKeepalive = ${peer.persistentKeepalive}`);
    }
  }
  const file = join(names.clientEtc, "wireguard", `${names.clientIface}.conf`);
  await writeFile(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  return file;
}

/** `wg-quick up IFACE` in `ns`; returns the PID of the wireguard-go it daemonized. Throws on failure. */
export async function clientUp(
  ns: string,
  iface: string,
  timeoutMs = 15_000,
): Promise<number | undefined> {
  await runOk(inNs(ns, ["wg-quick", "up", iface]), {
    env: { WG_QUICK_USERSPACE_IMPLEMENTATION: "wireguard-go" },
    timeoutMs,
  });
  return findPidByArgv(["wireguard-go", iface]);
}

/**
 * `wg-quick down` (deleting the tun device makes wireguard-go exit), then kills the interface's
 * wireguard-go by PID (looked up when not known) if it is somehow still running. Never throws.
 */
export async function clientDown(ns: string, iface: string, pid?: number): Promise<void> {
  await run(inNs(ns, ["wg-quick", "down", iface]), { timeoutMs: 20_000 });
  const left = pid ?? (await findPidByArgv(["wireguard-go", iface]));
  if (left !== undefined) await killPid(left, iface);
}

/** One peer of `wg show IFACE dump`, as the tool parses it, plus its keepalive. */
export interface PeerStatus extends LivePeer {
  /** Seconds, or null when off. */
  readonly persistentKeepalive: number | null;
}

/** The peers of `iface` in `ns` (src/observe/parse-dump.ts; the private key is dropped there). */
export async function showPeers(ns: string, iface: string): Promise<PeerStatus[]> {
  const result = await run(inNs(ns, ["wg", "show", iface, "dump"]), { timeoutMs: 5_000 });
  if (result.exitCode !== 0) {
    throw new Error(`wg show ${iface} dump failed in ${ns}: ${result.stderr.trim()}`);
  }
  const keepalives = await persistentKeepalives(ns, iface);
  return parseDump(result.stdout).map((peer) => ({
    ...peer,
    persistentKeepalive: keepalives.get(peer.publicKey) ?? null,
  }));
}

/**
 * Pings `target` from `ns` (`ping -c 1 -W 1`, repeated) until one reply or `timeoutMs`; true when
 * a reply came. Failures that return at once (EPERM, no route) are retried every 200 ms, not spun.
 */
export async function pingUntilReply(
  ns: string,
  target: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const maxTries = Math.ceil(timeoutMs / 200) + 1;
  for (let i = 0; i < maxTries; i++) {
    const started = performance.now();
    const argv = inNs(ns, ["ping", "-n", "-c", "1", "-W", "1", target]);
    if ((await run(argv, { timeoutMs: 3_000 })).exitCode === 0) return true;
    if (performance.now() >= deadline) return false;
    const pause = 200 - (performance.now() - started);
    if (pause > 0) await sleep(pause);
  }
  return false;
}

// --- internal ---

/** `wg show IFACE persistent-keepalive`: one "KEY\tSECONDS" or "KEY\toff" line per peer. */
async function persistentKeepalives(ns: string, iface: string): Promise<Map<string, number>> {
  const out = await runOk(inNs(ns, ["wg", "show", iface, "persistent-keepalive"]));
  const seconds = new Map<string, number>();
  for (const [key, value] of out.split("\n").map((line) => line.split("\t"))) {
    if (key && value !== undefined && value !== "off") seconds.set(key, Number(value));
  }
  return seconds;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
