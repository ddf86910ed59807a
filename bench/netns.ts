/**
 * The benchmark's two network namespaces, its dnsmasq, and teardown. Only names starting with
 * `wgem-bench-` are ever touched; e2e labs (`wgem-c-*`, `wgem-s-*`) are left alone.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveIn, startDnsmasq } from "../test/e2e/lab/dns.js";
import { type Daemon, inNs, processArgv, run, runOk, waitFor } from "../test/e2e/lab/exec.js";
import { deleteNamespace, waitLinkUp } from "../test/e2e/lab/namespace.js";
import {
  BENCH_PREFIX,
  type BenchNames,
  benchNames,
  CLIENT_V4,
  CLIENT_V6,
  DEAD_V4_NETS,
  DEAD_V6_NET,
  ifaceNames,
  LINK_V4_PREFIX,
  LIVE_V6_NET,
  ROUTED_V6,
  SERVER_V4,
  SERVER_V6,
} from "./plan.js";

/** A fresh id whose names are all free; claims its tmp dir with this process's PID. */
export async function claimNames(): Promise<BenchNames> {
  for (let i = 0; i < 20; i++) {
    const names = benchNames(randomBytes(3).toString("hex"));
    const taken = [names.clientEtc, names.tmpDir, `/run/netns/${names.clientNs}`];
    if (taken.some((path) => existsSync(path))) continue;
    await mkdir(names.tmpDir, { recursive: true, mode: 0o700 });
    await writeFile(join(names.tmpDir, "owner.json"), `${JSON.stringify({ pid: process.pid })}\n`);
    return names;
  }
  throw new Error("could not find a free bench id");
}

/** Both namespaces, the veth between them, routes, the live and dead ranges, /etc/netns files. */
export async function createTopology(names: BenchNames, stateDir: string): Promise<void> {
  const c = names.clientNs;
  const s = names.serverNs;
  for (const ns of [c, s]) {
    await runOk(["ip", "netns", "add", ns]);
    const dad = ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"];
    await runOk(inNs(ns, ["sysctl", "-q", "-w", ...dad]));
    await runOk(["ip", "-n", ns, "link", "set", "lo", "up"]);
  }
  const cv = names.clientVeth;
  const sv = names.serverVeth;
  await runOk(["ip", "link", "add", "name", cv, "netns", c, "type", "veth"].concat(peer(sv, s)));
  await runOk(["ip", "-n", c, "addr", "add", `${CLIENT_V4}/${LINK_V4_PREFIX}`, "dev", cv]);
  await runOk(["ip", "-n", c, "addr", "add", `${CLIENT_V6}/64`, "dev", cv, "nodad"]);
  await runOk(["ip", "-n", s, "addr", "add", `${SERVER_V4}/${LINK_V4_PREFIX}`, "dev", sv]);
  await runOk(["ip", "-n", s, "addr", "add", `${SERVER_V6}/64`, "dev", sv, "nodad"]);
  const ends = [
    [c, cv],
    [s, sv],
  ] as const;
  for (const [ns, dev] of ends) await runOk(["ip", "-n", ns, "link", "set", dev, "up"]);
  for (const [ns, dev] of ends) await waitLinkUp(ns, dev);
  for (const net of DEAD_V4_NETS) {
    await runOk(["ip", "-n", c, "route", "add", net, "via", SERVER_V4]);
    // The whole range is local on the server (no neighbour entry per address) and dropped there.
    await runOk(["ip", "-n", s, "route", "add", "local", net, "dev", "lo"]);
    await runOk(inNs(s, ["iptables", "-w", "-A", "INPUT", "-d", net, "-j", "DROP"]));
  }
  await runOk(["ip", "-n", c, "-6", "route", "add", ROUTED_V6, "via", SERVER_V6]);
  await runOk(["ip", "-n", s, "-6", "route", "add", "local", LIVE_V6_NET, "dev", "lo"]);
  await runOk(["ip", "-n", s, "-6", "route", "add", "local", DEAD_V6_NET, "dev", "lo"]);
  await runOk(inNs(s, ["ip6tables", "-w", "-A", "INPUT", "-d", DEAD_V6_NET, "-j", "DROP"]));

  const etc = names.clientEtc;
  await mkdir(join(etc, "wireguard"), { recursive: true, mode: 0o700 });
  await writeFile(join(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
  await writeFile(join(etc, "hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
  // `ip netns exec` can only bind /etc/netns/NS/X over an existing /etc/X.
  await mkdir("/etc/wg-endpoint-manager", { recursive: true });
  await mkdir(join(etc, "wg-endpoint-manager"), { recursive: true });
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(
    join(etc, "wg-endpoint-manager", "config.json"),
    `${JSON.stringify({ stateDir }, null, 2)}\n`,
  );
}

function peer(name: string, ns: string): string[] {
  return ["peer", "name", name, "netns", ns];
}

/** dnsmasq on 127.0.0.1:53 in the client namespace, answering from an addn-hosts file only. */
export class BenchDns {
  private daemon: Daemon | undefined;
  private readonly file: string;

  constructor(private readonly names: BenchNames) {
    this.file = join(names.tmpDir, "dns-hosts");
  }

  get pid(): number | undefined {
    return this.daemon?.pid;
  }

  /** Starts dnsmasq (first call) or makes it re-read the file (SIGHUP); waits for `probe`. */
  async serve(text: string, probe: { name: string; addresses: readonly string[] }): Promise<void> {
    await writeFile(`${this.file}.tmp`, text);
    await rename(`${this.file}.tmp`, this.file);
    if (this.daemon === undefined) {
      this.daemon = startDnsmasq(this.names.clientNs, this.file, this.names.tmpDir, {
        logQueries: false,
      });
    } else {
      if (!this.daemon.running()) throw new Error("dnsmasq is not running");
      process.kill(this.daemon.pid, "SIGHUP");
    }
    const wanted = [...probe.addresses].sort().join(",");
    let last = "";
    const ok = await waitFor(
      async () => {
        last = (await this.resolve(probe.name)).sort().join(",");
        return last === wanted;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    if (!ok) throw new Error(`DNS for ${probe.name}: wanted [${wanted}], got [${last}]`);
  }

  resolve(name: string): Promise<string[]> {
    return resolveIn(this.names.clientNs, name);
  }

  async stop(): Promise<void> {
    await this.daemon?.stop();
  }
}

/** The lab's deleteNamespace, for bench namespaces only. */
function deleteBenchNamespace(ns: string): Promise<void> {
  if (!ns.startsWith(BENCH_PREFIX)) throw new Error(`refusing to delete namespace ${ns}`);
  return deleteNamespace(ns);
}

/** Namespaces, /etc/netns dir, wireguard-go sockets and tmp dir of one bench. Never throws. */
export async function removeBench(names: BenchNames, keepTmp: boolean): Promise<void> {
  const steps = [
    () => deleteBenchNamespace(names.clientNs),
    () => deleteBenchNamespace(names.serverNs),
    () => rm(names.clientEtc, { recursive: true, force: true }),
    ...ifaceNames(names).map(
      (iface) => () => rm(`/var/run/wireguard/${iface}.sock`, { force: true }),
    ),
    () => (keepTmp ? Promise.resolve() : rm(names.tmpDir, { recursive: true, force: true })),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      console.error(`bench ${names.id} teardown:`, error);
    }
  }
}

/** Removes leftovers of earlier bench runs whose process is gone (crashed or SIGKILLed). */
export async function cleanupStaleBenches(): Promise<string[]> {
  const ids = new Set<string>();
  const pattern = /^wgem-bench-([0-9a-f]{6})(?:-[cs])?\b/;
  const list = await run(["ip", "netns", "list"], { timeoutMs: 5_000 });
  for (const line of list.stdout.split("\n")) {
    const id = pattern.exec(line)?.[1];
    if (id) ids.add(id);
  }
  for (const dir of ["/etc/netns", tmpdir()]) {
    for (const entry of await readdir(dir).catch(() => [])) {
      const id = pattern.exec(entry)?.[1];
      if (id) ids.add(id);
    }
  }
  const removed: string[] = [];
  for (const id of ids) {
    const names = benchNames(id);
    if (await ownerAlive(names)) continue;
    await removeBench(names, false);
    removed.push(id);
  }
  return removed;
}

async function ownerAlive(names: BenchNames): Promise<boolean> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(names.tmpDir, "owner.json"), "utf8"));
    if (typeof parsed !== "object" || parsed === null || !("pid" in parsed)) return false;
    return typeof parsed.pid === "number" && (await processArgv(parsed.pid)) !== undefined;
  } catch {
    return false;
  }
}
