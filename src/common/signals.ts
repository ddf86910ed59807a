/** The signals a command listens for, from listenForSignals() until dispose(). */
export interface Signals {
  /**
   * Aborted by the first SIGINT or SIGTERM. The reason is an Error whose message ("interrupted
   * by SIGTERM") the report shows, and whose `signal` names the signal.
   */
  readonly signal: AbortSignal;
  /** Resolves with the name of the first SIGINT or SIGTERM; later ones are ignored. */
  readonly stop: Promise<NodeJS.Signals>;
  /** SIGHUP calls `handler` from now on (with `hangup: true`; before a handler is set: nothing). */
  onHangup(handler: () => void): void;
  /** Removes the listeners; a later signal takes its default action again. */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM (a cron run, which must stop cleanly within a second, and the
 * service), and for SIGHUP when `hangup` is set (the service reloads). The listeners stay until
 * dispose(): execa's signal-exit re-raises a signal that no other listener handles, which would
 * kill the process while a `wg` child runs.
 */
export function listenForSignals(options: { readonly hangup: boolean }): Signals {
  const controller = new AbortController();
  let stopped: (signal: NodeJS.Signals) => void = () => {};
  const stop = new Promise<NodeJS.Signals>((resolve) => {
    stopped = resolve;
  });
  let hangup: (() => void) | undefined;
  const onStop = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted)
      controller.abort(Object.assign(new Error(`interrupted by ${name}`), { signal: name }));
    stopped(name);
  };
  const onHangup = () => hangup?.();
  process.on("SIGINT", onStop);
  process.on("SIGTERM", onStop);
  if (options.hangup) process.on("SIGHUP", onHangup);
  return {
    signal: controller.signal,
    stop,
    onHangup(handler) {
      hangup = handler;
    },
    dispose() {
      process.off("SIGINT", onStop);
      process.off("SIGTERM", onStop);
      if (options.hangup) process.off("SIGHUP", onHangup);
    },
  };
}

/** The exit code of a run stopped by a signal: 128 + its number, as a shell reports it. */
export const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The exit code an aborted signal calls for, if it was aborted by SIGINT or SIGTERM. */
export function interruptedExit(signal: AbortSignal | undefined): number | undefined {
  if (signal?.aborted !== true) return undefined;
  const reason: unknown = signal.reason;
  const name =
    typeof reason === "object" && reason !== null && "signal" in reason ? reason.signal : undefined;
  return typeof name === "string" ? SIGNAL_EXIT[name] : undefined;
}
