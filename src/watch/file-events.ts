import { formatProblem } from "../report/format.js";
import { peerKey } from "../state/state.js";
import type { ConfigSet } from "./config-set.js";
import type { Log } from "./log.js";
import type { FileEvent } from "./service-deps.js";

/**
 * A config file was added, changed or removed: updates the set in force and logs what happened.
 * Returns the peers to reconcile at once (none for a removed file), or undefined when the set
 * did not change (not a *.conf file, an interface the filter leaves out, a file now broken).
 */
export async function configFileChanged(
  event: FileEvent,
  configs: ConfigSet,
  log: Log,
): Promise<Set<string> | undefined> {
  if (!event.path.endsWith(".conf")) return undefined;
  if (event.kind === "unlink") {
    const iface = configs.remove(event.path);
    if (iface === undefined) return undefined;
    log.line({ level: "change", text: `${event.path} removed: ${iface} is no longer managed` });
    return new Set();
  }
  const reload = await configs.reload(event.path);
  for (const p of reload.problems) log.line(formatProblem(p));
  if (reload.iface === undefined) return undefined;
  log.line({ level: "info", text: `${event.path} changed: reconciling ${reload.iface}` });
  const config = configs.interfaces().find((c) => c.iface === reload.iface);
  return new Set((config?.peers ?? []).map((p) => peerKey(p.iface, p.publicKey)));
}
