/**
 * SIGINT/SIGTERM resolve `stop` (repeats are ignored); SIGHUP calls the hangup handler once one
 * is set. The listeners stay until dispose(): execa's signal-exit re-raises a signal that no
 * other listener handles, which would kill the service while a `wg` child runs.
 */
export function listenForSignals(): {
  stop: Promise<NodeJS.Signals>;
  onHangup(handler: () => void): void;
  dispose(): void;
} {
  let hangup: (() => void) | undefined;
  let stopped: (signal: NodeJS.Signals) => void = () => {};
  const stop = new Promise<NodeJS.Signals>((resolve) => {
    stopped = resolve;
  });
  const onStop = (signal: NodeJS.Signals) => stopped(signal);
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

/** SIGINT and SIGTERM as an AbortSignal, for a cron run that must stop cleanly within a second. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Removes the listeners; a later signal takes its default action again. */
  dispose(): void;
}

/** The exit code of a run stopped by a signal: 128 + its number, as a shell reports it. */
export const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Listens for SIGINT and SIGTERM until dispose(). The abort reason is an Error whose message
 * ("interrupted by SIGTERM") the report shows, and whose `signal` names the signal.
 */
export function interruptOnSignals(): Interrupt {
  const controller = new AbortController();
  const on = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted)
      controller.abort(Object.assign(new Error(`interrupted by ${name}`), { signal: name }));
  };
  process.on("SIGINT", on);
  process.on("SIGTERM", on);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
    },
  };
}

/** The exit code an aborted signal calls for, if it was aborted by SIGINT or SIGTERM. */
export function interruptedExit(signal: AbortSignal | undefined): number | undefined {
  if (signal?.aborted !== true) return undefined;
  const reason: unknown = signal.reason;
  const name =
    typeof reason === "object" && reason !== null && "signal" in reason ? reason.signal : undefined;
  return typeof name === "string" ? SIGNAL_EXIT[name] : undefined;
}
