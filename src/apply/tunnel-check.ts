import type { Clock } from "../clock.js";
import type { Verdict } from "../decide/types.js";
import type { Candidate } from "../model.js";
import type { Wg } from "../observe/wg.js";
import type { Pinger } from "../probe/icmp.js";
import { onAbort } from "../util/on-abort.js";

/** Checks one peer's current endpoint through the tunnel. */
export type TunnelChecker = (
  iface: string,
  publicKey: string,
  address: Candidate | undefined,
  signal?: AbortSignal,
) => Promise<Verdict>;

/**
 * Proves that WireGuard traffic flows to a peer: sends echoes through the tunnel to `address`,
 * then waits until something authenticated comes back from the peer. An echo reply counts; so
 * does a growing received counter (a peer answers any data packet with at least a keepalive
 * within 10 s), unless all it grew by is the peer's own handshake initiations, or a newer
 * handshake (sent when keys are old). Nothing within `timeoutMs`: failed.
 */
export function tunnelChecker(
  wg: Wg,
  pinger: Pinger,
  clock: Clock,
  timeoutMs: number,
  pollMs = 200,
): TunnelChecker {
  return async (iface, publicKey, address, signal) => {
    const before = await livePeer(wg, iface, publicKey);
    if (before === undefined) return { ok: false, how: `peer is no longer on ${iface}` };
    const started = clock.now();
    const deadline = started + timeoutMs;
    let done = false;
    const echo = address
      ? pinger
          .probe(address, {
            count: Math.max(1, Math.ceil(timeoutMs / 1000)),
            intervalMs: 1000,
            timeoutMs,
          })
          .then((r) => (r.alive ? `${address.address} answered through the tunnel` : undefined))
          .catch(() => undefined)
      : Promise.resolve(undefined);
    const counters = (async () => {
      while (!done && signal?.aborted !== true && clock.now() < deadline) {
        await clock.sleep(pollMs);
        const now = await livePeer(wg, iface, publicKey);
        if (now === undefined) return undefined;
        if (now.latestHandshake > before.latestHandshake) return "new handshake";
        if (carriesAnswer(now.rxBytes - before.rxBytes, clock.now() - started))
          return `received ${now.rxBytes - before.rxBytes} bytes`;
      }
      return undefined;
    })();
    const interrupted = interruption(signal);
    const how = await Promise.race([firstDefined([echo, counters]), interrupted.promise]);
    interrupted.stop();
    done = true;
    if (how === INTERRUPTED) return { ok: false, how: "interrupted", interrupted: true };
    if (how !== undefined) return { ok: true, how };
    const seconds = Math.round(timeoutMs / 1000);
    return { ok: false, how: `nothing came back through the tunnel within ${seconds} s` };
  };
}

/**
 * Whether `bytes` received `elapsedMs` into the check hold more than handshake initiations. A
 * peer that starts a handshake of its own sends 148-byte initiations from its address whatever
 * our endpoint is, so they prove nothing about the path we chose; an answer to what we sent
 * (data, 32 + 16n bytes a packet, or a cookie) does. A peer sends at most one initiation per
 * REKEY_TIMEOUT (5 s), so k × 148 bytes count as initiations only while k of them could have
 * come (data adds up to k × 148 only for k a multiple of 4, so checks under 15 s never confuse
 * the two).
 */
export function carriesAnswer(bytes: number, elapsedMs: number): boolean {
  if (bytes <= 0) return false;
  const initiations = Math.floor(elapsedMs / REKEY_TIMEOUT_MS) + 1;
  return bytes % INITIATION_BYTES !== 0 || bytes / INITIATION_BYTES > initiations;
}

// --- internal ---

/** NOTE: WireGuard's handshake initiation message: 148 bytes on the wire, counted in rx. */
const INITIATION_BYTES = 148;
/** NOTE: WireGuard sends at most one handshake initiation per peer this often. */
const REKEY_TIMEOUT_MS = 5_000;

const INTERRUPTED = Symbol("interrupted");

/** Resolves with INTERRUPTED when the signal aborts (never, without one) until stop() is called. */
function interruption(signal: AbortSignal | undefined): {
  promise: Promise<typeof INTERRUPTED>;
  stop: () => void;
} {
  if (signal === undefined) return { promise: new Promise(() => {}), stop: () => {} };
  if (signal.aborted) return { promise: Promise.resolve(INTERRUPTED), stop: () => {} };
  let stop = () => {};
  const promise = new Promise<typeof INTERRUPTED>((resolve) => {
    stop = onAbort(signal, () => resolve(INTERRUPTED));
  });
  return { promise, stop };
}

async function livePeer(wg: Wg, iface: string, publicKey: string) {
  return (await wg.show(iface)).find((p) => p.publicKey === publicKey);
}

/** The first promise to settle with a defined value, or undefined once all have settled. */
function firstDefined<T>(promises: Promise<T | undefined>[]): Promise<T | undefined> {
  return new Promise((resolve) => {
    let left = promises.length;
    for (const p of promises) {
      p.then(
        (value) => {
          if (value !== undefined) resolve(value);
          else if (--left === 0) resolve(undefined);
        },
        () => {
          if (--left === 0) resolve(undefined);
        },
      );
    }
  });
}
