import { short } from "../report/format.js";
import { loadSettings } from "../settings/load.js";
import { loadState } from "../state/state.js";
import type { Args } from "./args.js";
import { EXIT } from "./exit-codes.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";

/** `status`: one line per peer from the state file the passes keep; works without the service. */
export async function status(args: Args, io: Io): Promise<number> {
  const settings = withFlags((await loadSettings(args.config)).settings, args);
  const { state, warning } = await loadState(settings.stateDir);
  if (warning) io.stderr(`warning: ${warning}\n`);
  const now = Date.now();
  const rows = Object.entries(state.peers)
    .map(([key, peer]) => ({
      iface: key.slice(0, key.indexOf("/")),
      publicKey: key.slice(key.indexOf("/") + 1),
      ...peer,
    }))
    .filter(
      (p) =>
        (settings.interfaces.length === 0 || settings.interfaces.includes(p.iface)) &&
        !settings.exclude.includes(p.iface),
    );
  if (args.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0)
    io.stdout(`no peers recorded yet in ${settings.stateDir}; run wg-endpoint-manager once\n`);
  for (const p of rows) {
    const last = p.last;
    if (last === undefined) continue;
    const hs =
      last.latestHandshake > 0 ? `${Math.round(now / 1000 - last.latestHandshake)} s ago` : "never";
    const candidates = last.candidates
      .map((c) => `${c.address} ${c.alive ? `ok ${c.rttMs ?? 0} ms` : (c.error ?? "dead")}`)
      .join(", ");
    const ago = Math.round((now - last.at) / 1000);
    io.stdout(
      `${p.iface} ${short(p.publicKey)} ${last.hostname} endpoint ${last.endpoint ?? "(none)"} handshake ${hs} | ${candidates} | ${last.action} ${ago} s ago: ${last.reason}\n`,
    );
  }
  return EXIT.ok;
}
