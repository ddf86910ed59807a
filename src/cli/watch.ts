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
  const load = async () => withFlags((await loadSettings(args.config)).settings, args);
  const loaded = await loadSettings(args.config);
  const settings = withFlags(loaded.settings, args);
  const lock = await acquireLock(settings.stateDir);
  if ("heldBy" in lock) {
    log.line({
      level: "error",
      text: `error: another wg-endpoint-manager (PID ${lock.heldBy}) holds ${settings.stateDir}/lock; only one may run`,
    });
    return EXIT.environment;
  }
  // Listening from here to the lock's release: a signal in start-up or in the last pass must
  // not take the default action (death with the lock held and state unsaved).
  const signals = listenForSignals();
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
    signals.onHangup(() => void service.reloadSettings());
    await service.start(loaded.file);
    log.line({
      level: "change",
      text: `watching ${settings.configDir} (full pass every ${settings.watch.intervalSeconds} s)`,
    });
    const signal = await signals.stop;
    log.line({ level: "change", text: `${signal}: finishing the pass under way, then stopping` });
    await service.stop();
    return EXIT.ok;
  } finally {
    await lock.release();
    signals.dispose();
  }
}

// --- internal ---

/**
 * SIGINT/SIGTERM resolve `stop` (repeats are ignored); SIGHUP calls the hangup handler once one
 * is set. The listeners stay until dispose(): execa's signal-exit re-raises a signal that no
 * other listener handles, which would kill the service while a `wg` child runs.
 */
function listenForSignals(): {
  stop: Promise<string>;
  onHangup(handler: () => void): void;
  dispose(): void;
} {
  let hangup: (() => void) | undefined;
  let stopped: (signal: string) => void = () => {};
  const stop = new Promise<string>((resolve) => {
    stopped = resolve;
  });
  const onStop = (signal: string) => stopped(signal);
  const onHangup = () => hangup?.();
  process.on("SIGINT", onStop);
  process.on("SIGTERM", onStop);
  process.on("SIGHUP", onHangup);
  return {
    stop,
    onHangup(handler) {
      hangup = handler;
    },
    dispose() {
      process.off("SIGINT", onStop);
      process.off("SIGTERM", onStop);
      process.off("SIGHUP", onHangup);
    },
  };
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
