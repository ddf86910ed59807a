import { systemClock } from "../clock.js";
import { listenForSignals } from "../common/signals.js";
import { interfaceTraffic } from "../observe/netdev.js";
import { systemDeps } from "../pass/deps.js";
import { EXIT } from "../pass/exit-code.js";
import type { Log } from "../report/log.js";
import { type MetricsServer, serveMetrics } from "../report/metrics-listener.js";
import { dnsTtl } from "../resolve/ttl.js";
import type { Settings } from "../settings/schema.js";
import { ServiceLock } from "../state/service-lock.js";
import { loadState } from "../state/state.js";
import { superviseBySystemd } from "../systemd/supervise.js";
import { collectGarbageNow } from "../util/full-gc.js";
import { watchFiles } from "./config-files.js";
import { SWEEP_PERIOD_MS } from "./echoes.js";
import { WatchService } from "./service.js";

/** How to run the service: where its settings come from, and where it writes. */
export interface WatchOptions {
  /** Loads the settings (with the command line's flags laid over them) and names their file. */
  readonly loadSettings: () => Promise<{ settings: Settings; file: string | undefined }>;
  readonly dryRun: boolean;
  readonly log: Log;
}

/** The service's life: lock, state, watchers and timers, until SIGINT or SIGTERM; SIGHUP reloads. */
export async function serve(options: WatchOptions): Promise<number> {
  const { log } = options;
  const loaded = await options.loadSettings();
  const { settings } = loaded;
  const lock = await ServiceLock.acquire(settings.stateDir);
  if ("heldBy" in lock) {
    log.line({
      level: "error",
      text: `error: another wg-endpoint-manager (PID ${lock.heldBy}) holds ${settings.stateDir}/lock; only one may run`,
    });
    return EXIT.environment;
  }
  // Listening from here to the lock's release: a signal in start-up or in the last pass must
  // not take the default action (death with the lock held and state unsaved).
  const signals = listenForSignals({ hangup: true });
  let metrics: MetricsServer | undefined;
  const systemd = superviseBySystemd(process.env, (text) =>
    log.line({ level: "warning", text: `warning: ${text}` }),
  );
  try {
    const { state, warning } = await loadState(settings.stateDir);
    if (warning) log.line({ level: "warning", text: `warning: ${warning}` });
    const service = new WatchService(settings, state, options.dryRun, {
      clock: systemClock,
      log,
      makePassDeps: systemDeps,
      watchFiles,
      loadSettings: async () => (await options.loadSettings()).settings,
      interfaceTraffic,
      dnsTtl,
      endpointSweepMs: SWEEP_PERIOD_MS,
      lock,
      passDone: () => {
        systemd?.passDone(service.metricsInput());
        // NOTE(perf): between passes the service allocates little, so V8 seldom collects its old
        // generation, and without this the garbage of polls and passes stays resident (a soak's
        // idle RSS creeps up about 0.3 MB a minute); one full collection per pass keeps it flat.
        collectGarbageNow();
      },
    });
    if (settings.metrics.listen !== undefined) {
      metrics = await serveMetrics(settings.metrics.listen, () => service.metricsInput(), log);
      if (metrics === undefined) return EXIT.environment;
    }
    signals.onHangup(() => {
      const reloaded = systemd?.reloading();
      void service.reloadSettings().finally(() => reloaded?.());
    });
    await service.start(loaded.file);
    // systemctl start returns here: the first pass has ended and /metrics is bound.
    void service.idle().then(() => systemd?.ready());
    const every = settings.watch.intervalSeconds;
    log.line({
      level: "change",
      text: `watching ${watchedSources(settings)} (full pass every ${every} s)`,
    });
    const signal = await signals.stop;
    log.line({
      level: "change",
      text: `${signal}: stopping; the pass under way makes no new move and undoes an unverified one`,
    });
    systemd?.stopping();
    await service.stop(signal);
    return EXIT.ok;
  } finally {
    await metrics?.close();
    await lock.release();
    signals.dispose();
    systemd?.close();
  }
}

// --- internal ---

/** What `watch` reads, for its first line: the wg-quick folder and the managers turned on. */
function watchedSources(settings: Settings): string {
  const { sources } = settings;
  return [
    sources.wgQuick ? settings.configDir : undefined,
    sources.networkd ? "systemd-networkd's .netdev files" : undefined,
    sources.networkManager ? "NetworkManager's keyfiles" : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(", ");
}
