import { systemClock } from "../clock.js";
import { interfaceTraffic } from "../observe/netdev.js";
import { loadSettings } from "../settings/load.js";
import { acquireLock } from "../state/lock.js";
import { loadState } from "../state/state.js";
import { createLog } from "../watch/log.js";
import { type FileEvent, WatchService } from "../watch/service.js";
import type { Args } from "./args.js";
import { EXIT } from "./exit-codes.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";
import { systemDeps } from "./setup.js";

/** `watch`: the service. Runs until SIGINT or SIGTERM; SIGHUP reloads the settings. */
export async function watch(args: Args, io: Io): Promise<number> {
  const log = createLog(
    args.logFormat,
    args.verbosity === "verbose",
    io.stdout,
    io.stderr,
    systemClock.now,
  );
  const load = async () => withFlags((await loadSettings(args.config, io.cwd)).settings, args);
  const loaded = await loadSettings(args.config, io.cwd);
  const settings = withFlags(loaded.settings, args);
  const lock = await acquireLock(settings.stateDir);
  if ("heldBy" in lock) {
    log.line({
      level: "error",
      text: `error: another wg-endpoint-manager (PID ${lock.heldBy}) holds ${settings.stateDir}/lock; only one may run`,
    });
    return EXIT.environment;
  }
  try {
    const { state, warning } = await loadState(settings.stateDir);
    if (warning) log.line({ level: "warning", text: `warning: ${warning}` });
    const service = new WatchService(settings, state, args.dryRun, {
      clock: systemClock,
      log,
      makePassDeps: systemDeps,
      watchFiles,
      loadSettings: load,
      interfaceTraffic,
    });
    await service.start(loaded.file);
    log.line({
      level: "change",
      text: `watching ${settings.configDir} (full pass every ${settings.watch.intervalSeconds} s)`,
    });
    const signal = await untilSignal(() => void service.reloadSettings());
    log.line({ level: "change", text: `${signal}: finishing the pass under way, then stopping` });
    await service.stop();
    return EXIT.ok;
  } finally {
    await lock.release();
  }
}

// --- internal ---

function untilSignal(onHangup: () => void): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.off("SIGHUP", onHangup);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    process.on("SIGHUP", onHangup);
  });
}

async function watchFiles(
  paths: readonly string[],
  onChange: (e: FileEvent) => void,
): Promise<() => Promise<void>> {
  // chokidar is loaded here, so the cron run never pays for it.
  const { watch: chokidar } = await import("chokidar");
  const watcher = chokidar([...paths], {
    ignoreInitial: true,
    depth: 0,
    // Editors save by writing a new file and renaming it over the old one: wait for it to settle.
    atomic: true,
    awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
  });
  watcher.on("add", (path) => onChange({ kind: "add", path }));
  watcher.on("change", (path) => onChange({ kind: "change", path }));
  watcher.on("unlink", (path) => onChange({ kind: "unlink", path }));
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return () => watcher.close();
}
