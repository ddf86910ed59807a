/**
 * SIGINT/SIGTERM resolve `stop` (repeats are ignored); SIGHUP calls the hangup handler once one
 * is set. The listeners stay until dispose(): execa's signal-exit re-raises a signal that no
 * other listener handles, which would kill the service while a `wg` child runs.
 */
export function listenForSignals(): {
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
