import { systemClock } from "../clock.js";
import { filterOf } from "../common/interface-filter.js";
import { type Discovery, discover } from "../discover/discover.js";
import { type SinglePeer, singlePeerConfig } from "../discover/single-peer.js";
import type { InterfaceConfig } from "../model.js";
import { formatPass, formatProblem, type Line } from "../report/format.js";
import type { PassTiming } from "../report/metrics.js";
import { exportMetrics } from "../report/metrics-file.js";
import type { Settings } from "../settings/schema.js";
import { acquireLock } from "../state/lock.js";
import { pruneScope, pruneState } from "../state/prune.js";
import { loadState, type State, saveState } from "../state/state.js";
import { EXIT, exitCodeFor, peerFailed } from "./exit-status.js";
import { type PassDeps, type PassResult, reconcile } from "./reconcile.js";
import { systemDeps } from "./system-deps.js";

/** What one pass is asked to do. */
export interface PassRequest {
  readonly settings: Settings;
  readonly dryRun: boolean;
  /** The peers to reconcile: the original script's one peer, the watch service's configs, or
   * (when neither is given) every `*.conf` in `settings.configDir` that the filter selects. */
  readonly single?: SinglePeer | undefined;
  readonly interfaces?: readonly InterfaceConfig[];
  /** Watch mode keeps the state in memory and holds the lock for its whole life. */
  readonly state?: State;
  readonly lockHeld?: boolean;
  /** Peers the watch service found suspect, by `iface/publicKey`. */
  readonly suspects?: ReadonlyMap<string, string>;
  /** Watch mode reports a file's problems when it reads the file, not again on every pass. */
  readonly repeatConfigProblems?: boolean;
  /** The side effects; the real ones (opened and closed here) when absent. */
  readonly deps?: PassDeps;
}

/** What a pass has to say: lines to print, the `--json` document, the exit status. */
export interface PassReport {
  readonly lines: readonly Line[];
  /** Undefined when the pass did not run (another one holds the lock). */
  readonly json?: object;
  readonly exitCode: number;
  readonly result?: PassResult;
  /** When the pass ended and how long it took (for the metrics). */
  readonly timing?: PassTiming;
}

/**
 * One whole pass: discover the peers, take the lock and the state, then observe, resolve, probe,
 * decide, apply and verify (reconcile.ts), save the state, and report. Cron and watch both use it.
 */
export async function runPass(request: PassRequest): Promise<PassReport> {
  const { settings, dryRun } = request;
  const clock = request.deps?.clock ?? systemClock;
  const started = clock.now();
  const discovery = await discoverPeers(request);
  const lock = dryRun || request.lockHeld ? undefined : await acquireLock(settings.stateDir);
  if (lock !== undefined && "heldBy" in lock) {
    const text = `another wg-endpoint-manager (PID ${lock.heldBy}) is running; skipping this pass`;
    return { lines: [{ level: "warning", text }], exitCode: EXIT.ok };
  }
  try {
    const loaded = request.state ? { state: request.state } : await loadState(settings.stateDir);
    const text = "text" in loaded ? loaded.text : undefined;
    const { deps, close } = depsFor(request);
    const result = await reconcile(discovery.interfaces, settings, loaded.state, deps, {
      dryRun,
      suspects: request.suspects,
    }).finally(close);
    const state = pruned(result.state, discovery, request);
    if (!dryRun) await saveState(settings.stateDir, state, text);
    const ended = clock.now();
    const timing = { at: ended, durationMs: ended - started };
    const exported = dryRun ? [] : await exportMetrics(settings.metrics.textfile, state, timing);
    const problems = [...discovery.problems, ...result.problems, ...exported];
    const shown =
      request.repeatConfigProblems === false
        ? result.problems.filter((p) => p.kind !== "config")
        : result.problems;
    const lines = [
      ...("warning" in loaded && loaded.warning
        ? [{ level: "warning" as const, text: `warning: ${loaded.warning}` }]
        : []),
      ...discovery.problems.map(formatProblem),
      ...formatPass({ ...result, problems: shown }),
      ...exported.map(formatProblem),
    ];
    const json = { problems, outcomes: result.outcomes, unmanaged: result.unmanaged };
    const exitCode = exitCodeFor(problems, result.outcomes.filter(peerFailed).length);
    return { lines, json, exitCode, result, timing };
  } finally {
    await lock?.release();
  }
}

// --- internal ---

async function discoverPeers(request: PassRequest): Promise<Discovery> {
  if (request.single) return { interfaces: [singlePeerConfig(request.single)], problems: [] };
  if (request.interfaces) return { interfaces: request.interfaces, problems: [] };
  const { configDir } = request.settings;
  return discover(configDir, filterOf(request.settings));
}

/**
 * The state without peers gone from the config files, when this pass read the files itself:
 * the original script's one peer reads no file, and watch mode keeps its own set of files.
 */
function pruned(state: State, discovery: Discovery, request: PassRequest): State {
  if (request.single !== undefined || request.interfaces !== undefined) return state;
  return pruneState(state, pruneScope(discovery, filterOf(request.settings)));
}

function depsFor(request: PassRequest): { deps: PassDeps; close: () => void } {
  if (request.deps !== undefined) return { deps: request.deps, close: () => {} };
  const deps = systemDeps(request.settings);
  return { deps, close: deps.close };
}
