import { systemClock } from "../clock.js";
import { filterOf } from "../common/interface-filter.js";
import { interruptedExit } from "../common/signals.js";
import { textfileMode } from "../common/textfile-mode.js";
import type { Discovery } from "../discover/discover.js";
import { type SinglePeer, singlePeerConfig } from "../discover/single-peer.js";
import { discoverAll } from "../discover/sources.js";
import type { InterfaceConfig } from "../model.js";
import { formatPass, formatProblem, type Line } from "../report/format.js";
import { exportMetrics } from "../report/metrics-file.js";
import type { Settings } from "../settings/schema.js";
import { acquireLock } from "../state/lock.js";
import { forgetUnmanaged, type PruneScope, pruneState } from "../state/prune.js";
import type { State } from "../state/shape.js";
import { loadState, saveState } from "../state/state.js";
import { type PassDeps, systemDeps } from "./deps.js";
import { EXIT, exitCodeFor, peerFailed } from "./exit-code.js";
import { pruneScope } from "./prune-scope.js";
import { type PassResult, reconcile } from "./reconcile.js";

/** When the last pass ended (ms since the epoch), how long it took, whether it found this host offline. */
export interface PassTiming {
  readonly at: number;
  readonly durationMs: number;
  readonly hostOffline: boolean;
}

/** What one pass is asked to do. */
export interface PassRequest {
  readonly settings: Settings;
  readonly dryRun: boolean;
  /**
   * The peers to reconcile: the original script's one peer, or (when absent) every `*.conf` in
   * `settings.configDir` that the filter selects; the watch service brings its own.
   */
  readonly single?: SinglePeer | undefined;
  /** A cron run's SIGTERM/SIGINT: stop waiting, undo unverified moves, save, report, exit 143/130. */
  readonly signal?: AbortSignal | undefined;
  /** The side effects; the real ones (opened and closed here) when absent. */
  readonly deps?: PassDeps;
  /** Set by the watch service, which reads the files, holds the lock and keeps the state. */
  readonly watch?: WatchPass;
}

/** What the watch service brings to a pass. */
export interface WatchPass {
  /** The configs in force, narrowed to the peers this pass is for. */
  readonly interfaces: readonly InterfaceConfig[];
  /** The state as the last pass left it; the service holds the lock for its whole life. */
  readonly state: State;
  /** Peers the stall poll found suspect, by `iface/publicKey`, with the reason. */
  readonly suspects: ReadonlyMap<string, string>;
  /** What a full pass may forget; undefined for a pass over some peers, which forgets nothing. */
  readonly prune: PruneScope | undefined;
}

/** What a pass has to say: lines to print, the `--json` document, the exit code. */
export interface PassReport {
  readonly lines: readonly Line[];
  /** Undefined when the pass did not run (another one holds the lock). */
  readonly json?: object;
  readonly exitCode: number;
  readonly result?: PassResult;
  /** The state the pass left (saved unless --dry-run), for watch mode to keep. */
  readonly state?: State;
  /** When the pass ended and how long it took (for the metrics). */
  readonly timing?: PassTiming;
}

/**
 * One whole pass: discover the peers, take the lock and the state, then observe, resolve, probe,
 * decide, apply and verify (reconcile.ts), save the state, and report. Cron and watch both use it.
 */
export async function runPass(request: PassRequest): Promise<PassReport> {
  const { settings, dryRun, watch } = request;
  const clock = request.deps?.clock ?? systemClock;
  const started = clock.now();
  const discovery = await discoverPeers(request);
  // Which state entries this pass may forget: the service says; the original script's one peer
  // reads no file, so none; a cron run over the folder, those of peers gone from what it read.
  const prune = watch
    ? watch.prune
    : request.single
      ? undefined
      : pruneScope(discovery, filterOf(settings));
  const lock = dryRun || watch ? undefined : await acquireLock(settings.stateDir);
  if (lock !== undefined && "heldBy" in lock) {
    const text = `another wg-endpoint-manager (PID ${lock.heldBy}) is running; skipping this pass`;
    return { lines: [{ level: "warning", text }], exitCode: EXIT.ok };
  }
  try {
    const loaded = watch ? { state: watch.state } : await loadState(settings.stateDir);
    const text = "text" in loaded ? loaded.text : undefined;
    const { deps, close } = depsFor(request);
    const result = await reconcile(discovery.interfaces, settings, loaded.state, deps, {
      dryRun,
      suspects: watch?.suspects,
      signal: request.signal,
    }).finally(close);
    const kept = prune === undefined ? result.state : pruneState(result.state, prune);
    const state = forgetUnmanaged(kept, result.unmanaged);
    if (!dryRun) await saveState(settings.stateDir, state, text);
    const ended = clock.now();
    const timing = {
      at: ended,
      durationMs: ended - started,
      hostOffline: result.hostOffline === true,
    };
    const { textfile, textfileMode: mode } = settings.metrics;
    const exported = dryRun ? [] : await exportMetrics(textfile, state, timing, textfileMode(mode));
    const problems = [...discovery.problems, ...result.problems, ...exported];
    // The service reports a file's problems when it reads the file, not again on every pass.
    const shown = watch ? result.problems.filter((p) => p.kind !== "config") : result.problems;
    const lines: Line[] = [
      ...("warning" in loaded && loaded.warning
        ? [{ level: "warning" as const, text: `warning: ${loaded.warning}` }]
        : []),
      ...discovery.problems.map(formatProblem),
      ...formatPass({ ...result, problems: shown }),
      ...exported.map(formatProblem),
    ];
    const interrupted = interruptedExit(request.signal);
    if (interrupted !== undefined) lines.push(stoppedLine(request.signal, dryRun));
    const json = { problems, outcomes: result.outcomes, unmanaged: result.unmanaged };
    const exitCode =
      interrupted ?? exitCodeFor(problems, result.outcomes.filter(peerFailed).length);
    return { lines, json, exitCode, result, state, timing };
  } finally {
    await lock?.release();
  }
}

// --- internal ---

async function discoverPeers(request: PassRequest): Promise<Discovery> {
  if (request.single) return { interfaces: [singlePeerConfig(request.single)], problems: [] };
  if (request.watch) return { interfaces: request.watch.interfaces, problems: [] };
  return discoverAll(request.settings, filterOf(request.settings));
}

function stoppedLine(signal: AbortSignal | undefined, dryRun: boolean): Line {
  const why = signal?.reason instanceof Error ? signal.reason.message : "interrupted";
  const saved = dryRun ? "" : "; state saved";
  return { level: "warning", text: `warning: ${why}: stopped, unverified moves undone${saved}` };
}

function depsFor(request: PassRequest): { deps: PassDeps; close: () => void } {
  if (request.deps !== undefined) return { deps: request.deps, close: () => {} };
  const deps = systemDeps(request.settings);
  return { deps, close: deps.close };
}
