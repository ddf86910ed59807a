/**
 * `wg` as the judge of config files: a network namespace of our own (with /etc/hosts and
 * nsswitch.conf of our own under /etc/netns/NS), one wireguard-go interface in it that is never
 * brought up (so nothing is ever sent), and a batch that runs `wg-quick strip FILE | wg setconf`
 * and `wg show IFACE dump` for every file, in one process inside the namespace.
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Daemon, inNs, runOk, startDaemon, waitFor } from "../lab/exec.js";
import { deleteNamespace } from "../lab/namespace.js";

/** What `wg` made of one file: accepted (with the peers' endpoints as dumped) or rejected. */
export type Verdict =
  | { readonly accepted: true; readonly endpoints: ReadonlyMap<string, string> }
  | {
      readonly accepted: false;
      readonly stage: "wg-quick strip" | "wg setconf";
      readonly stderr: string;
    };

/** A namespace with a wireguard-go interface, ready to judge files. */
export interface Oracle {
  readonly iface: string;
  /** Judges every file (name -> text); names must be valid interface names. */
  judge(files: ReadonlyMap<string, string>): Promise<Map<string, Verdict>>;
  /** Stops wireguard-go (by PID), deletes the namespace and every file made. Idempotent. */
  close(): Promise<void>;
}

/** Creates the namespace and the interface; `hosts` is name -> address for its /etc/hosts. */
export async function createOracle(hosts: ReadonlyMap<string, string>): Promise<Oracle> {
  const id = randomBytes(3).toString("hex");
  const ns = `wgem-p-${id}`;
  const iface = `wgp${id}`;
  const etc = join("/etc/netns", ns);
  const dir = await mkdtemp(join(tmpdir(), "wgem-parser-"));
  let daemon: Daemon | undefined;
  const close = async () => {
    await daemon?.stop();
    daemon = undefined;
    await deleteNamespace(ns).catch(() => undefined);
    await rm(etc, { recursive: true, force: true });
    await rm(`/var/run/wireguard/${iface}.sock`, { force: true });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await writeEtc(etc, hosts);
    await runOk(["ip", "netns", "add", ns]);
    daemon = startDaemon(inNs(ns, ["wireguard-go", "-f", iface]), join(dir, "wireguard-go.log"));
    const socket = `/var/run/wireguard/${iface}.sock`;
    const ready = await waitFor(
      () =>
        access(socket).then(
          () => true,
          () => false,
        ),
      {
        timeoutMs: 5_000,
        intervalMs: 20,
      },
    );
    if (!ready) throw new Error(`wireguard-go ${iface} did not create ${socket}`);
  } catch (error) {
    await close();
    throw error;
  }
  return { iface, close, judge: (files) => judge(ns, iface, dir, files) };
}

// --- internal ---

async function writeEtc(etc: string, hosts: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(etc, { recursive: true });
  const lines = ["127.0.0.1 localhost", ...[...hosts].map(([name, addr]) => `${addr} ${name}`)];
  await writeFile(join(etc, "hosts"), `${lines.join("\n")}\n`);
  // Names come from /etc/hosts only; DNS is never asked (and loopback is down in the namespace).
  await writeFile(join(etc, "nsswitch.conf"), "hosts: files\nservices: files\n");
  await writeFile(join(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
}

// One bash inside the namespace runs the whole batch: a process per file through `ip netns exec`
// would cost more than the work. Results land in files next to each config.
const BATCH = `
set -u
iface=$1; shift
for f in "$@"; do
  b=\${f%.conf}
  if ! wg-quick strip "$f" > "$b.stripped" 2> "$b.err"; then echo "wg-quick strip" > "$b.rc"; continue; fi
  if ! wg setconf "$iface" "$b.stripped" 2> "$b.err"; then echo "wg setconf" > "$b.rc"; continue; fi
  wg show "$iface" dump > "$b.dump" && echo ok > "$b.rc"
done
`;

async function judge(
  ns: string,
  iface: string,
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<Map<string, Verdict>> {
  const batch = await mkdtemp(join(dir, "batch-"));
  const paths: string[] = [];
  for (const [name, text] of files) {
    const path = join(batch, `${name}.conf`);
    await writeFile(path, text, { mode: 0o600 });
    paths.push(path);
  }
  await runOk(inNs(ns, ["bash", "-c", BATCH, "batch", iface, ...paths]), {
    timeoutMs: 120_000,
    env: { WG_ENDPOINT_RESOLUTION_RETRIES: "0" },
  });
  const verdicts = new Map<string, Verdict>();
  for (const name of files.keys()) {
    const base = join(batch, name);
    const rc = (await readFile(`${base}.rc`, "utf8").catch(() => "missing")).trim();
    if (rc === "ok") {
      verdicts.set(name, {
        accepted: true,
        endpoints: parseDump(await readFile(`${base}.dump`, "utf8")),
      });
    } else if (rc === "wg-quick strip" || rc === "wg setconf") {
      verdicts.set(name, {
        accepted: false,
        stage: rc,
        stderr: await readFile(`${base}.err`, "utf8"),
      });
    } else throw new Error(`no verdict for ${name}: ${rc}`);
  }
  await rm(batch, { recursive: true, force: true });
  return verdicts;
}

// The peer lines of `wg show IFACE dump`: public key -> endpoint (or "(none)").
function parseDump(dump: string): Map<string, string> {
  const peers = dump.trim().split("\n").slice(1);
  return new Map(peers.map((line) => line.split("\t")).map((f) => [f[0] ?? "", f[2] ?? ""]));
}
