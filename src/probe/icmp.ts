import { createRequire } from "node:module";
import type { Session } from "net-ping";
import type { Candidate, ProbeResult } from "../model.js";

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
 * ICMP echo over one raw socket per family (net-ping), shared by every probe of a pass, so
 * thousands of addresses cost one timeout in parallel, not one each in turn.
 */
export function rawPinger(): Pinger {
  const sessions = new Map<4 | 6, Session>();
  let closed = false;
  const session = (family: 4 | 6): Session => {
    let s = sessions.get(family);
    if (s === undefined) {
      s = openSession(family);
      sessions.set(family, s);
    }
    return s;
  };
  return {
    probe: (candidate, policy) =>
      closed
        ? Promise.resolve({ address: candidate.address, alive: false, error: "probing stopped" })
        : echoes(() => (closed ? undefined : session(candidate.family)), candidate.address, policy),
    close() {
      closed = true;
      for (const s of sessions.values()) s.close();
      sessions.clear();
    },
  };
}

// --- internal ---

function openSession(family: 4 | 6): Session {
  // net-ping is CommonJS and loads a native addon: load it only when a pass really probes.
  const netPing = createRequire(import.meta.url)("net-ping") as typeof import("net-ping");
  const protocol = family === 6 ? netPing.NetworkProtocol.IPv6 : netPing.NetworkProtocol.IPv4;
  try {
    const s = netPing.createSession({ networkProtocol: protocol, retries: 0, packetSize: 16 });
    s.on("error", () => {}); // send errors also reach each request's callback
    return s;
  } catch (error) {
    throw new RawSocketError(`cannot open a raw ICMP socket: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Staggered echoes with one shared deadline: alive on the first reply, dead at the deadline. */
function echoes(
  session: () => Session | undefined,
  address: string,
  policy: EchoPolicy,
): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    let pending = policy.count;
    let lastError = "timeout";
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      resolve(result);
    };
    const send = (offsetMs: number) => {
      const open = session();
      if (open === undefined) {
        finish({ address, alive: false, error: "probing stopped" });
        return;
      }
      // NOTE: net-ping reads the session's timeout when a request is queued, so each echo
      // waits only until the shared deadline.
      open.timeout = Math.max(1, policy.timeoutMs - offsetMs);
      try {
        open.pingHost(address, (error, _target, sent, received) => {
          if (error === null) {
            finish({ address, alive: true, rttMs: rtt(sent, received) });
            return;
          }
          lastError = describe(error);
          if (--pending === 0) finish({ address, alive: false, error: lastError });
        });
      } catch (error) {
        if (!settled)
          reject(new RawSocketError(`cannot open a raw ICMP socket: ${(error as Error).message}`));
        settled = true;
      }
    };
    for (let i = 0; i < policy.count && !settled; i++) {
      const offset = i * policy.intervalMs;
      if (i === 0) send(0);
      else timers.push(setTimeout(() => send(offset), offset));
    }
  });
}

function rtt(sent: Date | undefined, received: Date | undefined): number {
  return sent && received ? Math.max(0, received.getTime() - sent.getTime()) : 0;
}

function describe(error: Error): string {
  if (error.name === "RequestTimedOutError") return "timeout";
  if (error.name === "DestinationUnreachableError") return "host unreachable";
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EPERM" || /not permitted/i.test(error.message))
    return "blocked by the local firewall";
  return error.message;
}
