import type { PingCallback, Session } from "net-ping";
import type { ProbeResult } from "../model.js";

/** How to probe one address: up to `count` echoes, `intervalMs` apart at least, answered by `timeoutMs`. */
export interface EchoPolicy {
  readonly count: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** How a policy maps onto net-ping: `echoes` in all, each waiting `waitMs` before the next. */
export interface EchoPlan {
  readonly echoes: number;
  readonly waitMs: number;
}

/**
 * Up to `count` echoes, at least `intervalMs` apart, spread evenly over `timeoutMs`, so the last
 * one's wait ends at the deadline: {3, 200, 1000} -> 3 echoes 334 ms apart; the tunnel check's
 * {11, 1000, 11000} -> 11 echoes 1 s apart; {3, 500, 1000} -> 2 echoes 500 ms apart.
 */
export function echoPlan(policy: EchoPolicy): EchoPlan {
  const fit = Math.floor(policy.timeoutMs / Math.max(1, policy.intervalMs));
  const echoes = Math.max(1, Math.min(policy.count, fit));
  return { echoes, waitMs: Math.max(1, Math.ceil(policy.timeoutMs / echoes)) };
}

/**
 * One net-ping Session (one raw socket, one family) shared by every probe of a pass. Each address
 * is one pingHost request whose retries are its repeats: net-ping sends the next echo only when
 * the previous one's wait ran out with no reply, a reply to any of them ends the request, and the
 * request's one timer ends it at the deadline. A probe is one record; the callback is shared and
 * finds the record by address (only a second probe of an address under way gets its own).
 */
export class EchoSession {
  private readonly byAddress = new Map<string, Probe>();
  /** Probes started and not settled yet. */
  private outstanding = 0;
  /** Probes between requests (after an ICMP or send error), each waiting for its next echo. */
  private readonly waiting = new Set<Probe>();
  private closed = false;

  constructor(private readonly session: Session) {
    session.on("error", () => {}); // a send error also reaches the request's callback
  }

  /** Probes `address`; `done` is called once with the result. */
  start(address: string, policy: EchoPolicy, done: (result: ProbeResult) => void): void {
    const { echoes, waitMs } = echoPlan(policy);
    const probe: Probe = {
      address,
      done,
      waitMs,
      echoesLeft: echoes,
      inRequest: 0,
      lastError: "timeout",
      callback: this.answered,
      timer: undefined,
      settled: false,
    };
    if (this.outstanding++ === 0) UNDER_WAY.add(this);
    if (this.byAddress.has(address)) {
      probe.callback = (error, _target, sent, received) =>
        this.outcome(probe, error, sent, received);
    } else this.byAddress.set(address, probe);
    this.request(probe);
  }

  /** Ends every probe under way with "probing stopped", and closes the socket. */
  close(): void {
    this.closed = true;
    for (const probe of this.waiting) {
      clearTimeout(probe.timer);
      this.settle(probe, stopped(probe.address));
    }
    this.waiting.clear();
    this.session.close(); // net-ping calls back every request under way
    UNDER_WAY.delete(this);
  }

  /** Called by the timer of a probe that waits between requests. */
  resend(probe: Probe): void {
    if (!probe.settled && !this.closed) this.request(probe);
  }

  // --- internal ---

  /** Hands net-ping the probe's remaining echoes as one request. */
  private request(probe: Probe): void {
    this.waiting.delete(probe);
    probe.timer = undefined;
    probe.inRequest = probe.echoesLeft;
    probe.echoesLeft = 0;
    // NOTE: net-ping copies retries and timeout into the request when pingHost is called.
    this.session.retries = probe.inRequest - 1;
    this.session.timeout = probe.waitMs;
    // NOTE: net-ping may call back before pingHost returns (a bad address, too many requests).
    this.session.pingHost(probe.address, probe.callback);
  }

  /** The shared callback: finds the probe by address. */
  private readonly answered: PingCallback = (error, target, sent, received) => {
    const probe = this.byAddress.get(target);
    if (probe !== undefined) this.outcome(probe, error, sent, received);
  };

  private outcome(probe: Probe, error: Error | null, sent?: Date, received?: Date): void {
    if (probe.settled) return;
    const elapsed = sent && received ? Math.max(0, received.getTime() - sent.getTime()) : 0;
    if (this.closed) this.settle(probe, stopped(probe.address));
    else if (error === null)
      this.settle(probe, { address: probe.address, alive: true, rttMs: elapsed });
    else if (error.name === "RequestTimedOutError") this.dead(probe);
    else this.failed(probe, error, elapsed, sent);
  }

  /**
   * An ICMP error or a failed send: one failed echo. It ends net-ping's request, so the echoes
   * the request did not send yet go out in a new one, each at the moment it was due.
   */
  private failed(probe: Probe, error: Error, elapsed: number, sent?: Date): void {
    probe.lastError = describe(error);
    const used = Math.min(probe.inRequest, Math.floor(elapsed / probe.waitMs) + 1);
    probe.echoesLeft = probe.inRequest - used;
    if (probe.echoesLeft === 0) {
      this.dead(probe);
      return;
    }
    const dueAt = (sent?.getTime() ?? Date.now()) + used * probe.waitMs;
    this.waiting.add(probe);
    probe.timer = setTimeout(resend, Math.max(0, dueAt - Date.now()), this, probe);
  }

  private dead(probe: Probe): void {
    this.settle(probe, { address: probe.address, alive: false, error: probe.lastError });
  }

  private settle(probe: Probe, result: ProbeResult): void {
    if (probe.settled) return;
    probe.settled = true;
    if (--this.outstanding === 0) UNDER_WAY.delete(this);
    if (this.byAddress.get(probe.address) === probe) this.byAddress.delete(probe.address);
    probe.done(result);
  }
}

/**
 * The sessions with probes under way. NOTE: raw-socket holds its native socket weakly, and a
 * pending promise is no garbage-collection root: while the pass awaits its probes, nothing else
 * may reach the session, and a collection then closes the socket, its poll handle and so the
 * event loop, and the process exits mid-pass with status 0 (seen with one peer and no timer of
 * net-ping's set yet). This set keeps them reachable until their last probe settles.
 */
const UNDER_WAY = new Set<EchoSession>();

/** A failed echo, in the words of the report. */
export function describe(error: Error): string {
  if (error.name === "RequestTimedOutError") return "timeout";
  if (error.name === "DestinationUnreachableError") return "host unreachable";
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EPERM" || /not permitted/i.test(error.message))
    return "blocked by the local firewall";
  return error.message;
}

/** One address being probed: all a probe keeps, whatever its number of echoes. */
interface Probe {
  readonly address: string;
  readonly done: (result: ProbeResult) => void;
  readonly waitMs: number;
  /** Echoes not yet handed to net-ping, and how many the request under way holds. */
  echoesLeft: number;
  inRequest: number;
  lastError: string;
  callback: PingCallback;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

/** A timer's function with arguments, not a closure per probe. */
function resend(session: EchoSession, probe: Probe): void {
  session.resend(probe);
}

function stopped(address: string): ProbeResult {
  return { address, alive: false, error: "probing stopped" };
}
