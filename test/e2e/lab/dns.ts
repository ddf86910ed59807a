/**
 * DNS of the client namespace: a real dnsmasq on 127.0.0.1:53 answering A/AAAA from an addn-hosts
 * file (no upstream, no cache), plus /etc/netns/<client>/{resolv.conf,hosts} so the test names come
 * from this DNS only. `set()` rewrites the file, SIGHUPs dnsmasq and waits until the namespace's
 * resolver (glibc, via `getent ahosts`) sees the new answer.
 */
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Daemon, inNs, run, startDaemon, waitFor } from "./exec.js";
import { canonicalIp, type LabNames } from "./plan.js";

/** The DNS of one lab's client namespace (see the top of this file). */
export class LabDns {
  private readonly records = new Map<string, string[]>();
  private daemon: Daemon | undefined;
  private readonly hostsFile: string;

  constructor(
    private readonly names: LabNames,
    /** The TTL of every answer (dnsmasq `--local-ttl`); dnsmasq's default is 0. */
    private readonly ttlSeconds = 0,
  ) {
    this.hostsFile = join(names.tmpDir, "dns-hosts");
  }

  get pid(): number | undefined {
    return this.daemon?.pid;
  }

  /**
   * Writes resolv.conf/hosts for the namespace and starts dnsmasq with `initial` records; waits
   * until the names in `check` (default: all) resolve as given.
   */
  async start(
    initial: ReadonlyMap<string, readonly string[]>,
    check: readonly string[] = [...initial.keys()],
  ): Promise<void> {
    const etc = this.names.clientEtc;
    await writeFile(
      join(etc, "resolv.conf"),
      "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    );
    await writeFile(join(etc, "hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
    for (const [name, addresses] of initial) this.records.set(name, addresses.map(canonicalIp));
    await this.writeHostsFile();
    const tmp = this.names.tmpDir;
    const logQueries = this.names.profile.logDnsQueries;
    const options = { logQueries, ttlSeconds: this.ttlSeconds };
    this.daemon = startDnsmasq(this.names.clientNs, this.hostsFile, tmp, options);
    for (const name of check) await this.waitFor(name, this.records.get(name) ?? []);
  }

  /** Makes `hostname` resolve to exactly `addresses` (none: the name has no records). */
  set(hostname: string, addresses: readonly string[]): Promise<void> {
    return this.setMany(new Map([[hostname, addresses]]));
  }

  /**
   * `set` for many names with one reload of dnsmasq; waits until the names in `check` (default:
   * all of `records`) resolve as given. Other names keep their records.
   */
  async setMany(
    records: ReadonlyMap<string, readonly string[]>,
    check: readonly string[] = [...records.keys()],
  ): Promise<void> {
    for (const [hostname, addresses] of records) {
      if (addresses.length === 0) this.records.delete(hostname);
      else this.records.set(hostname, addresses.map(canonicalIp));
    }
    await this.writeHostsFile();
    const daemon = this.daemon;
    if (daemon === undefined || !daemon.running()) throw new Error("dnsmasq is not running");
    process.kill(daemon.pid, "SIGHUP");
    for (const name of check) await this.waitFor(name, this.records.get(name) ?? []);
  }

  /** What the client namespace's resolver returns for `hostname` (unique addresses, in order). */
  async resolve(hostname: string): Promise<string[]> {
    return (await resolveIn(this.names.clientNs, hostname)).map(canonicalIp);
  }

  async stop(): Promise<void> {
    await this.daemon?.stop();
  }

  private async waitFor(hostname: string, wanted: readonly string[]): Promise<void> {
    const expected = [...new Set(wanted)].sort().join(",");
    let last: string[] = [];
    const ok = await waitFor(
      async () => {
        last = await this.resolve(hostname);
        return [...last].sort().join(",") === expected;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    if (!ok) {
      throw new Error(
        `DNS for ${hostname}: wanted [${expected}], resolver says [${last.join(",")}]`,
      );
    }
  }

  private async writeHostsFile(): Promise<void> {
    const lines: string[] = [];
    for (const [name, addresses] of this.records) {
      for (const address of addresses) lines.push(`${address}\t${name}`);
    }
    const tmp = `${this.hostsFile}.tmp`;
    await writeFile(tmp, lines.map((line) => `${line}\n`).join(""));
    await rename(tmp, this.hostsFile);
  }
}

// --- internal ---

/** dnsmasq in `ns` on 127.0.0.1:53, answering A/AAAA only from `hostsFile` (SIGHUP re-reads it). */
function startDnsmasq(
  ns: string,
  hostsFile: string,
  tmpDir: string,
  options: { logQueries: boolean; ttlSeconds: number },
): Daemon {
  const log = options.logQueries
    ? ["--log-queries", `--log-facility=${join(tmpDir, "dnsmasq.log")}`]
    : [];
  return startDaemon(
    inNs(ns, [
      "dnsmasq",
      "--keep-in-foreground",
      "--conf-file=/dev/null",
      "--no-resolv",
      "--no-hosts",
      `--addn-hosts=${hostsFile}`,
      // Every lab name ends in .test: answered from the hosts file only, so a name without
      // records is NXDOMAIN (as from a real authoritative server), not REFUSED (EAI_AGAIN).
      "--local=/test/",
      "--cache-size=0",
      "--no-negcache",
      `--local-ttl=${options.ttlSeconds}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--port=53",
      "--user=root",
      `--pid-file=${join(tmpDir, "dnsmasq.pid")}`,
      ...log,
    ]),
    join(tmpDir, "dnsmasq.out"),
  );
}

/** The unique addresses glibc in `ns` returns for `name` (`getent ahosts`), in its order. */
async function resolveIn(ns: string, name: string): Promise<string[]> {
  const result = await run(inNs(ns, ["getent", "ahosts", name]), { timeoutMs: 5_000 });
  const seen = new Set<string>();
  for (const line of result.stdout.split("\n")) {
    const address = line.split(/\s+/)[0];
    if (address) seen.add(address);
  }
  return [...seen];
}
