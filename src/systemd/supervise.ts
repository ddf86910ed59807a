import type { PassTiming } from "../pass/pass.js";
import { EMPTY_STATE, type State } from "../state/shape.js";
import { Notifier, takeNotifyEnv } from "./notify.js";
import { statusLine } from "./status-line.js";

/** What systemd is told about: the state and timing of the service's last pass. */
export interface Supervised {
  readonly state: State;
  readonly lastPass: PassTiming | undefined;
}

/** The service's side of systemd supervision (Type=notify, WatchdogSec=). */
export interface Supervision {
  /** After every pass: STATUS= with the new figures. */
  passDone(input: Supervised): void;
  /** Once the first pass has ended and /metrics is bound: READY=1. */
  ready(): void;
  /**
   * On SIGHUP, once ready: RELOADING=1 with MONOTONIC_USEC= (sd_notify(3), Type=notify-reload).
   * Returns what to call when that reload is done: READY=1 once no reload is under way.
   */
  reloading(): () => void;
  /** On SIGTERM: STOPPING=1. The pings go on: the last pass may outlast WatchdogSec. */
  stopping(): void;
  /** At exit: the pings stop. */
  close(): void;
}

/**
 * Supervision by systemd when it listens (NOTIFY_SOCKET and NOTIFY_FD, taken out of `env`).
 * The watchdog ping is a timer on the event loop, every half WATCHDOG_USEC as sd_watchdog_enabled(3)
 * advises: a wedged event loop stops the pings and systemd restarts the service. Each ping also
 * refreshes STATUS=, so its "last pass N s ago" stays true between passes.
 */
export function superviseBySystemd(
  env: NodeJS.ProcessEnv,
  onError: (message: string) => void,
): Supervision | undefined {
  const notify = takeNotifyEnv(env, process.pid);
  if (notify === undefined) return undefined;
  if (typeof notify === "string") {
    onError(notify);
    return undefined;
  }
  return supervise(notify.watchdogMs, new Notifier(notify.fd, onError), Date.now, monotonicUsec);
}

/** CLOCK_MONOTONIC in µs, as MONOTONIC_USEC= wants it. */
export function monotonicUsec(): bigint {
  // NOTE: Node's hrtime reads CLOCK_MONOTONIC on Linux (libuv's uv_hrtime).
  return process.hrtime.bigint() / 1000n;
}

/** The supervision itself, given the watchdog period (if on), where messages go, and clocks. */
export function supervise(
  watchdogMs: number | undefined,
  notifier: Pick<Notifier, "send">,
  now: () => number,
  monotonic: () => bigint = monotonicUsec,
): Supervision {
  let latest: Supervised | undefined;
  let stopped = false;
  let ready = false;
  let reloads = 0;
  const status = () =>
    stopped
      ? STOPPING
      : reloads > 0
        ? RELOADING
        : statusLine(latest ?? { state: EMPTY_STATE, lastPass: undefined }, now());
  const watchdog =
    watchdogMs === undefined
      ? undefined
      : setInterval(
          () => notifier.send({ WATCHDOG: "1", STATUS: status() }),
          Math.max(1, Math.floor(watchdogMs / 2)),
        );
  watchdog?.unref();
  return {
    passDone(input) {
      latest = input;
      notifier.send({ STATUS: status() });
    },
    ready() {
      if (stopped) return;
      ready = true;
      notifier.send({ READY: "1", STATUS: status() });
    },
    // Before READY=1, systemd is still starting the service: a reload then says nothing.
    reloading() {
      if (!ready || stopped) return () => {};
      if (reloads++ === 0)
        notifier.send({ RELOADING: "1", MONOTONIC_USEC: String(monotonic()), STATUS: status() });
      let done = false;
      return () => {
        if (done) return;
        done = true;
        if (--reloads === 0 && !stopped) notifier.send({ READY: "1", STATUS: status() });
      };
    },
    stopping() {
      stopped = true;
      notifier.send({ STOPPING: "1", STATUS: STOPPING });
    },
    close() {
      clearInterval(watchdog);
    },
  };
}

// --- internal ---

const STOPPING = "stopping: finishing the pass under way";
const RELOADING = "reloading the settings";
