/**
 * One running lab: a client namespace (where the tool runs, with its own DNS and WireGuard
 * interface) and a server namespace (1 or 2 WireGuard peers). Built by `createLab()` (create.ts);
 * this class observes it, injects faults and tears it down. Always `destroy()` it (t.after).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LabDns } from "./dns.js";
import { type Daemon, type ExecOptions, type ExecResult, inNs, run } from "./exec.js";
import { Faults, type OldAddressFate } from "./faults.js";
import {
  addServerAddress,
  deleteNamespace,
  removeLabFiles,
  removeServerAddress,
} from "./namespace.js";
import { type LabNames, TOOL_BIN } from "./plan.js";
import { clientDown, clientUp, type PeerStatus, pingUntilReply, showPeers } from "./wireguard.js";

/** One WireGuard peer of the client (a server in the server namespace). */
export interface LabServer {
  readonly index: number;
  /** The client's Endpoint hostname for this peer, e.g. `peer1.wgem.test`. */
  readonly hostname: string;
  /** UDP port the server listens on (51820 + index). */
  readonly port: number;
  readonly publicKey: string;
  /** The server's address inside the tunnel (172.25.<n+index>.1). */
  readonly tunnelAddress: string;
  /** The client's address in the same tunnel subnet (172.25.<n+index>.2). */
  readonly clientTunnelAddress: string;
  /** The server's WireGuard interface name (inside the server namespace). */
  readonly iface: string;
}

export interface TunnelWaitOptions {
  /** Give up after this long (default 8 s; a first handshake can take ~5 s after a failure). */
  readonly timeoutMs?: number;
}

export class Lab {
  readonly faults: Faults;
  /** PID of the client's wireguard-go (daemonized by wg-quick), once up. */
  clientWgPid: number | undefined;
  readonly serverDaemons: Daemon[] = [];
  readonly servers: LabServer[] = [];
  private destroyed: Promise<void> | undefined;
  private clientIsUp = false;

  constructor(
    readonly names: LabNames,
    readonly dns: LabDns,
    /** Keep the tmp dir (logs) after `destroy()`. */
    private readonly keepTmp = process.env["WGEM_LAB_KEEP"] === "1",
  ) {
    this.faults = new Faults(names);
  }

  /** The client's WireGuard interface, `wgc<id>`. */
  get interface(): string {
    return this.names.clientIface;
  }
  get clientNamespace(): string {
    return this.names.clientNs;
  }
  get serverNamespace(): string {
    return this.names.serverNs;
  }
  /** The tool's state dir (set in the namespace's /etc/wg-endpoint-manager/config.json). */
  get stateDir(): string {
    return join(this.names.tmpDir, "state");
  }
  /** The client's wg-quick file as seen from the host. */
  get clientConfFile(): string {
    return join(this.names.clientEtc, "wireguard", `${this.names.clientIface}.conf`);
  }

  /** Runs `argv` inside the client namespace; never throws. */
  clientExec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return run(inNs(this.names.clientNs, argv), options);
  }

  /** Runs `argv` inside the namespace of server `index` (all servers share one); never throws. */
  serverExec(
    index: number,
    argv: readonly string[],
    options: ExecOptions = {},
  ): Promise<ExecResult> {
    this.server(index);
    return run(inNs(this.names.serverNs, argv), options);
  }

  /** Runs the built CLI in the client namespace (cwd = the lab's tmp dir); never throws. */
  runTool(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return run(inNs(this.names.clientNs, [process.execPath, TOOL_BIN, ...args]), {
      cwd: this.names.tmpDir,
      timeoutMs: 30_000,
      ...options,
    });
  }

  /** Writes the tool's settings file in the namespace; `stateDir` defaults to the lab's. */
  async writeToolConfig(settings: Readonly<Record<string, unknown>> = {}): Promise<void> {
    const dir = join(this.names.clientEtc, "wg-endpoint-manager");
    await mkdir(dir, { recursive: true });
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    const body = { stateDir: this.stateDir, ...settings };
    await writeFile(join(dir, "config.json"), `${JSON.stringify(body, null, 2)}\n`);
  }

  server(index: number): LabServer {
    const server = this.servers[index];
    if (server === undefined) throw new Error(`lab has no server ${index}`);
    return server;
  }

  /** The client's live view of peer `index` (from `wg show <iface> dump`). */
  async peer(index: number): Promise<PeerStatus> {
    const { publicKey } = this.server(index);
    const peers = await showPeers(this.names.clientNs, this.names.clientIface);
    const found = peers.find((p) => p.publicKey === publicKey);
    if (found === undefined) throw new Error(`peer ${index} is not on ${this.interface}`);
    return found;
  }

  /** The live endpoint of peer `index`: `a.b.c.d:port`, `[v6]:port`, or null. */
  async liveEndpoint(index: number): Promise<string | null> {
    return (await this.peer(index)).endpoint ?? null;
  }

  /** `wg set <iface> peer <key> endpoint <endpoint>` in the client namespace (what the tool does). */
  async setEndpoint(index: number, endpoint: string): Promise<void> {
    const { publicKey } = this.server(index);
    const result = await this.clientExec([
      "wg",
      "set",
      this.interface,
      "peer",
      publicKey,
      "endpoint",
      endpoint,
    ]);
    if (result.exitCode !== 0)
      throw new Error(`wg set endpoint ${endpoint}: ${result.stderr.trim()}`);
  }

  /**
   * Pings server `index`'s tunnel address from the client (`ping -c 1 -W 1`, repeated) until one
   * reply or the timeout. True when the tunnel carries traffic.
   */
  async tunnelWorks(
    index: number,
    { timeoutMs = 8_000 }: TunnelWaitOptions = {},
  ): Promise<boolean> {
    return pingUntilReply(this.names.clientNs, this.server(index).tunnelAddress, timeoutMs);
  }

  /** Makes `hostname` resolve to exactly `addresses` in the client namespace (waits until it does). */
  setDns(hostname: string, addresses: readonly string[]): Promise<void> {
    return this.dns.set(hostname, addresses);
  }

  /** What the client namespace's resolver returns for `hostname`. */
  resolve(hostname: string): Promise<string[]> {
    return this.dns.resolve(hostname);
  }

  // --- faults (see faults.ts) ---
  breakIpv6Silently(): Promise<void> {
    return this.faults.breakIpv6Silently();
  }
  breakIpv6Loudly(): Promise<void> {
    return this.faults.breakIpv6Loudly();
  }
  repairIpv6(): Promise<void> {
    return this.faults.repairIpv6();
  }
  makeSilentDead(address: string): Promise<void> {
    return this.faults.makeSilentDead(address);
  }
  revive(address: string): Promise<void> {
    return this.faults.revive(address);
  }
  moveServer(from: string, to: string, fate?: OldAddressFate): Promise<void> {
    return this.faults.moveServer(from, to, fate);
  }
  dropIcmpEcho(): Promise<void> {
    return this.faults.dropIcmpEcho();
  }
  restoreIcmpEcho(): Promise<void> {
    return this.faults.restoreIcmpEcho();
  }
  dropUdpOverIpv6(port = 51820): Promise<void> {
    return this.faults.dropUdpOverIpv6(port);
  }
  restoreUdpOverIpv6(port = 51820): Promise<void> {
    return this.faults.restoreUdpOverIpv6(port);
  }
  clearFaults(): Promise<void> {
    return this.faults.clearAll();
  }
  /** Adds a /32 or /128 to the server namespace (reachable from the client; answers everything). */
  addServerAddress(address: string): Promise<void> {
    return addServerAddress(this.names, address);
  }
  removeServerAddress(address: string): Promise<void> {
    return removeServerAddress(this.names, address);
  }

  /** `wg-quick up` of the client interface (again): re-reads the conf, re-resolves hostnames. */
  async clientUp(): Promise<void> {
    this.clientWgPid = await clientUp(this.names.clientNs, this.names.clientIface);
    this.clientIsUp = true;
  }

  async clientDown(): Promise<void> {
    await clientDown(this.names.clientNs, this.names.clientIface, this.clientWgPid);
    this.clientWgPid = undefined;
    this.clientIsUp = false;
  }

  /**
   * Tears everything down: client interface, servers, dnsmasq, leftover processes in the lab's
   * namespaces, the namespaces, /etc/netns dir, sockets and tmp dir (kept when asked to, or when
   * WGEM_LAB_KEEP=1).
   * Idempotent; never throws.
   */
  destroy(): Promise<void> {
    this.destroyed ??= this.teardown();
    return this.destroyed;
  }

  private async teardown(): Promise<void> {
    const steps: Array<() => Promise<void>> = [
      async () => {
        if (this.clientIsUp || this.clientWgPid !== undefined) await this.clientDown();
      },
      ...this.serverDaemons.map((daemon) => () => daemon.stop()),
      () => this.dns.stop(),
      () => deleteNamespace(this.names.clientNs),
      () => deleteNamespace(this.names.serverNs),
      () => removeLabFiles(this.names, this.keepTmp),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        console.error(`lab ${this.names.id} teardown:`, error);
      }
    }
  }
}
