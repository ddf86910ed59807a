/**
 * WireGuard of the lab, all userspace (wireguard-go; this kernel has no wireguard module).
 * Servers: `wireguard-go -f` started by us (we hold the PID), configured with `wg set`; they know
 * the client without endpoint or keepalive, so they never initiate and never "repair" the client.
 * Client: a wg-quick config under /etc/netns/<client>/wireguard and `wg-quick up`, which resolves
 * the Endpoint hostnames through the namespace's DNS and daemonizes wireguard-go.
 * Private keys live in 0600 files in the lab's tmp dir; they never appear on argv or in output.
 */
import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
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
import type { LabNames } from "./plan.js";

export interface KeyPair {
  readonly publicKey: string;
  /** 0600 file holding the base64 private key. */
  readonly privateKeyFile: string;
}

export async function genKeyPair(dir: string, name: string): Promise<KeyPair> {
  const privateKey = (await runOk(["wg", "genkey"])).trim();
  const privateKeyFile = join(dir, `${name}.key`);
  await writeFile(privateKeyFile, `${privateKey}\n`, { mode: 0o600 });
  const publicKey = (await runOk(["wg", "pubkey"], { input: `${privateKey}\n` })).trim();
  return { publicKey, privateKeyFile };
}

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
  await runOk(
    inNs(ns, [
      "wg",
      "set",
      spec.iface,
      "private-key",
      spec.key.privateKeyFile,
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
  const privateKey = (await readFile(key.privateKeyFile, "utf8")).trim();
  const lines = ["[Interface]", `PrivateKey = ${privateKey}`, `Address = ${addresses.join(", ")}`];
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

/** `wg-quick up` in the client namespace; returns the PID of the wireguard-go it daemonized. */
export async function clientUp(names: LabNames): Promise<number | undefined> {
  await runOk(inNs(names.clientNs, ["wg-quick", "up", names.clientIface]), {
    env: { WG_QUICK_USERSPACE_IMPLEMENTATION: "wireguard-go" },
    timeoutMs: 15_000,
  });
  return findPidByArgv(["wireguard-go", names.clientIface]);
}

/**
 * `wg-quick down` (deleting the tun device makes wireguard-go exit), then kills the client's
 * wireguard-go by PID if it is somehow still running. Never throws.
 */
export async function clientDown(names: LabNames, pid: number | undefined): Promise<void> {
  await run(inNs(names.clientNs, ["wg-quick", "down", names.clientIface]), { timeoutMs: 10_000 });
  if (pid !== undefined) await killPid(pid, names.clientIface);
}

/** One peer line of `wg show IFACE dump`. */
export interface PeerStatus {
  readonly publicKey: string;
  /** `a.b.c.d:port` or `[v6]:port`, or null when the peer has none. */
  readonly endpoint: string | null;
  readonly allowedIps: readonly string[];
  /** Unix seconds of the last handshake; 0 = never. */
  readonly latestHandshake: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  /** Seconds, or null when off. */
  readonly persistentKeepalive: number | null;
}

/** The peers of `iface` in `ns`. The interface line (which holds the private key) is skipped. */
export async function showPeers(ns: string, iface: string): Promise<PeerStatus[]> {
  const result = await run(inNs(ns, ["wg", "show", iface, "dump"]), { timeoutMs: 5_000 });
  if (result.exitCode !== 0) {
    throw new Error(`wg show ${iface} dump failed in ${ns}: ${result.stderr.trim()}`);
  }
  const peers: PeerStatus[] = [];
  for (const line of result.stdout.split("\n").slice(1)) {
    const [publicKey, , endpoint, allowed, handshake, rx, tx, keepalive] = line.split("\t");
    if (!publicKey || keepalive === undefined) continue;
    peers.push({
      publicKey,
      endpoint: endpoint === "(none)" || endpoint === undefined ? null : endpoint,
      allowedIps: allowed === "(none)" || allowed === undefined ? [] : allowed.split(","),
      latestHandshake: Number(handshake),
      rxBytes: Number(rx),
      txBytes: Number(tx),
      persistentKeepalive: keepalive === "off" ? null : Number(keepalive),
    });
  }
  return peers;
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

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
