import { createRequire } from "node:module";
import type { Socket } from "raw-socket";
import type { Candidate, ProbeResult } from "../model.js";
import { EchoSocket, nextMoment, type Probe } from "./echo-socket.js";
import { TimerQueue } from "./timer-queue.js";

/** How to probe one address: `count` echoes `intervalMs` apart, all answered by `timeoutMs`. */
export interface EchoPolicy {
  readonly count: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Sends echoes and reports what came back. One instance per pass; close() when done. */
export interface Pinger {
  probe(candidate: Candidate, policy: EchoPolicy): Promise<ProbeResult>;
  close(): void;
}

/** Raised when raw ICMP sockets cannot be opened (not root, no CAP_NET_RAW). */
export class RawSocketError extends Error {
  override readonly name = "RawSocketError";
}

/**
 * ICMP echo over one raw socket per family (raw-socket), shared by every probe of a pass, so
 * thousands of addresses cost one timeout in parallel, not one each in turn. An address is alive
 * on its first echo reply; it is dead when every echo failed or at its deadline (`timeoutMs`
 * after its first echo). Echoes after the first go out `intervalMs` apart, only while no reply
 * has come. All probes share one timer (TimerQueue). `open` is for tests: a fake socket.
 */
export function rawPinger(open: (family: 4 | 6) => Socket = openSocket): Pinger {
  const sockets = new Map<4 | 6, EchoSocket>();
  const pending = new Set<Probe>();
  let closed = false;
  const timers = new TimerQueue<Probe>(due);
  const socketFor = (family: 4 | 6): EchoSocket => {
    let socket = sockets.get(family);
    if (socket === undefined) {
      socket = new EchoSocket(open(family), family, timers, pending);
      sockets.set(family, socket);
    }
    return socket;
  };
  return {
    probe(candidate, policy) {
      if (closed) return Promise.resolve(stopped(candidate.address));
      try {
        const socket = socketFor(candidate.family);
        return new Promise((resolve) =>
          socket.queue(newProbe(candidate.address, policy, socket, resolve)),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    close() {
      closed = true;
      timers.clear();
      for (const probe of [...pending]) probe.socket.settle(probe, stopped(probe.address));
      for (const socket of sockets.values()) socket.close();
      sockets.clear();
    },
  };
}

// --- internal ---

/** The probe's moment came: its next echo, or its deadline. */
function due(probe: Probe): void {
  if (probe.settled) return;
  const deadline = probe.firstAt + probe.policy.timeoutMs;
  if (probe.at >= deadline) {
    const error = probe.lastError;
    probe.socket.settle(probe, { address: probe.address, alive: false, error });
    return;
  }
  probe.socket.queue(probe);
  probe.at = nextMoment(probe);
  probe.socket.reschedule(probe);
}

function newProbe(
  address: string,
  policy: EchoPolicy,
  socket: EchoSocket,
  done: (result: ProbeResult) => void,
): Probe {
  return {
    address,
    policy,
    done,
    socket,
    at: 0,
    firstAt: Number.NaN,
    queued: 0,
    sequences: [],
    sentAt: [],
    failed: 0,
    lastError: "timeout",
    settled: false,
  };
}

function stopped(address: string): ProbeResult {
  return { address, alive: false, error: "probing stopped" };
}

function openSocket(family: 4 | 6): Socket {
  // raw-socket is CommonJS with a native addon: load it only when a pass really probes.
  const raw = createRequire(import.meta.url)("raw-socket") as typeof import("raw-socket");
  try {
    return raw.createSocket({
      protocol: family === 6 ? raw.Protocol.ICMPv6 : raw.Protocol.ICMP,
      addressFamily: family === 6 ? raw.AddressFamily.IPv6 : raw.AddressFamily.IPv4,
    });
  } catch (error) {
    throw new RawSocketError(`cannot open a raw ICMP socket: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
