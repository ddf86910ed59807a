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
