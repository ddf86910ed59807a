/**
 * Ground truth from `wg` itself: a throwaway wireguard-go interface in a network namespace of its
 * own, configured with `wg-quick strip FILE | wg setconf`, read back with `wg show IFACE dump`.
 * Endpoint names resolve through the namespace's /etc/hosts only (a copy of the corpus hosts
 * file, documentation addresses); the namespace has no DNS server and nothing leaves it.
 */
import { randomBytes } from "node:crypto";
import { access, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Daemon, inNs, run, runOk, startDaemon, waitFor } from "../lab/exec.js";
import { deleteNamespace } from "../lab/namespace.js";
import { NS_PREFIX } from "../lab/plan.js";

/** What wg did with one config file. */
export type WgVerdict =
  | { readonly accepted: true; readonly peers: readonly WgDumpPeer[] }
  | { readonly accepted: false; readonly error: string };

/** One peer line of `wg show IFACE dump`: its key and endpoint (`(none)` as null). */
export interface WgDumpPeer {
  readonly publicKey: string;
  readonly endpoint: string | null;
}

/** One namespace, one wireguard-go interface; `apply()` any number of files, then `destroy()`. */
export class WgSandbox {
  private constructor(
    private readonly ns: string,
    private readonly iface: string,
    private readonly tmp: string,
    private readonly daemon: Daemon,
  ) {}

  /** Creates the namespace (with `hostsFile` as its /etc/hosts) and starts wireguard-go. */
  static async create(hostsFile: string): Promise<WgSandbox> {
    const id = randomBytes(3).toString("hex");
    const ns = `${NS_PREFIX}t-${id}`;
    const iface = `wgt${id}`;
    const tmp = await mkdtemp(join(tmpdir(), "wgem-truth-"));
    await runOk(["ip", "netns", "add", ns]);
    const etc = join("/etc/netns", ns);
    await mkdir(etc, { recursive: true });
    await copyFile(hostsFile, join(etc, "hosts"));
    // No resolver: a name missing from hosts fails at once instead of leaving the namespace.
    await writeFile(join(etc, "resolv.conf"), "nameserver 127.0.0.1\n");
    const daemon = startDaemon(inNs(ns, ["wireguard-go", "-f", iface]), join(tmp, "wg-go.log"));
    const sandbox = new WgSandbox(ns, iface, tmp, daemon);
    const socket = `/var/run/wireguard/${iface}.sock`;
    const up = await waitFor(
      () =>
        access(socket).then(
          () => true,
          () => false,
        ),
      {
        timeoutMs: 5_000,
        intervalMs: 50,
      },
    );
    if (!up) {
      await sandbox.destroy();
      throw new Error(`wireguard-go ${iface} did not create ${socket}`);
    }
    return sandbox;
  }

  /** `wg-quick strip FILE`, `wg setconf` on the sandbox interface, and the resulting peers. */
  async apply(file: string): Promise<WgVerdict> {
    // wg-quick derives the interface name from the file name: keep it.
    const copy = join(this.tmp, basename(file));
    await copyFile(file, copy);
    const strip = await run(["wg-quick", "strip", copy]);
    if (strip.exitCode !== 0) return { accepted: false, error: strip.stderr.trim() };
    const stripped = join(this.tmp, "stripped");
    await writeFile(stripped, strip.stdout, { mode: 0o600 });
    const set = await run(inNs(this.ns, ["wg", "setconf", this.iface, stripped]), {
      env: { WG_ENDPOINT_RESOLUTION_RETRIES: "0" },
    });
    if (set.exitCode !== 0) return { accepted: false, error: set.stderr.trim() };
    // NOTE: the dump holds the private and preshared keys: only columns 1 and 3 are kept.
    const dump = await runOk(inNs(this.ns, ["wg", "show", this.iface, "dump"]));
    const peers = dump
      .split("\n")
      .slice(1)
      .filter((line) => line !== "")
      .map((line) => {
        const [publicKey = "", , endpoint = "(none)"] = line.split("\t");
        return { publicKey, endpoint: endpoint === "(none)" ? null : endpoint };
      });
    return { accepted: true, peers };
  }

  /** Stops wireguard-go and removes the namespace and every file made. Never throws. */
  async destroy(): Promise<void> {
    await this.daemon.stop().catch(() => undefined);
    await deleteNamespace(this.ns).catch(() => undefined);
    await rm(join("/etc/netns", this.ns), { recursive: true, force: true });
    await rm(`/var/run/wireguard/${this.iface}.sock`, { force: true });
    await rm(this.tmp, { recursive: true, force: true });
  }
}
