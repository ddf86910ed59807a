/**
 * Leftovers of crashed or killed runs: labs and oracles whose owner process (owner.ts) is gone.
 * Only `wgem-*` names are ours, and of those only the ones whose owner file names no live process.
 */
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./exec.js";
import { deleteNamespace, removeLabFiles } from "./namespace.js";
import { ORACLE_NS, ORACLE_TMP, oracleNames, removeOracle } from "./oracle-ns.js";
import { ownerAlive } from "./owner.js";
import { E2E_PROFILE, type LabProfile, labNames, NS_PREFIX, TMP_PREFIX } from "./plan.js";

/**
 * Removes leftovers of labs of kind `profile` whose owning process is gone: processes in their
 * namespaces, the `wgem-<tag>c-*` / `wgem-<tag>s-*` namespaces, their /etc/netns dirs,
 * wireguard-go sockets and tmp dirs; then those of dead oracles (`cleanupStaleOracles()`). Labs
 * and oracles of live processes are left alone. Returns the lab ids removed.
 */
export async function cleanupStaleLabs(profile: LabProfile = E2E_PROFILE): Promise<string[]> {
  const ns = new RegExp(`^${NS_PREFIX}${profile.tag}[cs]-([0-9a-f]{6})$`);
  const tmp = new RegExp(`^${TMP_PREFIX}${profile.tag}([0-9a-f]{6})$`);
  const removed: string[] = [];
  for (const id of await findIds(ns, tmp)) {
    const names = labNames(id, profile);
    if (await ownerAlive(join(names.tmpDir, "lab.json"))) continue;
    await deleteNamespace(names.clientNs);
    await deleteNamespace(names.serverNs);
    await removeLabFiles(names);
    removed.push(id);
  }
  await cleanupStaleOracles();
  return removed;
}

/**
 * Removes what oracles of dead processes left: `wgem-o-<id>` namespaces with what runs in them,
 * their /etc/netns dirs, sockets and tmp dirs. Returns the ids removed.
 */
export async function cleanupStaleOracles(): Promise<string[]> {
  const removed: string[] = [];
  for (const id of await findIds(ORACLE_NS, ORACLE_TMP)) {
    const names = oracleNames(id);
    if (await ownerAlive(names.ownerFile)) continue;
    await removeOracle(names);
    removed.push(id);
  }
  return removed;
}

// --- internal ---

// Ids in namespace names (listed or with an /etc/netns dir) and tmp dir names: a run may have
// died at any step of its setup or teardown, leaving any of them alone.
async function findIds(ns: RegExp, tmp: RegExp): Promise<Set<string>> {
  const list = await run(["ip", "netns", "list"], { timeoutMs: 5_000 });
  // `ip netns list` may add " (id: N)" after the name.
  const listed = list.stdout.split("\n").map((line) => line.split(" ")[0] ?? "");
  const etc = await readdir("/etc/netns").catch(() => []);
  const ids = new Set<string>();
  for (const name of [...listed, ...etc]) addId(ids, ns.exec(name));
  for (const entry of await readdir(tmpdir()).catch(() => [])) addId(ids, tmp.exec(entry));
  return ids;
}

function addId(ids: Set<string>, match: RegExpExecArray | null): void {
  if (match?.[1]) ids.add(match[1]);
}
