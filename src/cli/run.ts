import { printableJson } from "../common/redact.js";
import { listenForSignals } from "../common/signals.js";
import { runPass } from "../pass/pass.js";
import { loadSettings } from "../settings/load.js";
import type { Args } from "./args.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";
import { printLines } from "./print.js";

/** The zero-argument command: one reconcile pass over every interface, then exit. */
export async function runOnce(args: Args, io: Io): Promise<number> {
  const settings = withFlags((await loadSettings(args.config)).settings, args);
  const single = args.single && { iface: args.interfaces[0] ?? "", ...args.single };
  // From here until the lock is released, SIGTERM and SIGINT end the pass cleanly.
  const signals = listenForSignals({ hangup: false });
  try {
    const { signal } = signals;
    const report = await runPass({ settings, dryRun: args.dryRun, single, signal });
    if (args.json && report.json !== undefined) io.stdout(`${printableJson(report.json)}\n`);
    else printLines(report.lines, args.verbosity, io);
    return report.exitCode;
  } finally {
    signals.dispose();
  }
}
