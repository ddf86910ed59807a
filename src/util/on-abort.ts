/**
 * Runs `callback` when `signal` aborts, until the returned function is called. However many
 * waits are open at once (one per WireGuard verification, hundreds in a pass), the signal holds
 * one listener: an AbortSignal warns (MaxListenersExceededWarning, to stderr, so to cron's mail)
 * past ten, and listeners added per wait and never removed would pile up in a long-lived daemon.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = WAITING.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    WAITING.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const f of set) f();
        set.clear();
      },
      { once: true },
    );
  }
  const mine = callbacks;
  mine.add(callback);
  return () => {
    mine.delete(callback);
  };
}

// --- internal ---

const WAITING = new WeakMap<AbortSignal, Set<() => void>>();
