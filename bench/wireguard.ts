/**
 * WireGuard for the benchmark (wireguard-go; userspace): client interfaces through `wg-quick up`
 * with a generated config in /etc/netns/<client>/wireguard, and the one healthy peer as
 * `wireguard-go -f` in the server namespace (we hold its PID).
 */
import { access, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Daemon,
  findPidByArgv,
  inNs,
  killPid,
  run,
  runOk,
  startDaemon,
  waitFor,
} from "../test/e2e/lab/exec.js";
import { HEALTHY_TUNNEL, type KeyPair, PORT } from "./plan.js";

/**
 * `n` key pairs from `wg genkey | wg pubkey`, as an operator makes them. One bash loop rather than
 * 2n spawns from node: 2,000 pairs take a few seconds instead of half a minute.
 */
export async function wgKeyPairs(n: number): Promise<KeyPair[]> {
  const script =
    'for ((i = 0; i < $1; i++)); do k=$(wg genkey); echo "$k $(wg pubkey <<<"$k")"; done';
  const out = await runOk(["bash", "-c", script, "bash", String(n)], { timeoutMs: 120_000 });
  const pairs = out
    .trim()
    .split("\n")
    .map((line) => {
      const [privateKey = "", publicKey = ""] = line.split(" ");
      return { privateKey, publicKey };
    });
  if (pairs.length !== n || pairs.some((p) => p.publicKey.length !== 44))
    throw new Error(`wg genkey/pubkey gave ${pairs.length} key pairs, wanted ${n}`);
  return pairs;
}

/** A client interface brought up by wg-quick; `down()` is idempotent and never throws. */
export interface ClientIface {
  readonly iface: string;
  readonly upMs: number;
  down(): Promise<void>;
}

/** Writes /etc/netns/<ns>/wireguard/<iface>.conf and runs `wg-quick up` in the namespace. */
export async function clientUp(
  ns: string,
  clientEtc: string,
  iface: string,
  conf: string,
): Promise<ClientIface> {
  const file = join(clientEtc, "wireguard", `${iface}.conf`);
  await writeFile(file, conf, { mode: 0o600 });
  const started = performance.now();
  const up = await run(inNs(ns, ["wg-quick", "up", iface]), {
    env: { WG_QUICK_USERSPACE_IMPLEMENTATION: "wireguard-go" },
    timeoutMs: 120_000,
  });
  const upMs = Math.round(performance.now() - started);
  const pid = await findPidByArgv(["wireguard-go", iface]);
  let gone = false;
  const down = async () => {
    if (gone) return;
    gone = true;
    await run(inNs(ns, ["wg-quick", "down", iface]), { timeoutMs: 20_000 });
    if (pid !== undefined) await killPid(pid, iface);
    await rm(file, { force: true });
    await rm(`/var/run/wireguard/${iface}.sock`, { force: true });
  };
  if (up.exitCode !== 0) {
    await down();
    throw new Error(`wg-quick up ${iface} failed (exit ${up.exitCode}): ${up.stderr.trim()}`);
  }
  return { iface, upMs, down };
}

/** The healthy peer: wireguard-go in the server namespace, on UDP 51820, knowing the client. */
export async function startServer(
  ns: string,
  iface: string,
  key: KeyPair,
  client: KeyPair,
  logDir: string,
): Promise<Daemon> {
  const daemon = startDaemon(inNs(ns, ["wireguard-go", "-f", iface]), join(logDir, `${iface}.log`));
  const socket = `/var/run/wireguard/${iface}.sock`;
  const ready = await waitFor(
    () =>
      access(socket).then(
        () => true,
        () => false,
      ),
    { timeoutMs: 5_000, intervalMs: 20 },
  );
  if (!ready) {
    await daemon.stop();
    throw new Error(`wireguard-go ${iface} did not create ${socket}`);
  }
  const keyFile = join(logDir, `${iface}.key`);
  await writeFile(keyFile, `${key.privateKey}\n`, { mode: 0o600 });
  await runOk(
    inNs(ns, ["wg", "set", iface, "private-key", keyFile, "listen-port", String(PORT)]).concat([
      "peer",
      client.publicKey,
      "allowed-ips",
      `${HEALTHY_TUNNEL.client}/32`,
    ]),
  );
  await runOk(["ip", "-n", ns, "addr", "add", `${HEALTHY_TUNNEL.server}/24`, "dev", iface]);
  await runOk(["ip", "-n", ns, "link", "set", iface, "up"]);
  return daemon;
}

/** `wg show IFACE dump` peer lines: public key -> endpoint (the interface line is skipped). */
export async function endpoints(ns: string, iface: string): Promise<Map<string, string>> {
  const out = await runOk(inNs(ns, ["wg", "show", iface, "dump"]), { timeoutMs: 10_000 });
  const result = new Map<string, string>();
  for (const line of out.split("\n").slice(1)) {
    const [publicKey, , endpoint] = line.split("\t");
    if (publicKey && endpoint !== undefined) result.set(publicKey, endpoint);
  }
  return result;
}

/** Seconds since the latest handshake of the peer `publicKey` on `iface` (undefined: never). */
export async function handshakeAge(
  ns: string,
  iface: string,
  publicKey: string,
): Promise<number | undefined> {
  const out = await runOk(inNs(ns, ["wg", "show", iface, "latest-handshakes"]));
  for (const line of out.split("\n")) {
    const [key, at] = line.split("\t");
    if (key === publicKey && at !== undefined && Number(at) > 0) {
      return Math.round(Date.now() / 1000 - Number(at));
    }
  }
  return undefined;
}
