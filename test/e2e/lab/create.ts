/**
 * `createLab()`: builds a lab in a few seconds and returns it ready (tunnels working, unless asked
 * not to wait). On any failure the half-built lab is destroyed before the error is rethrown.
 */
import { randomBytes, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { LabDns } from "./dns.js";
import { wgKeyPairs } from "./keys.js";
import { Lab } from "./lab.js";
import { claimLab, createNamespaces } from "./namespace.js";
import {
  BASE_PORT,
  canonicalIp,
  E2E_PROFILE,
  type LabProfile,
  labNames,
  SERVER_V4,
  SERVER_V6,
  tunnelAddresses,
} from "./plan.js";
import { cleanupStaleLabs } from "./stale.js";
import { startServer, writeClientConf } from "./wireguard.js";

export interface ServerOptions {
  /** The client's Endpoint hostname; default `peer<index+1>.wgem.test`. */
  readonly hostname?: string;
  /**
   * Addresses to put on the server namespace for this server (veth primaries 192.0.2.1 and
   * 2001:db8:1::1 always exist). Default: server 0 [2001:db8:1::1, 192.0.2.1], server 1
   * [2001:db8:2::1, 198.51.100.1]. All servers share the namespace, so any address reaches any
   * server; the port tells them apart.
   */
  readonly addresses?: readonly string[];
  /** Initial DNS answer for `hostname` (what wg-quick resolves); default `addresses`. */
  readonly dns?: readonly string[];
  /** The client's PersistentKeepalive for this peer (seconds); default none. */
  readonly persistentKeepalive?: number;
}

export interface LabOptions {
  /** One entry per server (1 or 2); default one server with defaults. */
  readonly servers?: readonly ServerOptions[];
  /** Addresses made silent-dead (see `Lab.makeSilentDead`) before the client comes up. */
  readonly deadAddresses?: readonly string[];
  /** Extra settings for the tool's config.json (`stateDir` is always the lab's). */
  readonly toolConfig?: Readonly<Record<string, unknown>>;
  /** Wait until every tunnel carries a ping (default true). Pass false for labs broken on purpose. */
  readonly waitForTunnels?: boolean;
  /** Names, link prefix, routes and server ranges (default: the e2e lab's, see plan.ts). */
  readonly profile?: LabProfile;
  /** The TTL of the client's DNS answers, in seconds (default 0, dnsmasq's own default). */
  readonly dnsTtlSeconds?: number;
  /** Keep the tmp dir (logs) after `destroy()`; default: WGEM_LAB_KEEP=1. */
  readonly keepTmp?: boolean;
}

const DEFAULT_ADDRESSES: readonly (readonly string[])[] = [
  [SERVER_V6, SERVER_V4],
  ["2001:db8:2::1", "198.51.100.1"],
];

/** Builds a lab (cleaning up stale labs of dead processes first). Must run as root. */
export async function createLab(options: LabOptions = {}): Promise<Lab> {
  if (process.getuid?.() !== 0) throw new Error("the e2e lab needs root");
  const profile = options.profile ?? E2E_PROFILE;
  const serverOptions = options.servers ?? [{}];
  if (serverOptions.length < 1 || serverOptions.length > profile.maxServers) {
    throw new Error(`a lab has 1 to ${profile.maxServers} servers`);
  }
  await cleanupStaleLabs(profile);
  const names = labNames(uniqueId(profile), profile);
  await claimLab(names);
  const lab = new Lab(names, new LabDns(names, options.dnsTtlSeconds), options.keepTmp);
  try {
    await build(lab, serverOptions, options);
    return lab;
  } catch (error) {
    await lab.destroy();
    throw error;
  }
}

async function build(
  lab: Lab,
  serverOptions: readonly ServerOptions[],
  options: LabOptions,
): Promise<void> {
  const { names } = lab;
  const n = randomInt(1, 255 - names.profile.maxServers);
  await createNamespaces(names);
  await mkdir(join(names.clientEtc, "wireguard"), { recursive: true, mode: 0o700 });
  // `ip netns exec` can only bind /etc/netns/NS/X over an existing /etc/X.
  await mkdir("/etc/wg-endpoint-manager", { recursive: true });
  await lab.writeToolConfig(options.toolConfig);

  const specs = serverOptions.map((opts, index) => {
    const addresses = opts.addresses ?? DEFAULT_ADDRESSES[index] ?? [];
    return {
      index,
      hostname: opts.hostname ?? `peer${index + 1}.wgem.test`,
      addresses,
      dns: opts.dns ?? addresses,
      port: BASE_PORT + index,
      tunnel: tunnelAddresses(n, index),
      iface: names.serverIface(index),
      persistentKeepalive: opts.persistentKeepalive,
    };
  });
  const initialDns = new Map<string, string[]>();
  for (const spec of specs) {
    initialDns.set(spec.hostname, [...(initialDns.get(spec.hostname) ?? []), ...spec.dns]);
  }
  await lab.dns.start(initialDns);

  const [clientKey, ...serverKeys] = await wgKeyPairs(1 + specs.length);
  if (clientKey === undefined) throw new Error("no client key");
  for (const [i, spec] of specs.entries()) {
    const key = serverKeys[i];
    if (key === undefined) throw new Error(`no key for server ${i}`);
    for (const address of spec.addresses) await lab.addServerAddress(canonicalIp(address));
    lab.serverDaemons.push(
      await startServer(names, { ...spec, key, clientPublicKey: clientKey.publicKey }),
    );
    lab.servers.push({
      index: spec.index,
      hostname: spec.hostname,
      port: spec.port,
      publicKey: key.publicKey,
      tunnelAddress: spec.tunnel.server,
      clientTunnelAddress: spec.tunnel.client,
      iface: spec.iface,
    });
  }
  for (const address of options.deadAddresses ?? []) await lab.makeSilentDead(address);

  await writeClientConf(
    names,
    clientKey,
    specs.map((spec) => `${spec.tunnel.client}/24`),
    specs.map((spec) => ({
      publicKey: lab.server(spec.index).publicKey,
      allowedIp: spec.tunnel.server,
      endpoint: `${spec.hostname}:${spec.port}`,
      persistentKeepalive: spec.persistentKeepalive,
    })),
  );
  await lab.clientUp();

  if (options.waitForTunnels ?? true) {
    for (const server of lab.servers) {
      if (!(await lab.tunnelWorks(server.index, { timeoutMs: 8_000 }))) {
        throw new Error(
          `lab ${names.id}: tunnel to server ${server.index} does not work ` +
            "(pass waitForTunnels: false for labs that start broken on purpose)",
        );
      }
    }
  }
}

function uniqueId(profile: LabProfile): string {
  for (let i = 0; i < 20; i++) {
    const id = randomBytes(3).toString("hex");
    const names = labNames(id, profile);
    const taken = [names.clientEtc, names.tmpDir, `/run/netns/${names.clientNs}`];
    if (!taken.some((path) => existsSync(path))) return id;
  }
  throw new Error("could not find a free lab id");
}
