import { EXIT } from "../pass/exit-status.js";
import { readStatus } from "../pass/status.js";
import { loadSettings } from "../settings/load.js";
import type { Args } from "./args.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";
import { printLines } from "./print.js";

/** `status`: one line per peer from the state file the passes keep; works without the service. */
export async function status(args: Args, io: Io): Promise<number> {
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
