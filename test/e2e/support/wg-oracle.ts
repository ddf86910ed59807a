/**
 * `wg` itself as the judge of config files: a network namespace of our own (with /etc/hosts and
 * nsswitch.conf of our own under /etc/netns/NS), one wireguard-go interface in it that is never
 * brought up (so nothing is ever sent), and a batch that runs `wg-quick strip FILE | wg setconf`
 * and `wg show IFACE dump` for every file, in one process inside the namespace. Serves
 * test/e2e/parser-differential.test.ts and test/e2e/corpus-wg.test.ts. The oracle's tmp dir holds
 * an owner file first, so a crashed run's leftovers go at the next `cleanupStaleOracles()`.
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { WgPeer } from "../../support/corpus.js";
import { type Daemon, inNs, runOk, startDaemon, waitFor } from "../lab/exec.js";
import { type OracleNames, oracleNames, removeOracle } from "../lab/oracle-ns.js";
import { claimOwner } from "../lab/owner.js";
import { cleanupStaleOracles } from "../lab/stale.js";

/** What `wg` made of one file: accepted (with the peers it set) or rejected (with its stderr). */
export type Verdict =
  | { readonly accepted: true; readonly peers: readonly WgPeer[] }
  | {
      readonly accepted: false;
      readonly stage: "wg-quick strip" | "wg setconf";
      /** The failing command's stderr, trimmed. */
      readonly error: string;
    };

/** A namespace with a wireguard-go interface, ready to judge files. */
export interface Oracle {
  /** Its namespace, interface, socket and tmp dir. */
  readonly names: OracleNames;
  /**
   * Judges every file (name -> contents), in one batch. Names are kept as the files' names
   * (`NAME.conf`): wg-quick takes only valid interface names (15 characters at most).
   */
  judge(files: ReadonlyMap<string, string | Uint8Array>): Promise<Map<string, Verdict>>;
  /** Stops wireguard-go (by PID), deletes the namespace and every file made. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates the namespace and the interface. Its /etc/hosts: `hosts` as name -> address (and
 * localhost), or a hosts(5) file's text as it is.
 */
export async function createOracle(hosts: ReadonlyMap<string, string> | string): Promise<Oracle> {
  await cleanupStaleOracles();
  const names = oracleNames(randomBytes(3).toString("hex"));
  // Exclusive: an id in use by a live oracle throws here instead of being shared.
  await claimOwner(names.ownerFile, { exclusive: true });
  let daemon: Daemon | undefined;
  const close = async () => {
    await daemon?.stop();
    daemon = undefined;
    await removeOracle(names);
  };
  try {
    await writeEtc(names.etc, hosts);
    await runOk(["ip", "netns", "add", names.ns]);
    const log = join(names.tmpDir, "wireguard-go.log");
    daemon = startDaemon(inNs(names.ns, ["wireguard-go", "-f", names.iface]), log);
    const exists = () =>
      access(names.socket).then(
        () => true,
        () => false,
      );
    if (!(await waitFor(exists, { timeoutMs: 5_000, intervalMs: 20 }))) {
      throw new Error(`wireguard-go ${names.iface} did not create ${names.socket} (see ${log})`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { names, close, judge: (files) => judge(names, files) };
}

// --- internal ---

async function writeEtc(etc: string, hosts: ReadonlyMap<string, string> | string): Promise<void> {
  await mkdir(etc, { recursive: true });
  await writeFile(join(etc, "hosts"), typeof hosts === "string" ? hosts : hostsText(hosts));
  // Names come from /etc/hosts only; DNS is never asked (and loopback is down in the namespace).
  await writeFile(join(etc, "nsswitch.conf"), "hosts: files\nservices: files\n");
  await writeFile(join(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
}

function hostsText(hosts: ReadonlyMap<string, string>): string {
  const lines = ["127.0.0.1 localhost", ...[...hosts].map(([name, addr]) => `${addr} ${name}`)];
  return `${lines.join("\n")}\n`;
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
  names: OracleNames,
  files: ReadonlyMap<string, string | Uint8Array>,
): Promise<Map<string, Verdict>> {
  const batch = await mkdtemp(join(names.tmpDir, "batch-"));
  const paths: string[] = [];
  for (const [name, text] of files) {
    const path = join(batch, `${name}.conf`);
    await writeFile(path, text, { mode: 0o600 });
    paths.push(path);
  }
  await runOk(inNs(names.ns, ["bash", "-c", BATCH, "batch", names.iface, ...paths]), {
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
        peers: parseDump(await readFile(`${base}.dump`, "utf8")),
      });
    } else if (rc === "wg-quick strip" || rc === "wg setconf") {
      const error = (await readFile(`${base}.err`, "utf8")).trim();
      verdicts.set(name, { accepted: false, stage: rc, error });
    } else throw new Error(`no verdict for ${name}: ${rc}`);
  }
  await rm(batch, { recursive: true, force: true });
  return verdicts;
}

// The peer lines of `wg show IFACE dump`, in its order (wireguard-go's varies from run to run).
// NOTE: the dump holds the private and preshared keys: only columns 1 and 3 are kept.
function parseDump(dump: string): WgPeer[] {
  const lines = dump
    .split("\n")
    .slice(1)
    .filter((line) => line !== "");
  return lines.map((line) => {
    const [publicKey = "", , endpoint = "(none)"] = line.split("\t");
    return { publicKey, endpoint: endpoint === "(none)" ? null : endpoint };
  });
}
