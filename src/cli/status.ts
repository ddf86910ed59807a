import { printable } from "../common/redact.js";
import { EXIT } from "../pass/exit-status.js";
import { readStatus } from "../pass/status.js";
import { statusCheck } from "../report/status-check.js";
import { loadSettings } from "../settings/load.js";
import { SettingsError } from "../settings/validate.js";
import { StateError } from "../state/errors.js";
import type { Args } from "./args.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";
import { printLines } from "./print.js";

/** `status`: a table of the peers from the state file the passes keep; works without the service. */
export async function status(args: Args, io: Io): Promise<number> {
  if (args.check) return check(args, io);
  const settings = withFlags((await loadSettings(args.config)).settings, args);
  const { lines, json } = await readStatus(settings, Date.now());
  if (args.json) {
    printLines(
      lines.filter((l) => l.level === "warning"),
      args.verbosity,
      io,
    );
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else printLines(lines, args.verbosity, io);
  return EXIT.ok;
}

// --- internal ---

/**
 * `status --check`, a Nagios/Icinga check: one line on stdout, exit 0, 1 or 3. Settings or a
 * state folder it cannot use are UNKNOWN (3) too: a monitor reads any other status as a bug.
 */
async function check(args: Args, io: Io): Promise<number> {
  try {
    const settings = withFlags((await loadSettings(args.config)).settings, args);
    const now = Date.now();
    const { rows } = await readStatus(settings, now);
    const { intervalSeconds } = settings.watch;
    const result = statusCheck(rows, { now, intervalSeconds, stateDir: settings.stateDir });
    io.stdout(`${printable(result.line)}\n`);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof SettingsError || error instanceof StateError)) throw error;
    io.stdout(`UNKNOWN: ${printable(error.message)}\n`);
    return 3;
  }
}
