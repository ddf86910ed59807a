import { filterOf } from "../common/interface-filter.js";
import { printable, printableJson } from "../common/redact.js";
import { EXIT } from "../pass/exit-code.js";
import type { Line } from "../report/format.js";
import { nagiosVerdict } from "../report/nagios.js";
import { peerTable, type RecordedPeer, recordedPeers } from "../report/peer-table.js";
import { loadSettings } from "../settings/load.js";
import type { Settings } from "../settings/schema.js";
import { SettingsError } from "../settings/validate.js";
import { StateError } from "../state/errors.js";
import { loadState } from "../state/state.js";
import type { Args } from "./args.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";
import { printLines } from "./print.js";

/** `status`: a table of the peers from the state file the passes keep; works without the service. */
export async function status(args: Args, io: Io): Promise<number> {
  if (args.nagios) return nagios(args, io);
  const settings = withFlags((await loadSettings(args.config)).settings, args);
  const { lines, json } = await readRecordedPeers(settings, Date.now());
  if (args.json) {
    printLines(
      lines.filter((l) => l.level === "warning"),
      args.verbosity,
      io,
    );
    io.stdout(`${printableJson(json)}\n`);
  } else printLines(lines, args.verbosity, io);
  return EXIT.ok;
}

/** What the passes kept, for `status`: lines to print and the `--json` document. */
export async function readRecordedPeers(
  settings: Settings,
  now: number,
): Promise<{ lines: Line[]; json: object; rows: RecordedPeer[]; unreadable?: string }> {
  const { state, warning, unreadable } = await loadState(settings.stateDir);
  const rows = recordedPeers(state, filterOf(settings));
  const lines: Line[] = [
    ...(warning ? [{ level: "warning" as const, text: `warning: ${warning}` }] : []),
    ...peerTable(rows, settings.stateDir, now).map((text) => ({
      level: "change" as const,
      text,
    })),
  ];
  return { lines, json: rows, rows, ...(unreadable !== undefined ? { unreadable } : {}) };
}

// --- internal ---

/**
 * `status --check`, a Nagios/Icinga check: one line on stdout, exit 0, 1 or 3. Settings or a
 * state folder it cannot use are UNKNOWN (3) too: a monitor reads any other status as a bug.
 */
async function nagios(args: Args, io: Io): Promise<number> {
  try {
    const settings = withFlags((await loadSettings(args.config)).settings, args);
    const now = Date.now();
    const { rows, unreadable } = await readRecordedPeers(settings, now);
    const { intervalSeconds } = settings.watch;
    const { stateDir } = settings;
    const result = nagiosVerdict(rows, { now, intervalSeconds, stateDir, unreadable });
    io.stdout(`${printable(result.line)}\n`);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof SettingsError || error instanceof StateError)) throw error;
    io.stdout(`UNKNOWN: ${printable(error.message)}\n`);
    return 3;
  }
}
