/**
 * The names of an oracle (test/e2e/support/wg-oracle.ts: one wireguard-go interface in a namespace
 * of its own, judging config files with `wg`) and its teardown, shared by the oracle and by
 * `cleanupStaleOracles()`. Every name derives from a random 6-hex id.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteNamespace } from "./namespace.js";
import { NS_PREFIX } from "./plan.js";

/** Everything one oracle creates outside node: namespace, its /etc, interface, socket, tmp dir. */
export interface OracleNames {
  readonly id: string;
  readonly ns: string;
  /** /etc/netns/<ns>: bind-mounted over /etc inside the namespace. */
  readonly etc: string;
  readonly iface: string;
  /** wireguard-go's control socket (in the one /var/run/wireguard all namespaces share). */
  readonly socket: string;
  /** Config files, wg's answers, wireguard-go's log, and the owner file. */
  readonly tmpDir: string;
  /** Names the owning process; written first, removed last (see owner.ts). */
  readonly ownerFile: string;
}

/** `wgem-o-<id>`: not a lab's `wgem-<tag>[cs]-<id>` for any profile tag. */
export const ORACLE_NS = new RegExp(`^${NS_PREFIX}o-([0-9a-f]{6})$`);
/** The oracle's tmp dir name in os.tmpdir(). */
export const ORACLE_TMP = /^wgem-oracle-([0-9a-f]{6})$/;

/** The names of oracle `id`. */
export function oracleNames(id: string): OracleNames {
  if (!/^[0-9a-f]{6}$/.test(id)) throw new Error(`bad oracle id ${id}`);
  const ns = `${NS_PREFIX}o-${id}`;
  const iface = `wgo${id}`;
  const tmpDir = join(tmpdir(), `wgem-oracle-${id}`);
  return {
    id,
    ns,
    etc: join("/etc/netns", ns),
    iface,
    socket: `/var/run/wireguard/${iface}.sock`,
    tmpDir,
    ownerFile: join(tmpDir, "owner.json"),
  };
}

/** Deletes the namespace (killing what runs in it), its /etc, the socket, and the tmp dir last. */
export async function removeOracle(names: OracleNames): Promise<void> {
  await deleteNamespace(names.ns).catch(() => undefined);
  await rm(names.etc, { recursive: true, force: true });
  await rm(names.socket, { force: true });
  await rm(names.tmpDir, { recursive: true, force: true });
}
