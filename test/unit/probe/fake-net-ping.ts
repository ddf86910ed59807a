import type { PingCallback, Session } from "net-ping";

/** One echo that left the fake socket. */
export interface Echo {
  readonly address: string;
  /** performance.now() when it left. */
  readonly at: number;
}

/** What the network does with one echo: answers, answers with an ICMP error, or drops it. */
export type Answer = "reply" | "unreachable" | undefined;

/**
 * A net-ping Session in memory, with net-ping 1.2.4's request rules: pingHost copies the
 * session's retries and timeout into the request; each echo leaves on a later turn of the event
 * loop and then waits `timeout` ms; unanswered, it is sent again while retries remain, then the
 * callback gets a RequestTimedOutError. A reply or an ICMP error ends the request; so does a
 * failed send (callback with sent = received). close() calls back every request under way.
 */
export function fakeSession(answer: (echo: Echo) => Answer, sendError?: Error) {
  const echoes: Echo[] = [];
  const asked: { address: string; retries: number; timeout: number }[] = [];
  const active = new Set<Request>();
  const end = (req: Request, error: Error | null, received = new Date()) => {
    if (!active.delete(req)) return;
    clearTimeout(req.timer);
    req.callback(error, req.target, req.sent, received);
  };
  const send = (req: Request) => {
    setImmediate(() => {
      if (!active.has(req)) return;
      const echo = { address: req.target, at: performance.now() };
      echoes.push(echo);
      req.sent ??= new Date();
      if (sendError !== undefined) return end(req, sendError, req.sent);
      const kind = answer(echo);
      if (kind === "reply") setTimeout(() => end(req, null), 2);
      if (kind === "unreachable")
        setTimeout(() => end(req, named("DestinationUnreachableError")), 2);
      req.timer = setTimeout(() => {
        if (req.retries-- > 0) send(req);
        else end(req, named("RequestTimedOutError"));
      }, req.timeout);
    });
  };
  const session = {
    retries: 1,
    timeout: 2000,
    pingHost(target: string, callback: PingCallback) {
      const req: Request = { target, callback, retries: session.retries, timeout: session.timeout };
      asked.push({ address: target, retries: req.retries, timeout: req.timeout });
      active.add(req);
      send(req);
      return session as unknown as Session;
    },
    close() {
      for (const req of [...active]) end(req, new Error("Socket forcibly closed"));
      return session as unknown as Session;
    },
    on: () => session as unknown as Session,
  };
  const started = performance.now();
  return {
    open: () => session as unknown as Session,
    started,
    /** When each echo to `address` left. */
    sent: (address: string) => echoes.filter((e) => e.address === address).map((e) => e.at),
    /** Every pingHost call, with the retries and timeout it was given. */
    requests: () => asked,
    order: () => echoes.map((e) => e.address),
  };
}

// --- internal ---

interface Request {
  readonly target: string;
  readonly callback: PingCallback;
  retries: number;
  readonly timeout: number;
  sent?: Date;
  timer?: NodeJS.Timeout;
}

/** An error as net-ping makes them: told apart by name. */
function named(name: string): Error {
  return Object.assign(new Error(`${name} (source=2001:db8::ff)`), { name });
}
