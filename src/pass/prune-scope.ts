import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { type Discovery, interfaceName } from "../discover/discover.js";
import { peerKey } from "../model.js";
import type { PruneScope } from "../state/prune.js";

/**
 * What a pass over what discover() read under `filter` may forget. Entries of
 * interfaces the filter left out (`-i wg0` keeps wg1), and of files that could not be read this
 * time, are kept. Nothing is forgotten after a folder-level problem (folder missing or empty):
 * an unmounted /etc/wireguard must not wipe the state.
 */
export function pruneScope(
  { interfaces, problems }: Pick<Discovery, "interfaces" | "problems">,
  filter: InterfaceFilter,
): PruneScope {
  const folderTrouble = problems.some((p) => p.kind === "environment" && p.severity === "error");
  const unread = new Set(
    problems.flatMap((p) =>
      p.at === undefined ? [] : [p.iface ?? interfaceName(p.at.file) ?? ""],
    ),
  );
  const known = new Set(
    interfaces.flatMap((c) => c.peers.map((p) => peerKey(c.iface, p.publicKey))),
  );
  return {
    known,
    keep: (iface) => folderTrouble || unread.has(iface) || !selects(filter, iface),
  };
}
