/**
 * Turns a lab's client interface into one that a manager describes: the wg-quick file leaves
 * /etc/wireguard (kept in the lab's tmp dir), and a systemd-networkd, netplan or NetworkManager
 * file describes the same interface and peers. The running interface is what the manager would
 * have made: wireguard-go with the peer's endpoint set to getaddrinfo's first answer (networkd
 * and NetworkManager both take the first address, as wg-quick did when the lab came up).
 */
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Lab } from "../lab/index.js";
import { FAST } from "./cron.js";

/** The kinds of file the tests write. */
export type ManagerFile = "netdev" | "netdev-dropin" | "netplan" | "keyfile";

/** Where the file went, as the tool inside the namespace sees it. */
export interface Described {
  readonly file: string;
  /** The folder the test may write later files into (as seen from the host). */
  readonly hostDir: string;
}

/** A drop-in for the `netdev` kind's file, with the peer of server `index`, as the host sees it. */
export async function addDropin(lab: Lab, described: Described, index: number): Promise<string> {
  const dir = join(described.hostDir, `50-${lab.interface}.netdev.d`);
  await mkdir(dir, { recursive: true });
  const s = lab.server(index);
  const text = `[WireGuardPeer]\nPublicKey=${s.publicKey}\nAllowedIPs=${s.tunnelAddress}/32\nEndpoint=${s.hostname}:${s.port}\n`;
  const file = join(dir, `60-peer${index}.conf`);
  await writeFile(file, text);
  return file;
}

/** Whether /etc/systemd exists here: `ip netns exec` binds /etc/netns/NS/systemd only over it. */
export const HOST_HAS_ETC_SYSTEMD = existsSync("/etc/systemd");

/**
 * Describes the lab's client interface by a manager's file instead of its wg-quick file, and
 * writes the tool's settings: networkd reads its default search path (the namespace's own
 * /etc/systemd/network, bound from /etc/netns), plus the lab's folders standing for /run.
 */
export async function describeBy(
  lab: Lab,
  kind: ManagerFile,
  /** The servers whose peers the file describes (default all). */
  servers: readonly number[] = lab.servers.map((s) => s.index),
): Promise<Described> {
  await rename(lab.clientConfFile, join(lab.names.tmpDir, "wg-quick.conf.moved"));
  const iface = lab.interface;
  const etcNetwork = join(lab.names.clientEtc, "systemd", "network");
  const runNetwork = join(lab.names.tmpDir, "run", "systemd", "network");
  const runNm = join(lab.names.tmpDir, "run", "NetworkManager", "system-connections");
  await lab.writeToolConfig({
    ...FAST,
    sources: {
      networkdDirs: ["/etc/systemd/network", runNetwork, "/usr/local/lib/systemd/network"],
      networkManagerDirs: [runNm],
    },
  });
  // /etc/netns/NS/systemd only for networkd's own files: `ip netns exec` warns when it binds one.
  const etc = kind === "netdev" || kind === "netdev-dropin" ? [etcNetwork] : [];
  for (const dir of [...etc, runNetwork, runNm]) await mkdir(dir, { recursive: true });
  const peers = servers
    .map((i) => lab.server(i))
    .map((s) => ({
      key: s.publicKey,
      endpoint: `${s.hostname}:${s.port}`,
      allowed: `${s.tunnelAddress}/32`,
    }));
  const head = `[NetDev]\nName=${iface}\nKind=wireguard\n\n[WireGuard]\nPrivateKeyFile=/etc/systemd/network/${iface}.key\n`;
  const netdevPeers = peers
    .map(
      (p) =>
        `\n[WireGuardPeer]\nPublicKey=${p.key}\nAllowedIPs=${p.allowed}\nEndpoint=${p.endpoint}\n`,
    )
    .join("");
  if (kind === "netdev") {
    await writeFile(join(etcNetwork, `50-${iface}.netdev`), head + netdevPeers);
    return { file: `/etc/systemd/network/50-${iface}.netdev`, hostDir: etcNetwork };
  }
  if (kind === "netdev-dropin") {
    await writeFile(join(etcNetwork, `50-${iface}.netdev`), head);
    const dropins = join(etcNetwork, `50-${iface}.netdev.d`);
    await mkdir(dropins);
    await writeFile(join(dropins, "peers.conf"), netdevPeers);
    return { file: `/etc/systemd/network/50-${iface}.netdev.d/peers.conf`, hostDir: etcNetwork };
  }
  if (kind === "netplan") {
    // netplan's networkd renderer: ListenPort, then each peer's keys in its order.
    const text = `[NetDev]\nName=${iface}\nKind=wireguard\n\n[WireGuard]\nPrivateKeyFile=/etc/netplan/${iface}.key\n${peers
      .map(
        (p) =>
          `\n[WireGuardPeer]\nPublicKey=${p.key}\nAllowedIPs=${p.allowed}\nEndpoint=${p.endpoint}\n`,
      )
      .join("")}`;
    const file = join(runNetwork, `10-netplan-${iface}.netdev`);
    await writeFile(file, text, { mode: 0o640 });
    return { file, hostDir: runNetwork };
  }
  const groups = peers
    .map((p) => `\n[wireguard-peer.${p.key}]\nendpoint=${p.endpoint}\nallowed-ips=${p.allowed};\n`)
    .join("");
  const text = `[connection]\nid=${iface}\nuuid=9b0f4f4e-8a0e-4d1c-9a55-1f2f6c1b7e01\ntype=wireguard\ninterface-name=${iface}\n\n[wireguard]\n${groups}\n[ipv4]\naddress1=${lab.server(0).clientTunnelAddress}/24\nmethod=manual\n`;
  const file = join(runNm, `${iface}.nmconnection`);
  await writeFile(file, text, { mode: 0o600 });
  return { file, hostDir: runNm };
}
