import { discover } from "../discover/discover.js";
import { peerFailed, runPass } from "../pass/pass.js";
import { formatPass, formatProblem, type Line } from "../report/format.js";
import { loadSettings } from "../settings/load.js";
import { acquireLock } from "../state/lock.js";
import { pruneScope, pruneState } from "../state/prune.js";
import { loadState, saveState } from "../state/state.js";
import type { Args } from "./args.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";
import { singlePeer, systemDeps } from "./setup.js";

/** The zero-argument command: one reconcile pass over every interface, then exit. */
export async function runOnce(args: Args, io: Io): Promise<number> {
  const settings = withFlags((await loadSettings(args.config, io.cwd)).settings, args);
  const discovery = args.single
    ? { interfaces: [singlePeer(args)], problems: [] }
    : await discover(settings.configDir, {
        include: settings.interfaces,
        exclude: settings.exclude,
      });
  const lock = args.dryRun ? undefined : await acquireLock(settings.stateDir);
  if (lock !== undefined && "heldBy" in lock) {
    io.stderr(`another wg-endpoint-manager (PID ${lock.heldBy}) is running; skipping this pass\n`);
    return EXIT.ok;
  }
  try {
    const loaded = await loadState(settings.stateDir);
    const deps = systemDeps(settings);
    const result = await runPass(discovery.interfaces, settings, loaded.state, deps, {
      dryRun: args.dryRun,
    }).finally(deps.close);
    // Forget peers gone from the config files (not in the one-peer legacy form: it reads no file).
    const filter = { include: settings.interfaces, exclude: settings.exclude };
    const state = args.single
      ? result.state
      : pruneState(result.state, pruneScope(discovery, filter));
    if (!args.dryRun) await saveState(settings.stateDir, state, loaded.text);
    const problems = [...discovery.problems, ...result.problems];
    const lines = [
      ...(loaded.warning
        ? [{ level: "warning" as const, text: `warning: ${loaded.warning}` }]
        : []),
      ...discovery.problems.map(formatProblem),
      ...formatPass(result),
    ];
    if (args.json)
      io.stdout(
        `${JSON.stringify({ problems, outcomes: result.outcomes, unmanaged: result.unmanaged }, null, 2)}\n`,
      );
    else print(lines, args.verbosity, io);
    return exitCodeFor(problems, result.outcomes.filter(peerFailed).length);
  } finally {
    await lock?.release();
  }
}

// --- internal ---

function print(lines: readonly Line[], verbosity: Args["verbosity"], io: Io): void {
  for (const line of lines) {
    if (line.level === "info" && verbosity !== "verbose") continue;
    if (line.level !== "error" && verbosity === "quiet") continue;
    (line.level === "error" || line.level === "warning" ? io.stderr : io.stdout)(`${line.text}\n`);
  }
}
