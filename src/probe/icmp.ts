import { createRequire } from "node:module";
import type { Session } from "net-ping";
import type { Candidate, ProbeResult } from "../model.js";
import { type EchoPolicy, EchoSession } from "./echo-session.js";

/** Sends echoes and reports what came back. One instance per pass; close() when done. */
export interface Pinger {
  probe(candidate: Candidate, policy: EchoPolicy): Promise<ProbeResult>;
  /**
   * The same without a promise: `done` gets the result. Throws RawSocketError if no raw socket
   * can be opened. NOTE(perf): a big pass's thousands of probes then cost no promise, reaction
   * or closure each.
   */
  start?(candidate: Candidate, policy: EchoPolicy, done: (result: ProbeResult) => void): void;
  close(): void;
}

/** Raised when raw ICMP sockets cannot be opened (not root, no CAP_NET_RAW). */
export class RawSocketError extends Error {
  override readonly name = "RawSocketError";
}

/**
 * ICMP echo over one net-ping Session (one raw socket) per family, shared by every probe of a
 * pass, so thousands of addresses cost one timeout in parallel, not one each in turn. An address
 * is alive on its first echo reply; it is dead when every echo failed or at its deadline
 * (`timeoutMs` after its first echo); repeats go out only while no reply has come (echoPlan).
 * `open` is for tests: a fake Session.
 */
export function rawPinger(open: (family: 4 | 6) => Session = openSession): Pinger {
  const sessions = new Map<4 | 6, EchoSession>();
  let closed = false;
  const sessionFor = (family: 4 | 6): EchoSession => {
    let session = sessions.get(family);
    if (session === undefined) {
      session = new EchoSession(open(family));
      sessions.set(family, session);
    }
    return session;
  };
  const start = (candidate: Candidate, policy: EchoPolicy, done: (r: ProbeResult) => void) => {
    if (closed) done(stopped(candidate.address));
    else sessionFor(candidate.family).start(candidate.address, policy, done);
  };
  return {
    // A RawSocketError thrown by start() rejects the promise.
    probe: (candidate, policy) => new Promise((resolve) => start(candidate, policy, resolve)),
    start,
    close() {
      closed = true;
      for (const session of sessions.values()) session.close();
      sessions.clear();
    },
  };
}

// --- internal ---

function stopped(address: string): ProbeResult {
  return { address, alive: false, error: "probing stopped" };
}

function openSession(family: 4 | 6): Session {
  // net-ping is CommonJS and loads a native addon: load it only when a pass really probes.
  const netPing = createRequire(import.meta.url)("net-ping") as typeof import("net-ping");
  const protocol = family === 6 ? netPing.NetworkProtocol.IPv6 : netPing.NetworkProtocol.IPv4;
  try {
    return netPing.createSession({ networkProtocol: protocol, retries: 0, packetSize: 16 });
  } catch (error) {
    throw new RawSocketError(`cannot open a raw ICMP socket: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
